/**
 * The table's key schema, defined once as plain data. CDK (infra/) builds the production table
 * from it and local set-up creates the dynalite table from it; nothing here imports the SDK,
 * so importing it pulls in no AWS code.
 */

export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

export interface GlobalIndexSchema {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  /** ALL: the index holds whole items, so listing bids needs no second read. */
  projection: 'ALL';
}

export interface TableSchema {
  partitionKey: KeyAttribute;
  sortKey: KeyAttribute;
  globalSecondaryIndexes: readonly GlobalIndexSchema[];
  /** Attribute holding an epoch-seconds expiry for items that may lapse (idempotency records). */
  timeToLiveAttribute: string;
}

/** Bids by financial year ordered by last change: the list and the delta-sync feed. */
export const BIDS_BY_FY_INDEX = 'bidsByFy';

export const TABLE_SCHEMA: TableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: BIDS_BY_FY_INDEX,
      partitionKey: { name: 'fyKey', type: 'S' },
      sortKey: { name: 'changedKey', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
};

/** Default table name, for local runs; in AWS the name comes from the stack. */
export const DEFAULT_TABLE_NAME = 'fundshare';
