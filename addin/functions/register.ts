/** Registers the FUND.* functions with Excel's custom functions runtime (in the shared runtime page). */
import { associateCustomFunctions } from '../excel/custom-functions';
import { check, clawback, committed, costshare, instalments, remaining, share, split } from './functions';

export const FUNCTION_IDS = ['SPLIT', 'SHARE', 'COSTSHARE', 'REMAINING', 'COMMITTED', 'CHECK', 'INSTALMENTS', 'CLAWBACK'] as const;

export function registerCustomFunctions(): boolean {
  return associateCustomFunctions({
    SPLIT: split,
    SHARE: share,
    COSTSHARE: costshare,
    REMAINING: remaining,
    COMMITTED: committed,
    CHECK: check,
    INSTALMENTS: instalments,
    CLAWBACK: clawback,
  });
}
