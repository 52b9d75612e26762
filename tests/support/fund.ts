/** Helpers for API tests: set up a year's budget and bids, and check the ledger invariants of docs/design.md §3. */
import { expectedShare, FUNDER_IDS, type Actor, type Bid, type BidCreate } from '../../domain';
import type { FundStore } from '../../functions/store/types';
import type { TestActorName, TestApi } from './stack';
import { withConfirmation } from './confirmation';

export const FY = '2025/26';
export const FY_PATH = '2025-26';

export const bidBody = (overrides: Partial<BidCreate> = {}): BidCreate => ({
  fy: FY,
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 100_001,
  // Required before approval (docs/design.md §1.4).
  outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
  submit: true,
  ...overrides,
});

export async function setPots(api: TestApi, pots: { 'west-mercia'?: number; warwickshire?: number }, fundPence = 150_000_000, fy = FY) {
  const path = `/years/${fy.replace('/', '-')}/budget`;
  const response = await api.call('admin', 'PUT', path, { body: { fundPence, pots } });
  if (response.status !== 200) throw new Error(`setting pots failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createBid(api: TestApi, overrides: Partial<BidCreate> = {}, actor: TestActorName = 'finance'): Promise<Bid> {
  const response = await api.call<Bid>(actor, 'POST', '/bids', { body: bidBody(overrides) });
  if (response.status !== 201) throw new Error(`creating a bid failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export { withConfirmation };

export async function act(
  api: TestApi,
  actor: TestActorName | Actor | null,
  bid: Pick<Bid, 'id' | 'version'>,
  action: string,
  body: object = {},
  headers: Record<string, string> = {},
) {
  return api.call<Bid>(actor, 'POST', `/bids/${bid.id}/actions/${action}`, {
    body: withConfirmation(action, body),
    headers: { 'if-match': `"${bid.version}"`, ...headers },
  });
}

export async function recommendedBid(api: TestApi, overrides: Partial<BidCreate> = {}, amountPence?: number): Promise<Bid> {
  const bid = await createBid(api, overrides);
  const response = await act(api, 'board', bid, 'recommend', { amountPence: amountPence ?? bid.requestedPence });
  if (response.status !== 200) throw new Error(`recommend failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * A bid recommended and approved by both PCCs: at `amountPence` (requested and recommended), or at
 * what `bidBody` requests. Throws unless it ends approved.
 */
export async function approvedBid(api: TestApi, amountPence?: number, overrides: Partial<BidCreate> = {}): Promise<Bid> {
  let bid = await recommendedBid(api, { ...(amountPence !== undefined ? { requestedPence: amountPence } : {}), ...overrides }, amountPence);
  for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) {
    const response = await act(api, pcc, bid, 'approve');
    if (response.status !== 200) throw new Error(`approve failed: ${JSON.stringify(response.body)}`);
    bid = response.body;
  }
  if (bid.status !== 'approved') throw new Error(`the bid is ${bid.status}, not approved`);
  return bid;
}

export interface InvariantReport {
  violations: string[];
}

/**
 * docs/design.md §3: pot − remaining = Σ allocations; committed and released match the allocations;
 * every approved or released share has its ledger entry; no declined or withdrawn bid keeps one
 * (`strict` — after settling); no half-finished allocation (`strict`).
 */
export async function ledgerViolations(store: FundStore, fy = FY, strict = true): Promise<string[]> {
  const violations: string[] = [];
  const [ledgers, bids] = await Promise.all([store.getLedgers(fy), store.bidsOfYear(fy)]);
  const byId = new Map(bids.map((b) => [b.id, b]));
  for (const ledger of ledgers) {
    const allocations = Object.entries(ledger.allocations);
    // An entry commits its share less the underspend returned (docs/design.md §3.1).
    const sum = allocations.reduce((s, [, a]) => s + a.sharePence - (a.returnedPence ?? 0), 0);
    const released = allocations.filter(([, a]) => a.state === 'released').reduce((s, [, a]) => s + a.sharePence, 0);
    if (ledger.potPence - ledger.remainingPence !== sum)
      violations.push(`${ledger.funder}: pot − remaining ${ledger.potPence - ledger.remainingPence} ≠ Σ allocations ${sum}`);
    if (ledger.committedPence !== sum) violations.push(`${ledger.funder}: committed ${ledger.committedPence} ≠ Σ allocations ${sum}`);
    if (ledger.releasedPence !== released) violations.push(`${ledger.funder}: released ${ledger.releasedPence} ≠ Σ released ${released}`);
    if (ledger.remainingPence < 0) violations.push(`${ledger.funder}: remaining is negative (${ledger.remainingPence})`);
    for (const [bidId, allocation] of allocations) {
      const bid = byId.get(bidId);
      if (!bid) {
        violations.push(`${ledger.funder}: allocation for unknown bid ${bidId}`);
        continue;
      }
      if (allocation.sharePence !== expectedShare(bid, ledger.funder))
        violations.push(`${ledger.funder}/${bidId}: share ${allocation.sharePence} ≠ bid share ${expectedShare(bid, ledger.funder)}`);
      const decision = bid.decisions[ledger.funder];
      if (strict && decision !== 'approved' && decision !== 'released')
        violations.push(`${ledger.funder}/${bidId}: allocation held but decision is ${decision} (status ${bid.status})`);
      if (strict && (bid.status === 'declined' || bid.status === 'withdrawn'))
        violations.push(`${ledger.funder}/${bidId}: allocation held by a ${bid.status} bid`);
      if ((allocation.paidPence ?? 0) > allocation.sharePence + (bid.clawbackDue?.[ledger.funder] ?? 0))
        violations.push(`${ledger.funder}/${bidId}: paid ${allocation.paidPence} is more than the share ${allocation.sharePence}`);
      if ((allocation.returnedPence ?? 0) !== (bid.returned?.[ledger.funder] ?? 0))
        violations.push(
          `${ledger.funder}/${bidId}: returned ${allocation.returnedPence ?? 0} ≠ bid returned ${bid.returned?.[ledger.funder] ?? 0}`,
        );
      if (decision === 'released' && allocation.state !== 'released')
        violations.push(`${ledger.funder}/${bidId}: released decision but allocation ${allocation.state}`);
    }
  }
  for (const bid of bids) {
    for (const funder of FUNDER_IDS) {
      const decision = bid.decisions[funder];
      if ((decision === 'approved' || decision === 'released') && !['declined', 'withdrawn'].includes(bid.status)) {
        const ledger = ledgers.find((l) => l.funder === funder);
        if (!ledger?.allocations[bid.id]) violations.push(`${funder}/${bid.id}: ${decision} but no ledger entry`);
      }
    }
  }
  return violations;
}
