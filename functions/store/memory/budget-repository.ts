/** Budgets, their history and the registered years in maps, as the DynamoDB adapter keeps them. */
import type { BudgetEvent, Outturn, YearClose } from '../../../domain';
import type { BudgetRepository } from '../ports/budget-repository';
import type { BudgetRecord } from '../types';
import { copy, tick } from './values';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class MemoryBudgetRepository implements BudgetRepository {
  private readonly registered = new Set<string>();
  private readonly budgets = new Map<string, BudgetRecord>();
  private readonly closes = new Map<string, YearClose>();
  /** The close request that marked each year's budget (the adapter's closedBy attribute). */
  private readonly closedBy = new Map<string, string>();
  /** Budget events by year, then request id (the first event a request records stays). */
  private readonly events = new Map<string, Map<string, BudgetEvent>>();

  async years(): Promise<string[]> {
    await tick();
    return [...this.registered].sort(byString);
  }

  async registerYear(fy: string): Promise<void> {
    await tick();
    this.registered.add(fy);
  }

  async getBudget(fy: string): Promise<BudgetRecord | undefined> {
    await tick();
    const budget = this.budgets.get(fy);
    return budget ? copy(budget) : undefined;
  }

  async createBudget(budget: BudgetRecord): Promise<'created' | 'exists'> {
    await tick();
    const exists = this.budgets.has(budget.fy);
    if (!exists) this.budgets.set(budget.fy, copy(budget));
    await this.registerYear(budget.fy);
    return exists ? 'exists' : 'created';
  }

  async getYearClose(fy: string): Promise<YearClose | undefined> {
    await tick();
    return copy(this.closes.get(fy));
  }

  async recordYearClose(close: YearClose): Promise<'recorded' | YearClose> {
    await tick();
    const existing = this.closes.get(close.fy);
    if (existing) return copy(existing);
    this.closes.set(close.fy, copy(close));
    return 'recorded';
  }

  async setYearCloseOutturn(fy: string, requestId: string, outturn: Outturn): Promise<YearClose | undefined> {
    await tick();
    const close = this.closes.get(fy);
    if (close && close.requestId === requestId && close.outturn === undefined) close.outturn = copy(outturn);
    return copy(close);
  }

  async completeYearClose(fy: string, requestId: string): Promise<void> {
    await tick();
    const close = this.closes.get(fy);
    if (close && close.requestId === requestId && close.outturn !== undefined) close.completed = true;
  }

  async putBudget(budget: BudgetRecord): Promise<'set' | 'closed'> {
    await tick();
    if (this.closedBy.has(budget.fy)) return 'closed';
    this.budgets.set(budget.fy, copy(budget));
    await this.registerYear(budget.fy);
    return 'set';
  }

  async setReturnDueDays(fy: string, returnDueDays: number): Promise<boolean> {
    await tick();
    const budget = this.budgets.get(fy);
    if (budget) budget.returnDueDays = returnDueDays;
    return budget !== undefined;
  }

  async closeBudget(fy: string, requestId: string): Promise<boolean> {
    await tick();
    if (!this.budgets.has(fy)) return false;
    const by = this.closedBy.get(fy) ?? requestId;
    this.closedBy.set(fy, by);
    return by === requestId;
  }

  async recordBudgetEvent(event: BudgetEvent): Promise<void> {
    await tick();
    let ofYear = this.events.get(event.fy);
    if (!ofYear) this.events.set(event.fy, (ofYear = new Map()));
    if (!ofYear.has(event.requestId)) ofYear.set(event.requestId, copy(event));
  }

  async budgetHistory(fy: string): Promise<BudgetEvent[]> {
    await tick();
    // Read in key order (request id), then ordered by time, as the adapter does.
    const ofYear = this.events.get(fy) ?? new Map<string, BudgetEvent>();
    return [...ofYear.entries()]
      .sort(([a], [b]) => byString(a, b))
      .map(([, event]) => copy(event))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}
