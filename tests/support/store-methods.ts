/**
 * The FundStore port's methods, sorted into reads and writes, for tests and the bench that check
 * what a run did (e.g. "a sync with no changes writes nothing"). The compiler keeps the lists
 * whole: a method added to the port and left out here is a type error, not a write nobody counts.
 */
import type { FundStore } from '../../functions/store/types';

export const STORE_READS = [
  'listBids',
  'bidsOfYear',
  'recommendedSharesOfYear',
  'readBid',
  'versionsWithoutAudit',
  'getLedgers',
  'history',
  'getBudget',
  'budgetHistory',
  'getYearClose',
  'years',
  'declarations',
  'readReturn',
  'returnsOfBid',
  'returnsOfYear',
] as const satisfies readonly (keyof FundStore)[];

export const STORE_WRITES = [
  'nextBidId',
  'reserveBidIds',
  'insertBid',
  'replaceBid',
  'recordEvents',
  'registerYear',
  'putBudget',
  'setReturnDueDays',
  'closeBudget',
  'recordBudgetEvent',
  'createBudget',
  'recordYearClose',
  'setYearCloseOutturn',
  'completeYearClose',
  'recordDeclaration',
  'putReturn',
  'createLedger',
  'setPot',
  'commitShare',
  'uncommitShare',
  'releaseShare',
  'payInstalment',
  'adjustShare',
  'returnUnderspend',
  'unpayInstalment',
  'takeAllocation',
  'repairLedgerTotals',
  'closeLedger',
  'carryIn',
  'claimIdempotency',
  'noteIdempotentBid',
  'completeIdempotency',
  'releaseIdempotency',
] as const satisfies readonly (keyof FundStore)[];

type Unsorted = Exclude<keyof FundStore, (typeof STORE_READS)[number] | (typeof STORE_WRITES)[number]>;
// Fails to compile, naming the method, when the port gains one these lists do not sort.
const everyMethodSorted: [Unsorted] extends [never] ? true : Unsorted = true;
void everyMethodSorted;
