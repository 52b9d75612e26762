/** Excel's custom functions runtime: registering the FUND.* functions and making Excel error values. */

/** Associates each id with its function; false when the custom functions runtime is not there. */
export function associateCustomFunctions(functions: Readonly<Record<string, (...args: never[]) => unknown>>): boolean {
  if (typeof CustomFunctions === 'undefined' || typeof CustomFunctions.associate !== 'function') return false;
  for (const [id, fn] of Object.entries(functions)) CustomFunctions.associate(id, fn as (...args: unknown[]) => unknown);
  return true;
}

/** #VALUE! with a message: the input was bad. */
export const invalidValueError = (message: string): CustomFunctions.Error =>
  new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, message);

/** #N/A with a message: the service failed. */
export const notAvailableError = (message: string): CustomFunctions.Error =>
  new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, message);
