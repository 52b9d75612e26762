/** If-Match and Idempotency-Key: reading the headers the contract defines for writes. */
import { createHash } from 'node:crypto';

export type IfMatch = { kind: 'missing' } | { kind: 'invalid' } | { kind: 'version'; version: number };

/**
 * If-Match carries the bid's version, quoted or bare: `"3"` or `3`. Weak tags, `*` and
 * unbalanced quotes (`"3`, `3"`) are refused.
 */
export function readIfMatch(header: string | undefined): IfMatch {
  if (header === undefined || header.trim() === '') return { kind: 'missing' };
  const match = /^\s*(?:"(\d{1,12})"|(\d{1,12}))\s*$/.exec(header);
  if (!match) return { kind: 'invalid' };
  const version = Number(match[1] ?? match[2]);
  return Number.isSafeInteger(version) && version >= 1 ? { kind: 'version', version } : { kind: 'invalid' };
}

/** The ETag of a bid version. */
export const etagOf = (version: number): string => `"${version}"`;

/** Idempotency keys: 1–255 visible ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What makes two requests "the same" for an idempotency key: method, path, If-Match and body. */
export function requestFingerprint(parts: { method: string; path: string; ifMatch?: string; body: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify([parts.method, parts.path, parts.ifMatch ?? '', parts.body ?? null]))
    .digest('base64url');
}
