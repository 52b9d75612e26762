/** Opaque page cursors: base64url JSON of DynamoDB's LastEvaluatedKey, checked when read back. */

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API issued for this query');
    this.name = 'InvalidCursorError';
  }
}

const CURSOR_FIELDS = ['pk', 'sk', 'fyKey', 'changedKey'] as const;
export type IndexPosition = Record<(typeof CURSOR_FIELDS)[number], string>;

export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decode and check a cursor; it must point into the same financial year's index partition. */
export function decodeCursor(cursor: string, fyKey: string): IndexPosition {
  let value: unknown;
  try {
    if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== 'object' || value === null) throw new InvalidCursorError();
  const record = value as Record<string, unknown>;
  if (Object.keys(record).length !== CURSOR_FIELDS.length) throw new InvalidCursorError();
  for (const field of CURSOR_FIELDS) if (typeof record[field] !== 'string') throw new InvalidCursorError();
  if (record.fyKey !== fyKey) throw new InvalidCursorError();
  return record as IndexPosition;
}
