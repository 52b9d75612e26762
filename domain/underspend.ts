/**
 * Underspend returned by a project (docs/design.md §3.1): finance records an amount the project
 * spent less than it was paid; it goes back to the funders, split by running totals over what each
 * has paid, so every return's parts sum exactly to it and a funder is never given back more than
 * it paid. Each funder's part goes back to its ledger's remaining (the 'return' LedgerEffect).
 */
import { FUNDER_IDS } from './alliance';
import { eventFor, nextVersion } from './bid-version';
import { domainError, invalid, type DomainError } from './errors';
import { bigLargestRemainderSplit } from './instalments';
import type { BidChange, LedgerEffect, LifecycleContext } from './lifecycle';
import { formatPounds, type Pence } from './money';
import { paidSoFar } from './payments';
import { err, ok, type Result } from './result';
import type { ActionBody } from './schemas/action';
import type { Actor, Role } from './schemas/actor';
import type { Bid } from './schemas/bid';
import type { Shares } from './split';

/** Each funder with a share: what it has paid (the weights of the split; paidSoFar, the one reading of paid). */
export function paidShares(bid: Pick<Bid, 'shares' | 'decisions' | 'payments'>): Shares {
  return paidSoFar(bid);
}

const total = (shares: Shares): Pence => Object.values(shares).reduce((sum, p) => sum + (p ?? 0), 0);

/**
 * The parts of a return of `amount` after `returned` has been returned before: funder f's part is
 * split(C_k)[f] − returned[f], C_k = Σ returned + amount, the split by largest remainder (BigInt)
 * weighted by what each funder has paid. While the paid amounts stay as they were, returned[f] is
 * split(C_{k−1})[f], so this is the running-total rule; the parts sum to `amount` regardless.
 * undefined when a part would be negative (three or more funders, or paid amounts changed since).
 */
export function returnParts(paid: Shares, returned: Shares, amount: Pence): Shares | undefined {
  const funders = FUNDER_IDS.filter((f) => paid[f] !== undefined && (paid[f] ?? 0) > 0);
  const cumulative = total(returned) + amount;
  const after = bigLargestRemainderSplit(
    cumulative,
    funders.map((f) => paid[f] ?? 0),
  );
  const parts: Shares = {};
  for (const [i, f] of funders.entries()) {
    const part = (after[i] ?? 0) - (returned[f] ?? 0);
    if (part < 0) return undefined;
    parts[f] = part;
  }
  return parts;
}

/** Finance records underspend the project returned (body: amountPence and reason). */
export function returnUnderspend(
  bid: Bid,
  body: ActionBody,
  actor: Actor,
  role: Role,
  ctx: LifecycleContext,
): Result<BidChange, DomainError> {
  const amount = body.amountPence;
  if (amount === undefined) return err(invalid('amountPence', 'is required: the underspend returned, in pence'));
  if (body.reason === undefined) return err(invalid('reason', 'is required: why the project returns money'));
  if (bid.variation) return err(domainError('invalid-transition', 'a variation of this bid is waiting for the funders: return after it'));
  const paid = paidShares(bid);
  const returned: Shares = { ...bid.returned };
  const returnable = total(paid) - total(returned);
  if (amount > returnable) {
    return err(invalid('amountPence', `must not exceed what is paid and not yet returned: ${formatPounds(Math.max(0, returnable))}`));
  }
  const parts = returnParts(paid, returned, amount);
  if (!parts) return err(invalid('amountPence', 'this amount splits unevenly between the funders; choose another amount'));
  const effects: LedgerEffect[] = [];
  const nextReturned: Shares = { ...returned };
  for (const f of FUNDER_IDS) {
    const part = parts[f] ?? 0;
    if (part === 0) continue;
    const fromPence = returned[f] ?? 0;
    nextReturned[f] = fromPence + part;
    effects.push({ kind: 'return', funder: f, sharePence: fromPence + part, fromPence });
  }
  const next = nextVersion(bid, actor, ctx, { returned: nextReturned });
  const event = eventFor(bid, next, 'return-underspend', role, actor, {
    amounts: { returnedPence: amount },
    returnedParts: parts,
    reason: body.reason,
  });
  return ok({ bid: next, effects, event });
}
