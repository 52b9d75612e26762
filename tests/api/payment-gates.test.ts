/**
 * An instalment may wait for a monitoring return (docs/design.md §3.1): its release is refused
 * 409 return-not-accepted until that quarter's return is accepted; under concurrent releases by
 * both PCCs, each part is paid exactly once.
 */
import type { Bid } from '../../domain';
import { approvedBid, FY, ledgerViolations, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

const Q2 = '2025-26-Q2';
const PCCS = [
  ['westMerciaPcc', 'west-mercia'],
  ['warwickshirePcc', 'warwickshire'],
] as const;

type Instalment = { due: string; amountPence: number; requiresReturn?: string };
const schedule = (bid: Pick<Bid, 'id' | 'version'>, instalments: Instalment[]) =>
  api.call<Bid>('finance', 'PUT', `/bids/${bid.id}/payments`, { body: { instalments }, headers: { 'if-match': `"${bid.version}"` } });

const release = (actor: 'westMerciaPcc' | 'warwickshirePcc', bid: Pick<Bid, 'id' | 'version'>, n: number) =>
  api.call<Bid & { type?: string }>(actor, 'POST', `/bids/${bid.id}/payments/${n}/actions/release`, {
    headers: { 'if-match': `"${bid.version}"` },
  });

async function fileAndAccept(bid: Pick<Bid, 'id'>, quarter = Q2): Promise<void> {
  const filing = { spendToDatePence: 1_000, actuals: [{ measure: 'Farms visited', value: 3 }], rag: 'green', narrative: 'On track' };
  expect((await api.call('shropshire', 'PUT', `/bids/${bid.id}/returns/${quarter}`, { body: filing })).status).toBe(201);
  expect((await api.call('finance', 'POST', `/bids/${bid.id}/returns/${quarter}/actions/accept`, { body: {} })).status).toBe(200);
}

const readBid = async (id: string): Promise<Bid> => (await api.stack.deps.store.readBid(id))?.bid as Bid;

test('a gated instalment is refused 409 return-not-accepted until its return is accepted; sent back is not accepted', async () => {
  const bid = await approvedBid(api, 100_000);
  const scheduled = await schedule(bid, [
    { due: '2025-06-30', amountPence: 50_000 },
    { due: '2025-10-31', amountPence: 50_000, requiresReturn: Q2 },
  ]);
  expect(scheduled.status).toBe(200);
  expect(scheduled.body.payments?.map((i) => i.requiresReturn)).toEqual([undefined, Q2]);
  // The ungated first instalment pays at once.
  let current = (await release('westMerciaPcc', scheduled.body, 1)).body;
  const refused = await release('warwickshirePcc', current, 2);
  expect(refused.status).toBe(409);
  expect(refused.body.type).toBe('urn:fundshare:problem:return-not-accepted');

  // Filed, then sent back: still not accepted (an accepted return is final, domain/returns.ts).
  const filing = { spendToDatePence: 1_000, actuals: [{ measure: 'Farms visited', value: 3 }], rag: 'red', narrative: 'Late' };
  expect((await api.call('shropshire', 'PUT', `/bids/${bid.id}/returns/${Q2}`, { body: filing })).status).toBe(201);
  expect((await release('warwickshirePcc', current, 2)).body.type).toBe('urn:fundshare:problem:return-not-accepted');
  const sentBack = await api.call('finance', 'POST', `/bids/${bid.id}/returns/${Q2}/actions/return`, {
    body: { reason: 'missing figures' },
  });
  expect(sentBack.status).toBe(200);
  expect((await release('warwickshirePcc', current, 2)).body.type).toBe('urn:fundshare:problem:return-not-accepted');

  expect((await api.call('shropshire', 'PUT', `/bids/${bid.id}/returns/${Q2}`, { body: filing })).status).toBe(200);
  expect((await api.call('finance', 'POST', `/bids/${bid.id}/returns/${Q2}/actions/accept`, { body: {} })).status).toBe(200);
  for (const [pcc] of PCCS) {
    const paid = await release(pcc, current, 2);
    expect(paid.status).toBe(200);
    current = paid.body;
  }
  expect(current.status).toBe('approved'); // west-mercia's instalment 1 paid, warwickshire's not yet
  expect((await release('warwickshirePcc', current, 1)).body.status).toBe('released');
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});

test('a gate must name a quarter of the bid’s year', async () => {
  const bid = await approvedBid(api, 10_000);
  const wrongYear = await schedule(bid, [{ due: '2025-06-30', amountPence: 10_000, requiresReturn: '2026-27-Q2' }]);
  expect(wrongYear.status).toBe(400);
  expect(wrongYear.body).toMatchObject({ errors: [{ path: 'instalments[0].requiresReturn' }] });
  expect((await schedule(bid, [{ due: '2025-06-30', amountPence: 10_000, requiresReturn: 'Q2' }])).status).toBe(400);
});

test('concurrent gated releases by both PCCs: all refused before acceptance; after it each part is paid exactly once', async () => {
  const bid = await approvedBid(api, 1_000_000);
  const dues = ['2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01'];
  const scheduled = (
    await schedule(
      bid,
      dues.map((due) => ({ due, amountPence: 250_000, requiresReturn: Q2 })),
    )
  ).body;
  const race = (from: Bid) =>
    Promise.all(PCCS.flatMap(([pcc]) => [1, 2, 3, 4].flatMap((n) => [release(pcc, from, n), release(pcc, from, n)])));

  const before = await race(scheduled);
  expect(before.map((o) => o.body.type)).toEqual(before.map(() => 'urn:fundshare:problem:return-not-accepted'));
  expect((await readBid(bid.id)).version).toBe(scheduled.version);

  await fileAndAccept(bid);
  const after = await race(scheduled);
  expect(after.every((o) => [200, 409, 412].includes(o.status))).toBe(true);
  expect(after.some((o) => o.body.type === 'urn:fundshare:problem:return-not-accepted')).toBe(false);
  let current = await readBid(bid.id);
  // Whatever the race left unpaid (412s) is released one by one.
  for (let n = 1; n <= 4; n++) {
    for (const [pcc, funder] of PCCS) {
      if (current.payments?.[n - 1]?.paid[funder]) continue;
      const next = await release(pcc, current, n);
      expect(next.status).toBe(200);
      current = next.body;
    }
  }
  expect(current.status).toBe('released');
  for (const ledger of await api.stack.deps.store.getLedgers(FY)) {
    expect(ledger.allocations[bid.id]?.paidPence).toBe(bid.shares[ledger.funder]);
  }
  const history = await api.call<{ events: { action: string; instalment?: number; funder?: string }[] }>(
    'finance',
    'GET',
    `/bids/${bid.id}/history`,
  );
  const releases = history.body.events.filter((e) => e.action === 'release-instalment').map((e) => `${e.funder}:${e.instalment}`);
  expect(releases.length).toBe(8);
  expect(new Set(releases).size).toBe(8);
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
});
