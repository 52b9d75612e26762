/**
 * Ending a variation without applying it (docs/design.md §3.1), over HTTP on dynalite: finance
 * withdraws it, or a PCC still to decide declines it. The bid keeps its amount and shares, and a
 * funder that had already approved the variation has its ledger entry put back to its share.
 */
import fc from 'fast-check';
import type { Bid, FunderId } from '../../domain';
import { act, approvedBid, FY, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 10_350_000, warwickshire: 4_650_000 }, 15_000_000);
});
afterAll(() => api.stop());

const vary = (bid: Bid, amountPence: number) => act(api, 'finance', bid, 'vary', { amountPence, reason: 'the project costs changed' });
const entry = async (bidId: string, funder: FunderId) =>
  (await api.stack.deps.store.getLedgers(FY)).find((l) => l.funder === funder)?.allocations[bidId];
const ledger = async (funder: FunderId) => (await api.stack.deps.store.getLedgers(FY)).find((l) => l.funder === funder);

/** Each ledger's committed total is the approved shares of its live bids, and its totals agree with its entries. */
async function expectLedgersWhole(): Promise<void> {
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  const bids = await api.stack.deps.store.bidsOfYear(FY);
  for (const funder of ['west-mercia', 'warwickshire'] as const) {
    const held = bids
      .filter((b) => b.decisions[funder] === 'approved' || b.decisions[funder] === 'released')
      .reduce(
        (sum, b) => sum + (b.variation?.decisions[funder] === 'approved' ? (b.variation.shares[funder] ?? 0) : (b.shares[funder] ?? 0)),
        0,
      );
    expect((await ledger(funder))?.committedPence).toBe(held);
  }
}

test('finance withdraws a variation no funder has approved: nothing moves, the reason is in the history', async () => {
  const bid = await approvedBid(api, 100_000);
  const before = await ledger('west-mercia');
  const varied = await vary(bid, 150_000);
  const withdrawn = await act(api, 'finance', varied.body, 'withdraw-variation', { reason: 'asked for in error' });
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.body).toMatchObject({ status: 'approved', recommendedPence: 100_000, shares: bid.shares });
  expect(withdrawn.body.variation).toBeUndefined();
  expect((await ledger('west-mercia'))?.committedPence).toBe(before?.committedPence);
  const history = await api.call<{ events: { action: string; reason?: string; actor: string }[] }>(
    'finance',
    'GET',
    `/bids/${bid.id}/history`,
  );
  expect(history.body.events.at(-1)).toMatchObject({ action: 'withdraw-variation', reason: 'asked for in error' });
  // The bid is free again: it may be scheduled and varied anew.
  expect((await vary(withdrawn.body, 80_000)).status).toBe(200);
  await expectLedgersWhole();
});

test('a PCC declines a variation upwards the other funder already approved: that funder gets its difference back', async () => {
  const bid = await approvedBid(api, 100_000);
  const varied = await vary(bid, 200_000);
  const remainingBefore = (await ledger('west-mercia'))?.remainingPence ?? 0;
  const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 138_000 });
  expect((await ledger('west-mercia'))?.remainingPence).toBe(remainingBefore - 69_000);
  await expectLedgersWhole();

  const declined = await act(api, 'warwickshirePcc', wm.body, 'decline-variation', { reason: 'not in our plan' });
  expect(declined.status).toBe(200);
  expect(declined.body).toMatchObject({ recommendedPence: 100_000, shares: { 'west-mercia': 69_000, warwickshire: 31_000 } });
  expect(declined.body.variation).toBeUndefined();
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 69_000 });
  expect((await ledger('west-mercia'))?.remainingPence).toBe(remainingBefore);
  const history = await api.call<{ events: { action: string; funder?: string }[] }>('finance', 'GET', `/bids/${bid.id}/history`);
  expect(history.body.events.at(-1)).toMatchObject({ action: 'decline-variation', funder: 'warwickshire' });
  await expectLedgersWhole();
});

test('withdrawing a variation downwards takes the share back from the pot; refused over-budget when the pot was spent meanwhile', async () => {
  const bid = await approvedBid(api, 100_000);
  const varied = await vary(bid, 50_000);
  const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 34_500 });

  // West Mercia's pot is spent down to 1p short of what the restored share needs.
  const wmLedger = await ledger('west-mercia');
  const committed = wmLedger?.committedPence ?? 0;
  await setPots(api, { 'west-mercia': committed + 34_499, warwickshire: 4_650_000 }, 15_000_000);
  const refused = await act(api, 'finance', wm.body, 'withdraw-variation', { reason: 'the project found the money' });
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ type: 'urn:fundshare:problem:over-budget', funder: 'west-mercia' });
  const unchanged = await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`);
  expect(unchanged.body).toMatchObject({ version: wm.body.version, variation: { decisions: { 'west-mercia': 'approved' } } });
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 34_500 });
  await expectLedgersWhole();

  await setPots(api, { 'west-mercia': committed + 34_500, warwickshire: 4_650_000 }, 15_000_000);
  const withdrawn = await act(api, 'finance', wm.body, 'withdraw-variation', { reason: 'the project found the money' });
  expect(withdrawn.status).toBe(200);
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 69_000 });
  expect((await ledger('west-mercia'))?.remainingPence).toBe(0);
  await expectLedgersWhole();
  await setPots(api, { 'west-mercia': 10_350_000, warwickshire: 4_650_000 }, 15_000_000);
});

test('a variation below what a funder paid: its clawback goes when the variation is declined', async () => {
  const bid = await approvedBid(api, 100_000);
  const scheduled = await api.call<Bid>('finance', 'PUT', `/bids/${bid.id}/payments`, {
    body: {
      instalments: [
        { due: '2025-06-30', amountPence: 80_000 },
        { due: '2025-12-31', amountPence: 20_000 },
      ],
    },
    headers: { 'if-match': `"${bid.version}"` },
  });
  const paid = await api.call<Bid>('westMerciaPcc', 'POST', `/bids/${bid.id}/payments/1/actions/release`, {
    headers: { 'if-match': `"${scheduled.body.version}"` },
  });
  const varied = await vary(paid.body, 50_000);
  const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
  expect(wm.body.clawbackDue).toEqual({ 'west-mercia': 20_700 });
  const declined = await act(api, 'warwickshirePcc', wm.body, 'decline-variation', { reason: 'keep the grant as agreed' });
  expect(declined.status).toBe(200);
  expect(declined.body.clawbackDue).toBeUndefined();
  expect(await entry(bid.id, 'west-mercia')).toMatchObject({ sharePence: 69_000, paidPence: 55_200 });
  // The rest of the schedule goes on.
  const rest = await api.call<Bid>('westMerciaPcc', 'POST', `/bids/${bid.id}/payments/2/actions/release`, {
    headers: { 'if-match': `"${declined.body.version}"` },
  });
  expect(rest.status).toBe(200);
  await expectLedgersWhole();
});

test('refusals: no variation, no reason, the wrong role, a funder that already approved', async () => {
  const bid = await approvedBid(api, 100_000);
  expect((await act(api, 'finance', bid, 'withdraw-variation', { reason: 'x' })).body).toMatchObject({ status: 409 });
  expect((await act(api, 'westMerciaPcc', bid, 'decline-variation', { reason: 'x' })).body).toMatchObject({ status: 409 });
  const varied = await vary(bid, 120_000);
  const noReason = await act(api, 'finance', varied.body, 'withdraw-variation');
  expect(noReason.body).toMatchObject({ status: 400, errors: [{ path: 'reason' }] });
  expect((await act(api, 'board', varied.body, 'withdraw-variation', { reason: 'x' })).status).toBe(403);
  expect((await act(api, 'westMerciaPcc', varied.body, 'withdraw-variation', { reason: 'x' })).status).toBe(403);
  expect((await act(api, 'finance', varied.body, 'decline-variation', { reason: 'x' })).status).toBe(403);
  const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
  const late = await act(api, 'westMerciaPcc', wm.body, 'decline-variation', { reason: 'changed my mind' });
  expect(late.body).toMatchObject({ status: 409, funder: 'west-mercia' });
  // A West Mercia-only bid: Warwickshire's PCC has nothing to decline.
  const local = await recommendedBid(api, { requestedPence: 50_000, scope: 'west-mercia', leadOrganisation: 'shropshire' }, 50_000);
  const approved = await act(api, 'westMerciaPcc', local, 'approve');
  const localVaried = await vary(approved.body, 40_000);
  expect((await act(api, 'warwickshirePcc', localVaried.body, 'decline-variation', { reason: 'x' })).status).toBe(403);
  await expectLedgersWhole();
});

const STEPS = [
  ['westMerciaPcc', 'approve-variation'],
  ['warwickshirePcc', 'approve-variation'],
  ['westMerciaPcc', 'decline-variation'],
  ['warwickshirePcc', 'decline-variation'],
  ['finance', 'withdraw-variation'],
] as const;

test('property: random variations ended or approved in any order leave every ledger holding its bids’ expected shares', async () => {
  const step = fc.record({
    amountPence: fc.option(fc.integer({ min: 1, max: 300_000 }), { nil: undefined }),
    end: fc.constantFrom(...STEPS),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
      let bid = await approvedBid(api, 100_000);
      for (const { amountPence, end } of steps) {
        const [actor, action] = end;
        const result =
          amountPence !== undefined && !bid.variation
            ? await vary(bid, amountPence)
            : await act(api, actor, bid, action, { reason: 'walk' });
        // Refusals (a funder that already decided, a variation that is not there) change nothing.
        if (result.status !== 200) expect(result.status).toBeGreaterThanOrEqual(400);
        bid = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
        await expectLedgersWhole();
      }
    }),
    { numRuns: 20 },
  );
}, 240_000);
