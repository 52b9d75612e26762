/**
 * The store port as one object over its repositories. Each method is a prototype method that
 * hands the call to its repository, so wrappers that proxy or count the store's methods (tests,
 * the bench) see every one of them.
 */
import type {
  BidRepository,
  BudgetRepository,
  DeclarationRepository,
  FundStore,
  IdempotencyRepository,
  LedgerRepository,
  ReturnRepository,
} from './types';

export interface FundRepositories {
  bids: BidRepository;
  ledgers: LedgerRepository;
  budgets: BudgetRepository;
  declarations: DeclarationRepository;
  returns: ReturnRepository;
  idempotency: IdempotencyRepository;
}

type Args<R, M extends keyof R> = R[M] extends (...args: infer A) => unknown ? A : never;
type Result<R, M extends keyof R> = R[M] extends (...args: never[]) => infer T ? T : never;

export class ComposedFundStore implements FundStore {
  constructor(protected readonly repositories: FundRepositories) {}

  // ── bids ──
  nextBidId(...args: Args<BidRepository, 'nextBidId'>): Result<BidRepository, 'nextBidId'> {
    return this.repositories.bids.nextBidId(...args);
  }
  reserveBidIds(...args: Args<BidRepository, 'reserveBidIds'>): Result<BidRepository, 'reserveBidIds'> {
    return this.repositories.bids.reserveBidIds(...args);
  }
  readBid(...args: Args<BidRepository, 'readBid'>): Result<BidRepository, 'readBid'> {
    return this.repositories.bids.readBid(...args);
  }
  insertBid(...args: Args<BidRepository, 'insertBid'>): Result<BidRepository, 'insertBid'> {
    return this.repositories.bids.insertBid(...args);
  }
  replaceBid(...args: Args<BidRepository, 'replaceBid'>): Result<BidRepository, 'replaceBid'> {
    return this.repositories.bids.replaceBid(...args);
  }
  recordEvents(...args: Args<BidRepository, 'recordEvents'>): Result<BidRepository, 'recordEvents'> {
    return this.repositories.bids.recordEvents(...args);
  }
  versionsWithoutAudit(...args: Args<BidRepository, 'versionsWithoutAudit'>): Result<BidRepository, 'versionsWithoutAudit'> {
    return this.repositories.bids.versionsWithoutAudit(...args);
  }
  listBids(...args: Args<BidRepository, 'listBids'>): Result<BidRepository, 'listBids'> {
    return this.repositories.bids.listBids(...args);
  }
  bidsOfYear(...args: Args<BidRepository, 'bidsOfYear'>): Result<BidRepository, 'bidsOfYear'> {
    return this.repositories.bids.bidsOfYear(...args);
  }
  recommendedSharesOfYear(...args: Args<BidRepository, 'recommendedSharesOfYear'>): Result<BidRepository, 'recommendedSharesOfYear'> {
    return this.repositories.bids.recommendedSharesOfYear(...args);
  }
  history(...args: Args<BidRepository, 'history'>): Result<BidRepository, 'history'> {
    return this.repositories.bids.history(...args);
  }

  // ── budgets ──
  years(...args: Args<BudgetRepository, 'years'>): Result<BudgetRepository, 'years'> {
    return this.repositories.budgets.years(...args);
  }
  registerYear(...args: Args<BudgetRepository, 'registerYear'>): Result<BudgetRepository, 'registerYear'> {
    return this.repositories.budgets.registerYear(...args);
  }
  getBudget(...args: Args<BudgetRepository, 'getBudget'>): Result<BudgetRepository, 'getBudget'> {
    return this.repositories.budgets.getBudget(...args);
  }
  putBudget(...args: Args<BudgetRepository, 'putBudget'>): Result<BudgetRepository, 'putBudget'> {
    return this.repositories.budgets.putBudget(...args);
  }
  setReturnDueDays(...args: Args<BudgetRepository, 'setReturnDueDays'>): Result<BudgetRepository, 'setReturnDueDays'> {
    return this.repositories.budgets.setReturnDueDays(...args);
  }
  closeBudget(...args: Args<BudgetRepository, 'closeBudget'>): Result<BudgetRepository, 'closeBudget'> {
    return this.repositories.budgets.closeBudget(...args);
  }
  createBudget(...args: Args<BudgetRepository, 'createBudget'>): Result<BudgetRepository, 'createBudget'> {
    return this.repositories.budgets.createBudget(...args);
  }
  getYearClose(...args: Args<BudgetRepository, 'getYearClose'>): Result<BudgetRepository, 'getYearClose'> {
    return this.repositories.budgets.getYearClose(...args);
  }
  recordYearClose(...args: Args<BudgetRepository, 'recordYearClose'>): Result<BudgetRepository, 'recordYearClose'> {
    return this.repositories.budgets.recordYearClose(...args);
  }
  setYearCloseOutturn(...args: Args<BudgetRepository, 'setYearCloseOutturn'>): Result<BudgetRepository, 'setYearCloseOutturn'> {
    return this.repositories.budgets.setYearCloseOutturn(...args);
  }
  completeYearClose(...args: Args<BudgetRepository, 'completeYearClose'>): Result<BudgetRepository, 'completeYearClose'> {
    return this.repositories.budgets.completeYearClose(...args);
  }
  recordBudgetEvent(...args: Args<BudgetRepository, 'recordBudgetEvent'>): Result<BudgetRepository, 'recordBudgetEvent'> {
    return this.repositories.budgets.recordBudgetEvent(...args);
  }
  budgetHistory(...args: Args<BudgetRepository, 'budgetHistory'>): Result<BudgetRepository, 'budgetHistory'> {
    return this.repositories.budgets.budgetHistory(...args);
  }

  // ── declarations of interest ──
  recordDeclaration(...args: Args<DeclarationRepository, 'recordDeclaration'>): Result<DeclarationRepository, 'recordDeclaration'> {
    return this.repositories.declarations.recordDeclaration(...args);
  }
  declarations(...args: Args<DeclarationRepository, 'declarations'>): Result<DeclarationRepository, 'declarations'> {
    return this.repositories.declarations.declarations(...args);
  }

  // ── monitoring returns ──
  readReturn(...args: Args<ReturnRepository, 'readReturn'>): Result<ReturnRepository, 'readReturn'> {
    return this.repositories.returns.readReturn(...args);
  }
  putReturn(...args: Args<ReturnRepository, 'putReturn'>): Result<ReturnRepository, 'putReturn'> {
    return this.repositories.returns.putReturn(...args);
  }
  returnsOfBid(...args: Args<ReturnRepository, 'returnsOfBid'>): Result<ReturnRepository, 'returnsOfBid'> {
    return this.repositories.returns.returnsOfBid(...args);
  }
  returnsOfYear(...args: Args<ReturnRepository, 'returnsOfYear'>): Result<ReturnRepository, 'returnsOfYear'> {
    return this.repositories.returns.returnsOfYear(...args);
  }

  // ── ledgers ──
  getLedgers(...args: Args<LedgerRepository, 'getLedgers'>): Result<LedgerRepository, 'getLedgers'> {
    return this.repositories.ledgers.getLedgers(...args);
  }
  createLedger(...args: Args<LedgerRepository, 'createLedger'>): Result<LedgerRepository, 'createLedger'> {
    return this.repositories.ledgers.createLedger(...args);
  }
  setPot(...args: Args<LedgerRepository, 'setPot'>): Result<LedgerRepository, 'setPot'> {
    return this.repositories.ledgers.setPot(...args);
  }
  commitShare(...args: Args<LedgerRepository, 'commitShare'>): Result<LedgerRepository, 'commitShare'> {
    return this.repositories.ledgers.commitShare(...args);
  }
  uncommitShare(...args: Args<LedgerRepository, 'uncommitShare'>): Result<LedgerRepository, 'uncommitShare'> {
    return this.repositories.ledgers.uncommitShare(...args);
  }
  adjustShare(...args: Args<LedgerRepository, 'adjustShare'>): Result<LedgerRepository, 'adjustShare'> {
    return this.repositories.ledgers.adjustShare(...args);
  }
  returnUnderspend(...args: Args<LedgerRepository, 'returnUnderspend'>): Result<LedgerRepository, 'returnUnderspend'> {
    return this.repositories.ledgers.returnUnderspend(...args);
  }
  payInstalment(...args: Args<LedgerRepository, 'payInstalment'>): Result<LedgerRepository, 'payInstalment'> {
    return this.repositories.ledgers.payInstalment(...args);
  }
  unpayInstalment(...args: Args<LedgerRepository, 'unpayInstalment'>): Result<LedgerRepository, 'unpayInstalment'> {
    return this.repositories.ledgers.unpayInstalment(...args);
  }
  releaseShare(...args: Args<LedgerRepository, 'releaseShare'>): Result<LedgerRepository, 'releaseShare'> {
    return this.repositories.ledgers.releaseShare(...args);
  }
  takeAllocation(...args: Args<LedgerRepository, 'takeAllocation'>): Result<LedgerRepository, 'takeAllocation'> {
    return this.repositories.ledgers.takeAllocation(...args);
  }
  closeLedger(...args: Args<LedgerRepository, 'closeLedger'>): Result<LedgerRepository, 'closeLedger'> {
    return this.repositories.ledgers.closeLedger(...args);
  }
  carryIn(...args: Args<LedgerRepository, 'carryIn'>): Result<LedgerRepository, 'carryIn'> {
    return this.repositories.ledgers.carryIn(...args);
  }
  repairLedgerTotals(...args: Args<LedgerRepository, 'repairLedgerTotals'>): Result<LedgerRepository, 'repairLedgerTotals'> {
    return this.repositories.ledgers.repairLedgerTotals(...args);
  }

  // ── idempotency ──
  claimIdempotency(...args: Args<IdempotencyRepository, 'claimIdempotency'>): Result<IdempotencyRepository, 'claimIdempotency'> {
    return this.repositories.idempotency.claimIdempotency(...args);
  }
  noteIdempotentBid(...args: Args<IdempotencyRepository, 'noteIdempotentBid'>): Result<IdempotencyRepository, 'noteIdempotentBid'> {
    return this.repositories.idempotency.noteIdempotentBid(...args);
  }
  completeIdempotency(...args: Args<IdempotencyRepository, 'completeIdempotency'>): Result<IdempotencyRepository, 'completeIdempotency'> {
    return this.repositories.idempotency.completeIdempotency(...args);
  }
  releaseIdempotency(...args: Args<IdempotencyRepository, 'releaseIdempotency'>): Result<IdempotencyRepository, 'releaseIdempotency'> {
    return this.repositories.idempotency.releaseIdempotency(...args);
  }
}
