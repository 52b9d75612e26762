/** The custom functions runtime's Error and ErrorCode, as Excel provides them, for tests in Node. */
export class FakeCustomFunctionError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message);
  }
}

export function installCustomFunctionsRuntime(): void {
  (globalThis as unknown as { CustomFunctions: unknown }).CustomFunctions = {
    Error: FakeCustomFunctionError,
    ErrorCode: {
      invalidValue: '#VALUE!',
      notAvailable: '#N/A',
      divisionByZero: '#DIV/0!',
      invalidNumber: '#NUM!',
      nullReference: '#NULL!',
    },
    associate: jest.fn(),
  };
}
