/** Store failures the HTTP edge maps to 503 with Retry-After: the store is unreachable or overloaded. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 2,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'AbortError',
]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** Is this SDK or socket error one that a later retry may not meet? */
export function isTransientStoreError(error: unknown): boolean {
  // Duck-typed: socket errors come from Node's own realm, where `instanceof Error` can fail.
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  const code = (error as { code?: unknown }).code;
  const metadata = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const status = metadata?.httpStatusCode;
  // An SDK error with no HTTP status never got an answer: the connection itself failed.
  const noAnswer = metadata !== undefined && status === undefined;
  return (
    (typeof name === 'string' && TRANSIENT_NAMES.has(name)) ||
    (typeof code === 'string' && TRANSIENT_CODES.has(code)) ||
    (typeof status === 'number' && status >= 500) ||
    noAnswer
  );
}
