/**
 * The one place logging is configured: structured JSON lines (Powertools), level and service
 * from POWERTOOLS_* env. Never log tokens, bodies or secrets: only ids, routes, statuses, timings.
 * A logged error's stack points at the TypeScript source (functions/original-stack.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { withOriginalStack } from './original-stack';

export type AppLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createLogger(serviceName = 'fundshare'): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
    // Runs before Powertools formats an Error (name, location, message, stack, cause).
    jsonReplacerFn: (_key, value) => (value instanceof Error ? withOriginalStack(value) : value),
  });
}
