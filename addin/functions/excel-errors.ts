/** Maps the engine's failures to Excel error values: bad input → #VALUE!, service failure → #N/A. */
import { FunctionInputError } from './engine';

export function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof FunctionInputError) return new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, error.message);
  const message = error instanceof Error ? error.message : 'Fundshare failed';
  return new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, message);
}
