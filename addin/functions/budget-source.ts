/** The functions' budget look-ups: batched through the signed-in session's client. */
import { onSessionChange, getSession } from '../session';
import { BudgetBatcher } from './budget-batcher';
import { ServiceUnavailableError, type BudgetSource } from './engine';

let batcher: BudgetBatcher | null = null;

function sharedBatcher(): BudgetBatcher {
  batcher ??= new BudgetBatcher((fy) => {
    const session = getSession();
    if (!session) return Promise.reject(new ServiceUnavailableError('sign in to Fundshare in the task pane first'));
    return session.client.budget(fy);
  });
  return batcher;
}

onSessionChange(() => batcher?.clear());

export function budgetSource(): BudgetSource {
  const shared = sharedBatcher();
  return (fy) => shared.get(fy);
}

/** Drop cached budgets so the next recalculation reads fresh numbers (after a push or a refresh). */
export function refreshFunctionBudgets(): void {
  batcher?.clear();
}
