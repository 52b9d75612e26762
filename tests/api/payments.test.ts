/** Money after approval (docs/design.md §3.1) over HTTP on dynalite: the payment schedule and per-instalment releases. */
import type { Bid } from '../../domain';
import { paymentDrift } from '../../domain/ledger';
import { act, approvedBid, FY, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

const schedule = (bid: Pick<Bid, 'id' | 'version'>, instalments: { due: string; amountPence: number }[], actor = 'finance' as const) =>
  api.call<Bid>(actor, 'PUT', `/bids/${bid.id}/payments`, { body: { instalments }, headers: { 'if-match': `"${bid.version}"` } });

const release = (actor: 'westMerciaPcc' | 'warwickshirePcc', bid: Pick<Bid, 'id' | 'version'>, n: number, key?: string) =>
  api.call<Bid>(actor, 'POST', `/bids/${bid.id}/payments/${n}/actions/release`, {
    headers: { 'if-match': `"${bid.version}"`, ...(key ? { 'idempotency-key': key } : {}) },
  });

test('finance schedules £1,000.01 in three instalments; parts sum to each share; releases pay each part once; all paid → released', async () => {
  const bid = await approvedBid(api, 100_001);
  expect(bid.shares).toEqual({ 'west-mercia': 69_001, warwickshire: 31_000 });
  const scheduled = await schedule(bid, [
    { due: '2025-06-30', amountPence: 1 },
    { due: '2025-09-30', amountPence: 50_000 },
    { due: '2026-03-31', amountPence: 50_000 },
  ]);
  expect(scheduled.status).toBe(200);
  const parts = scheduled.body.payments?.map((i) => i.parts);
  expect(parts).toEqual([
    { 'west-mercia': 1, warwickshire: 0 },
    { 'west-mercia': 34_500, warwickshire: 15_500 },
    { 'west-mercia': 34_500, warwickshire: 15_500 },
  ]);

  let current = scheduled.body;
  const first = await release('westMerciaPcc', current, 1, 'rel-wm-1');
  expect(first.status).toBe(200);
  expect(first.body.payments?.[0]?.paid['west-mercia']).toEqual(expect.any(String));
  // A retry with the same key replays; a second release of the same part is refused.
  expect((await release('westMerciaPcc', current, 1, 'rel-wm-1')).body).toEqual(first.body);
  current = first.body;
  expect((await release('westMerciaPcc', current, 1)).status).toBe(409);
  // Warwickshire's part of instalment 1 is nothing; a PCC cannot release for the other funder's ledger.
  expect((await release('warwickshirePcc', current, 1)).status).toBe(409);
  expect((await release('westMerciaPcc', current, 9)).status).toBe(404);

  for (const [actor, n] of [
    ['westMerciaPcc', 2],
    ['warwickshirePcc', 2],
    ['westMerciaPcc', 3],
  ] as const) {
    const next = await release(actor, current, n);
    expect(next.status).toBe(200);
    current = next.body;
  }
  expect(current).toMatchObject({ status: 'approved', decisions: { 'west-mercia': 'released', warwickshire: 'approved' } });
  const last = await release('warwickshirePcc', current, 3);
  expect(last.body).toMatchObject({ status: 'released', decisions: { 'west-mercia': 'released', warwickshire: 'released' } });

  const ledgers = await api.stack.deps.store.getLedgers(FY);
  for (const ledger of ledgers) {
    const entry = ledger.allocations[bid.id];
    expect(entry).toMatchObject({ state: 'released', paidPence: bid.shares[ledger.funder] });
  }
  const history = await api.call<{ events: { action: string; instalment?: number }[] }>('finance', 'GET', `/bids/${bid.id}/history`);
  expect(history.body.events.filter((e) => e.action === 'release-instalment').map((e) => e.instalment)).toEqual([1, 2, 2, 3, 3]);
  expect(history.body.events.map((e) => e.action)).toContain('schedule-payments');
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

test('a schedule must sum to the funded amount, in date order, on an approved bid, by finance; fixed once a part is paid', async () => {
  const bid = await approvedBid(api, 10_000);
  expect((await schedule(bid, [{ due: '2025-06-30', amountPence: 9_999 }])).status).toBe(400);
  expect(
    (
      await schedule(bid, [
        { due: '2025-09-30', amountPence: 5_000 },
        { due: '2025-06-30', amountPence: 5_000 },
      ])
    ).status,
  ).toBe(400);
  expect((await schedule(bid, [{ due: '2025-02-30', amountPence: 10_000 }])).status).toBe(400);
  expect(
    (await api.call('westMerciaPcc', 'PUT', `/bids/${bid.id}/payments`, { body: { instalments: [] }, headers: { 'if-match': '1' } }))
      .status,
  ).toBe(400);
  expect(
    (
      await api.call('board', 'PUT', `/bids/${bid.id}/payments`, {
        body: { instalments: [{ due: '2025-06-30', amountPence: 10_000 }] },
        headers: { 'if-match': `"${bid.version}"` },
      })
    ).status,
  ).toBe(403);
  expect(
    (await api.call('finance', 'PUT', `/bids/${bid.id}/payments`, { body: { instalments: [{ due: '2025-06-30', amountPence: 10_000 }] } }))
      .status,
  ).toBe(428);
  // Without a schedule there is nothing to release by instalment.
  expect((await release('westMerciaPcc', bid, 1)).status).toBe(409);
  const once = await schedule(bid, [{ due: '2025-06-30', amountPence: 10_000 }]);
  const again = await schedule(once.body, [
    { due: '2025-06-30', amountPence: 4_000 },
    { due: '2025-07-30', amountPence: 6_000 },
  ]);
  expect(again.status).toBe(200);
  // Paid by instalment: the whole-share release action is refused.
  expect((await act(api, 'westMerciaPcc', again.body, 'release')).status).toBe(409);
  const paid = await release('westMerciaPcc', again.body, 1);
  expect(paid.status).toBe(200);
  expect((await schedule(paid.body, [{ due: '2025-06-30', amountPence: 10_000 }])).status).toBe(409);
  const recommended = await recommendedBid(api);
  expect((await schedule(recommended, [{ due: '2025-06-30', amountPence: recommended.recommendedPence ?? 0 }])).status).toBe(409);
});

test('concurrent releases of every part by both PCCs: each paid once, never more than a share, the bid ends released', async () => {
  const bid = await approvedBid(api, 1_000_000);
  const instalments = Array.from({ length: 8 }, (_, i) => ({ due: `2025-${String(i + 4).padStart(2, '0')}-01`, amountPence: 125_000 }));
  const scheduled = (await schedule(bid, instalments)).body;
  const attempts = [];
  for (let n = 1; n <= 8; n++) {
    for (const actor of ['westMerciaPcc', 'warwickshirePcc'] as const) {
      // Twice each, under different keys: one of the two is refused.
      attempts.push(release(actor, scheduled, n), release(actor, scheduled, n));
    }
  }
  const outcomes = await Promise.all(attempts);
  // A duplicate is refused (409); a release that loses the bid race too often asks for a refresh (412).
  expect(outcomes.every((o) => [200, 409, 412].includes(o.status))).toBe(true);
  const store = api.stack.deps.store;
  const afterRace = (await store.readBid(bid.id))?.bid as Bid;
  for (const ledger of await store.getLedgers(FY)) {
    const entry = ledger.allocations[bid.id];
    const paidOnBid = (afterRace.payments ?? []).reduce((sum, i) => sum + (i.paid[ledger.funder] ? (i.parts[ledger.funder] ?? 0) : 0), 0);
    expect(entry?.paidPence ?? 0).toBe(paidOnBid);
    expect(entry?.paidPence ?? 0).toBeLessThanOrEqual(bid.shares[ledger.funder] ?? 0);
  }
  // Whatever the race left unpaid is released one by one.
  let current = afterRace;
  for (let n = 1; n <= 8; n++) {
    for (const [actor, funder] of [
      ['westMerciaPcc', 'west-mercia'],
      ['warwickshirePcc', 'warwickshire'],
    ] as const) {
      if (current.payments?.[n - 1]?.paid[funder]) continue;
      const next = await release(actor, current, n);
      expect(next.status).toBe(200);
      current = next.body;
    }
  }
  const final = await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`);
  expect(final.body.status).toBe('released');
  const ledgers = await api.stack.deps.store.getLedgers(FY);
  for (const ledger of ledgers) expect(ledger.allocations[bid.id]?.paidPence).toBe(bid.shares[ledger.funder]);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

/** Every ledger payment of the bid against the bid's instalments, as reconcile checks them (docs/design.md §3.1). */
async function paymentDriftOf(bid: Bid) {
  const ledgers = await api.stack.deps.store.getLedgers(FY);
  return ledgers.flatMap((l) => (l.allocations[bid.id] ? paymentDrift(bid, l.funder, l.allocations[bid.id]!, () => true) : []));
}

test('a paid instalment keeps its number when finance schedules again or a variation is approved: the ledger keys payments by it', async () => {
  // Found by the reliability walk: the second instalment paid first, then a new schedule moved it to first.
  const bid = await approvedBid(api, 100_000);
  const scheduled = await schedule(bid, [
    { due: '2025-06-30', amountPence: 40_000 },
    { due: '2025-09-30', amountPence: 60_000 },
  ]);
  const wm = await release('westMerciaPcc', scheduled.body, 2);
  const both = await release('warwickshirePcc', wm.body, 2);
  expect(both.status).toBe(200);
  const again = await schedule(both.body, [{ due: '2026-03-31', amountPence: 40_000 }]);
  expect(again.status).toBe(200);
  expect(again.body.payments?.map((i) => [i.amountPence, Object.keys(i.paid).length])).toEqual([
    [0, 0],
    [60_000, 2],
    [40_000, 0],
  ]);
  expect(await paymentDriftOf(again.body)).toEqual([]);

  const varied = await act(api, 'finance', again.body, 'vary', { amountPence: 90_000, reason: 'smaller' });
  const oneFunder = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
  const approved = await act(api, 'warwickshirePcc', oneFunder.body, 'approve-variation');
  expect(approved.status).toBe(200);
  expect(approved.body.payments?.map((i) => i.amountPence)).toEqual([0, 60_000]);
  expect(await paymentDriftOf(approved.body)).toEqual([]);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

describe('variation (docs/design.md §3.1)', () => {
  const vary = (bid: Pick<Bid, 'id' | 'version'>, amountPence: number) =>
    act(api, 'finance', bid, 'vary', { amountPence, reason: 'the project costs changed' });

  test('a variation upwards: each funder approves again, its difference comes from its own pot; then the rest is scheduled', async () => {
    const bid = await approvedBid(api, 100_000);
    const varied = await vary(bid, 200_000);
    expect(varied.status).toBe(200);
    expect(varied.body.variation).toMatchObject({ amountPence: 200_000, shares: { 'west-mercia': 138_000, warwickshire: 62_000 } });
    expect((await act(api, 'board', varied.body, 'approve-variation')).status).toBe(403);
    const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
    expect(wm.status).toBe(200);
    expect((await api.stack.deps.store.getLedgers(FY)).find((l) => l.funder === 'west-mercia')?.allocations[bid.id]?.sharePence).toBe(
      138_000,
    );
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
    const both = await act(api, 'warwickshirePcc', wm.body, 'approve-variation');
    expect(both.body).toMatchObject({
      recommendedPence: 200_000,
      shares: { 'west-mercia': 138_000, warwickshire: 62_000 },
      status: 'approved',
    });
    expect(both.body.variation).toBeUndefined();
    expect((await schedule(both.body, [{ due: '2025-06-30', amountPence: 200_000 }])).status).toBe(200);
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('a variation beyond what the pot holds is refused over-budget for that funder', async () => {
    const bid = await approvedBid(api, 100_000);
    const varied = await vary(bid, 160_000_000);
    const refused = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:fundshare:problem:over-budget', funder: 'west-mercia' });
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('a variation below what a funder has paid records its clawback; the paid instalment stays and the rest is scheduled anew', async () => {
    const bid = await approvedBid(api, 100_000);
    const scheduled = await schedule(bid, [
      { due: '2025-06-30', amountPence: 80_000 },
      { due: '2025-12-31', amountPence: 20_000 },
    ]);
    const paid = await release('westMerciaPcc', scheduled.body, 1); // West Mercia pays 55,200p
    const paidBoth = await release('warwickshirePcc', paid.body, 1); // Warwickshire pays 24,800p
    const varied = await vary(paidBoth.body, 50_000); // new shares 34,500p / 15,500p
    expect((await release('westMerciaPcc', varied.body, 2)).status).toBe(409); // waiting for the variation
    const wm = await act(api, 'westMerciaPcc', varied.body, 'approve-variation');
    expect(wm.body.clawbackDue).toEqual({ 'west-mercia': 20_700 });
    const both = await act(api, 'warwickshirePcc', wm.body, 'approve-variation');
    expect(both.body).toMatchObject({
      status: 'released',
      recommendedPence: 50_000,
      decisions: { 'west-mercia': 'released', warwickshire: 'released' },
      clawbackDue: { 'west-mercia': 20_700, warwickshire: 9_300 },
    });
    expect(both.body.payments).toHaveLength(1);
    const ledgers = await api.stack.deps.store.getLedgers(FY);
    expect(ledgers.find((l) => l.funder === 'west-mercia')?.allocations[bid.id]).toMatchObject({
      sharePence: 34_500,
      paidPence: 55_200,
      state: 'released',
    });
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
    const history = await api.call<{ events: { action: string }[] }>('finance', 'GET', `/bids/${bid.id}/history`);
    expect(history.body.events.map((e) => e.action).slice(-3)).toEqual(['vary', 'approve-variation', 'approve-variation']);
  });

  test('vary needs finance, an approved bid, an amount and a reason', async () => {
    const bid = await approvedBid(api, 100_000);
    expect((await act(api, 'westMerciaPcc', bid, 'vary', { amountPence: 1, reason: 'x' })).status).toBe(403);
    expect((await act(api, 'finance', bid, 'vary', { amountPence: 1 })).status).toBe(400);
    expect((await act(api, 'finance', bid, 'vary', { reason: 'x' })).status).toBe(400);
    expect((await act(api, 'westMerciaPcc', bid, 'approve-variation')).status).toBe(409);
    const recommended = await recommendedBid(api);
    expect((await vary(recommended, 1)).status).toBe(409);
  });
});
