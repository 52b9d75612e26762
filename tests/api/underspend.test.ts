/** Underspend returned to the funders (docs/design.md §3.1) over HTTP on dynalite. */
import type { AuditEvent, Bid, FunderId } from '../../domain';
import { act, approvedBid, FY, ledgerViolations, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

const giveBack = (bid: Pick<Bid, 'id' | 'version'>, amountPence: number, who: 'finance' | 'westMerciaPcc' | 'board' = 'finance') =>
  act(api, who, bid, 'return-underspend', { amountPence, reason: 'the project spent less' });

const remaining = async (): Promise<Record<string, number>> =>
  Object.fromEntries((await api.stack.deps.store.getLedgers(FY)).map((l) => [l.funder, l.remainingPence]));

const entry = async (bidId: string, funder: FunderId) =>
  (await api.stack.deps.store.getLedgers(FY)).find((l) => l.funder === funder)?.allocations[bidId];

test('finance only; on a paid bid; never more than paid and not yet returned (400 naming amountPence)', async () => {
  const bid = await approvedBid(api, 100_000);
  // Nothing paid yet: nothing to return.
  const nothing = await giveBack(bid, 1);
  expect(nothing.status).toBe(400);
  expect(nothing.body).toMatchObject({ errors: [{ path: 'amountPence' }] });
  const scheduled = await api.call<Bid>('finance', 'PUT', `/bids/${bid.id}/payments`, {
    body: {
      instalments: [
        { due: '2025-06-30', amountPence: 40_000 },
        { due: '2025-09-30', amountPence: 60_000 },
      ],
    },
    headers: { 'if-match': `"${bid.version}"` },
  });
  let current = scheduled.body;
  for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) {
    current = (
      await api.call<Bid>(pcc, 'POST', `/bids/${bid.id}/payments/1/actions/release`, { headers: { 'if-match': `"${current.version}"` } })
    ).body;
  }
  expect((await giveBack(current, 100, 'westMerciaPcc')).status).toBe(403);
  expect((await giveBack(current, 100, 'board')).status).toBe(403);
  const tooMuch = await giveBack(current, 40_001);
  expect(tooMuch.status).toBe(400);
  expect(tooMuch.body).toMatchObject({ type: 'urn:fundshare:problem:invalid', errors: [{ path: 'amountPence' }] });
  expect((await act(api, 'finance', current, 'return-underspend', { amountPence: 100 })).status).toBe(400); // reason required
  expect((await giveBack(current, 40_000)).status).toBe(200);
  expect((await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body.returned).toEqual({ 'west-mercia': 27_600, warwickshire: 12_400 });
  const again = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
  expect((await giveBack(again, 1)).status).toBe(400);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

test('two returns on a bid released whole: each split by running totals over what was paid, parts summing exactly, back in each pot', async () => {
  let bid = await approvedBid(api, 100_001);
  expect(bid.shares).toEqual({ 'west-mercia': 69_001, warwickshire: 31_000 });
  for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) bid = (await act(api, pcc, bid, 'release')).body;
  expect(bid.status).toBe('released');
  const before = await remaining();

  const first = await giveBack(bid, 3);
  expect(first.status).toBe(200);
  const firstParts = first.body.returned ?? {};
  expect((firstParts['west-mercia'] ?? 0) + (firstParts.warwickshire ?? 0)).toBe(3);
  const second = await giveBack(first.body, 10_000);
  expect(second.status).toBe(200);
  const returned = second.body.returned ?? {};
  expect((returned['west-mercia'] ?? 0) + (returned.warwickshire ?? 0)).toBe(10_003);
  // The running total: after both returns, the split of 10,003p by the paid shares.
  expect(returned).toEqual({ 'west-mercia': 6_902, warwickshire: 3_101 });

  const after = await remaining();
  for (const f of ['west-mercia', 'warwickshire'] as const) {
    expect((after[f] ?? 0) - (before[f] ?? 0)).toBe(returned[f]);
    expect((await entry(bid.id, f))?.returnedPence).toBe(returned[f]);
  }
  const history = await api.call<{ events: AuditEvent[] }>('finance', 'GET', `/bids/${bid.id}/history`);
  const events = history.body.events.filter((e) => e.action === 'return-underspend');
  expect(events.map((e) => e.amounts?.returnedPence)).toEqual([3, 10_000]);
  expect(events[1]?.returnedParts).toEqual({
    'west-mercia': 6_902 - (firstParts['west-mercia'] ?? 0),
    warwickshire: 3_101 - (firstParts.warwickshire ?? 0),
  });
  const report = await api.call<{ totals: { returnedPence: number }; byFunder: { funder: string; totals: { returnedPence: number } }[] }>(
    'finance',
    'GET',
    `/years/${FY.replace('/', '-')}/report`,
  );
  expect(report.status).toBe(200);
  expect(report.body.byFunder.find((r) => r.funder === 'warwickshire')?.totals.returnedPence).toBeGreaterThanOrEqual(3_101);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

test('concurrent returns on the same version: one lands, the rest are told to refresh; bid and ledgers agree', async () => {
  let bid = await approvedBid(api, 200_000);
  for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) bid = (await act(api, pcc, bid, 'release')).body;
  const before = await remaining();
  const outcomes = await Promise.all(Array.from({ length: 6 }, () => giveBack(bid, 1_000)));
  expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1);
  expect(outcomes.every((o) => o.status === 200 || o.status === 412)).toBe(true);
  const stored = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
  const after = await remaining();
  const back = (['west-mercia', 'warwickshire'] as const).reduce((s, f) => s + ((after[f] ?? 0) - (before[f] ?? 0)), 0);
  expect(back).toBe(1_000);
  expect(Object.values(stored.returned ?? {}).reduce((s, p) => s + (p ?? 0), 0)).toBe(1_000);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});
