/** Budgets, their history and the years that hold data. */
import type { BudgetEvent } from '../../../domain';
import type { BudgetRecord } from '../types';

export interface BudgetRepository {
  /** Financial years holding a budget or any bid. */
  years(): Promise<string[]>;
  /** Note that a financial year holds data (idempotent), so reconcile and export visit it. */
  registerYear(fy: string): Promise<void>;
  getBudget(fy: string): Promise<BudgetRecord | undefined>;
  putBudget(budget: BudgetRecord): Promise<void>;
  /** Append a budget change to the year's budget history (idempotent per request id). */
  recordBudgetEvent(event: BudgetEvent): Promise<void>;
  budgetHistory(fy: string): Promise<BudgetEvent[]>;
}
