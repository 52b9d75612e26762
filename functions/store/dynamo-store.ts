/**
 * The DynamoDB adapter of the store port: single table, ledger item per (FY, funder) as the
 * consistency boundary for money (docs/design.md §3). The repositories in dynamo/ share one
 * TableAccess; this class composes them into the FundStore the use-cases receive.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ComposedFundStore } from './composed-fund-store';
import { DynamoDeclarationRepository } from './dynamo/declaration-repository';
import { DynamoBidRepository } from './dynamo/bid-repository';
import { DynamoBudgetRepository } from './dynamo/budget-repository';
import { DynamoIdempotencyRepository } from './dynamo/idempotency-repository';
import { DynamoLedgerRepository } from './dynamo/ledger-repository';
import { DynamoReturnRepository } from './dynamo/return-repository';
import { TableAccess } from './table-access';

export class DynamoFundStore extends ComposedFundStore {
  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    const table = new TableAccess(doc, tableName);
    super({
      bids: new DynamoBidRepository(table),
      ledgers: new DynamoLedgerRepository(table),
      budgets: new DynamoBudgetRepository(table),
      declarations: new DynamoDeclarationRepository(table),
      returns: new DynamoReturnRepository(table),
      idempotency: new DynamoIdempotencyRepository(table),
    });
  }
}
