/** Registers the FUND.* functions with Excel's custom functions runtime (in the shared runtime page). */
import { check, committed, costshare, remaining, share, split } from './functions';

export const FUNCTION_IDS = ['SPLIT', 'SHARE', 'COSTSHARE', 'REMAINING', 'COMMITTED', 'CHECK'] as const;

export function registerCustomFunctions(): boolean {
  if (typeof CustomFunctions === 'undefined' || typeof CustomFunctions.associate !== 'function') return false;
  CustomFunctions.associate('SPLIT', split);
  CustomFunctions.associate('SHARE', share);
  CustomFunctions.associate('COSTSHARE', costshare);
  CustomFunctions.associate('REMAINING', remaining);
  CustomFunctions.associate('COMMITTED', committed);
  CustomFunctions.associate('CHECK', check);
  return true;
}
