/** Budgets, their history and the years that hold data. */
import type { BudgetEvent, Outturn, YearClose } from '../../../domain';
import type { BudgetRecord } from '../types';

export interface BudgetRepository {
  /** Financial years holding a budget or any bid. */
  years(): Promise<string[]>;
  /** Note that a financial year holds data (idempotent), so reconcile and export visit it. */
  registerYear(fy: string): Promise<void>;
  getBudget(fy: string): Promise<BudgetRecord | undefined>;
  /**
   * Write a year's fund and cost share; 'closed' (nothing written) once its close has marked the
   * budget (docs/design.md §3.1), so no fund change lands behind a close.
   */
  putBudget(budget: BudgetRecord): Promise<'set' | 'closed'>;
  /** Set only a year's returnDueDays (a closed year's too); false when the year has no budget. */
  setReturnDueDays(fy: string, returnDueDays: number): Promise<boolean>;
  /** Mark the budget closedBy the close's request (idempotent; false if none or another close's). */
  closeBudget(fy: string, requestId: string): Promise<boolean>;
  /** Create a year's budget where none exists (a carry-in into a year not yet set). */
  createBudget(budget: BudgetRecord): Promise<'created' | 'exists'>;
  /** The year's close, if it was closed (docs/design.md §3.1). */
  getYearClose(fy: string): Promise<YearClose | undefined>;
  /** Record a year's close once: 'recorded', or the close already recorded (by this request or another). */
  recordYearClose(close: YearClose): Promise<'recorded' | YearClose>;
  /** Fix the close's outturn, once, for the close's own request; returns the close as stored after. */
  setYearCloseOutturn(fy: string, requestId: string, outturn: Outturn): Promise<YearClose | undefined>;
  /** Mark the close's every step done (idempotent). */
  completeYearClose(fy: string, requestId: string): Promise<void>;
  /** Append a budget change to the year's budget history (idempotent per request id). */
  recordBudgetEvent(event: BudgetEvent): Promise<void>;
  budgetHistory(fy: string): Promise<BudgetEvent[]>;
}
