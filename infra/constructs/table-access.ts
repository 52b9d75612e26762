/**
 * Table permissions, action by action. `table.grantReadWriteData` would hand out Scan, DeleteItem,
 * BatchWriteItem and an `index/*` wildcard; the store needs none of them (its one batch call,
 * BatchGetItem, reads only the base table, and only the sync job makes it). The index ARNs come from
 * the key-schema data, so a new index is granted by name, never by wildcard.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { TableSchema } from '../../functions/store/table-schema';

/** The item-level calls the store makes (functions/store/dynamo-store.ts); nothing else is grantable here. */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;
export type TableItemAction = (typeof TABLE_ITEM_ACTIONS)[number];

export function grantTableItemAccess(
  role: iam.IRole,
  table: dynamodb.ITable,
  schema: TableSchema,
  actions: readonly TableItemAction[],
): void {
  const unique = [...new Set(actions)];
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'FundshareTableItems',
      actions: unique,
      resources: [table.tableArn],
    }),
  );
  // Only Query reads an index; writes go through the base table.
  if (unique.includes('dynamodb:Query') && schema.globalSecondaryIndexes.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FundshareTableIndexes',
        actions: ['dynamodb:Query'],
        resources: schema.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      }),
    );
  }
}
