/**
 * The one place logging is configured: structured JSON lines (Powertools), level and service
 * from POWERTOOLS_* env. Never log tokens, bodies or secrets: only ids, routes, statuses, timings.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export type AppLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

export function createLogger(serviceName = 'fundshare'): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
}
