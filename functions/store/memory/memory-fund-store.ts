/**
 * The store port in memory: plain maps behind the same four repositories and the same outcomes
 * as the DynamoDB adapter (the contract suite in tests/store runs against both), so use-case
 * tests run without a server. Values are copied in and out; every call yields once.
 */
import { MemoryDeclarationRepository } from './declaration-repository';
import { ComposedFundStore } from '../composed-fund-store';
import { MemoryBidRepository } from './bid-repository';
import { MemoryBudgetRepository } from './budget-repository';
import { MemoryIdempotencyRepository } from './idempotency-repository';
import { MemoryLedgerRepository } from './ledger-repository';
import { MemoryReturnRepository } from './return-repository';

export class MemoryFundStore extends ComposedFundStore {
  constructor() {
    super({
      bids: new MemoryBidRepository(),
      ledgers: new MemoryLedgerRepository(),
      budgets: new MemoryBudgetRepository(),
      declarations: new MemoryDeclarationRepository(),
      returns: new MemoryReturnRepository(),
      idempotency: new MemoryIdempotencyRepository(),
    });
  }
}
