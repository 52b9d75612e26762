/**
 * The cost-lines rule (docs/design.md §1, part of budget check 3): a bid's cost lines, when it has
 * any, sum exactly to the amount requested. One predicate and one message, read by the bid
 * schema (400 on create and patch) and by the budget checks (the sheet and the store).
 */
import { formatPounds, type Pence } from './money';

/** The fields the rule reads. */
export interface CostedRequest {
  requestedPence: Pence;
  costLines?: readonly { pence: Pence }[] | undefined;
}

/** The amounts of a broken rule, in pence. */
export interface CostLinesMismatch {
  requestedPence: Pence;
  costLinesPence: Pence;
}

/** The mismatch when the bid has cost lines that do not sum to the request; else null. */
export function costLinesMismatch(bid: CostedRequest): CostLinesMismatch | null {
  if (!bid.costLines || bid.costLines.length === 0) return null;
  const costLinesPence = bid.costLines.reduce((sum, line) => sum + line.pence, 0);
  return costLinesPence === bid.requestedPence ? null : { requestedPence: bid.requestedPence, costLinesPence };
}

/** The one wording of the rule, for the API's field issue and the budget check alike. */
export const costLinesMismatchMessage = (mismatch: CostLinesMismatch): string =>
  `cost lines sum to ${formatPounds(mismatch.costLinesPence)} but the request is ${formatPounds(mismatch.requestedPence)}`;
