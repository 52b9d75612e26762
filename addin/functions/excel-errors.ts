/** Maps the engine's failures to Excel error values: bad input → #VALUE!, service failure → #N/A. */
import { invalidValueError, notAvailableError } from '../excel/custom-functions';
import { FunctionInputError } from './engine';

export function toExcelError(error: unknown): CustomFunctions.Error {
  if (error instanceof FunctionInputError) return invalidValueError(error.message);
  const message = error instanceof Error ? error.message : 'Fundshare failed';
  return notAvailableError(message);
}
