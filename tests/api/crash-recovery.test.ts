/**
 * A crash between any two steps of a change (docs/design.md §3), then a retry with the same
 * Idempotency-Key: the change completes exactly once — one committed share, one audit event,
 * the ledger invariants whole.
 */
import type { Bid, Budget } from '../../domain';
import type { ProtocolStep } from '../../functions/use-cases/deps';
import { act, createBid, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
let crashAfter: ProtocolStep | null = null;

beforeAll(async () => {
  api = await startTestApi({
    deps: {
      checkpoint: (step) => {
        if (step === crashAfter) {
          crashAfter = null;
          throw new Error(`injected crash after ${step}`);
        }
      },
    },
  });
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

const history = async (bid: Pick<Bid, 'id'>) =>
  (await api.call<{ events: { action: string; version: number }[] }>('finance', 'GET', `/bids/${bid.id}/history`)).body.events;

const STEPS: ProtocolStep[] = ['ledger-committed', 'bid-written', 'ledger-settled', 'audit-written'];

describe.each(STEPS)('approve, crash after %s, retry with the same key', (step) => {
  test('commits one share, records one approval, leaves the ledger whole', async () => {
    const bid = await recommendedBid(api);
    const key = `approve-${step}-${bid.id}`;
    crashAfter = step;
    const crashed = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key });
    expect(crashed.status).toBe(500);
    expect(JSON.stringify(crashed.body)).not.toMatch(/injected|\.ts:/);

    const retried = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key });
    expect(retried.status).toBe(200);
    expect(retried.body.decisions).toEqual({ 'west-mercia': 'approved', warwickshire: 'pending' });
    expect(retried.body.version).toBe(bid.version + 1);

    const again = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(retried.body);

    const ledgers = await api.stack.deps.store.getLedgers('2025/26');
    const wm = ledgers.find((l) => l.funder === 'west-mercia');
    expect(wm?.allocations[bid.id]).toMatchObject({ sharePence: 69_001, state: 'committed' });
    expect((await history(bid)).filter((e) => e.action === 'approve')).toHaveLength(1);
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });
});

describe('other changes crash and roll forward', () => {
  test('decline after the other funder approved: crash after the bid write, retry gives the share back', async () => {
    const bid = await recommendedBid(api);
    const approved = (await act(api, 'warwickshirePcc', bid, 'approve')).body;
    crashAfter = 'bid-written';
    expect((await act(api, 'westMerciaPcc', approved, 'decline', {}, { 'idempotency-key': 'decline-1' })).status).toBe(500);
    // Between the crash and the retry the bid says declined while Warwickshire's share is still held.
    expect((await ledgerViolations(api.stack.deps.store)).some((v) => v.includes(bid.id))).toBe(true);
    const retried = await act(api, 'westMerciaPcc', approved, 'decline', {}, { 'idempotency-key': 'decline-1' });
    expect(retried).toMatchObject({ status: 200, body: { status: 'declined' } });
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('withdraw of a part-approved bid: crash after the bid write, retry gives the share back', async () => {
    const bid = await recommendedBid(api);
    const part = (await act(api, 'westMerciaPcc', bid, 'approve')).body;
    crashAfter = 'bid-written';
    expect((await act(api, 'finance', part, 'withdraw', {}, { 'idempotency-key': 'withdraw-1' })).status).toBe(500);
    expect((await act(api, 'finance', part, 'withdraw', {}, { 'idempotency-key': 'withdraw-1' })).status).toBe(200);
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('release: crash after the bid write, retry marks the allocation released', async () => {
    const bid = await recommendedBid(api, { scope: 'west-mercia' });
    const approved = (await act(api, 'westMerciaPcc', bid, 'approve')).body;
    crashAfter = 'bid-written';
    expect((await act(api, 'westMerciaPcc', approved, 'release', {}, { 'idempotency-key': 'release-1' })).status).toBe(500);
    expect((await act(api, 'westMerciaPcc', approved, 'release', {}, { 'idempotency-key': 'release-1' })).body.status).toBe('released');
    const budget = (await api.call<Budget>('finance', 'GET', '/years/2025-26/budget')).body;
    expect(budget.funders[0]?.releasedPence).toBeGreaterThanOrEqual(bid.requestedPence);
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('create: crash after the insert, retry returns the same bid and creates no second one', async () => {
    const before = (await api.call<{ bids: Bid[] }>('finance', 'GET', '/bids?fy=2025/26&limit=1000')).body.bids.length;
    crashAfter = 'bid-written';
    const body = {
      fy: '2025/26',
      title: 'Crash-proof bid',
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: 12_345,
      outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
      submit: true,
    };
    expect((await api.call('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-1' } })).status).toBe(500);
    const retried = await api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-1' } });
    expect(retried.status).toBe(201);
    const after = (await api.call<{ bids: Bid[] }>('finance', 'GET', '/bids?fy=2025/26&limit=1000')).body.bids;
    expect(after.length).toBe(before + 1);
    expect((await history(retried.body)).map((e) => e.action)).toEqual(['create']);
  });

  test('a proposal batch: crash mid-way, retry finishes every row once', async () => {
    const a = await createBid(api);
    const b = await createBid(api);
    const rows = [
      { bidId: a.id, version: 1, proposedPence: 10_000 },
      { bidId: b.id, version: 1, proposedPence: 20_000 },
    ];
    crashAfter = 'audit-written';
    expect(
      (await api.call('finance', 'POST', '/allocations/batch', { body: { allocations: rows }, headers: { 'idempotency-key': 'batch-1' } }))
        .status,
    ).toBe(500);
    const retried = await api.call<{ results: { status: string; bid?: Bid }[] }>('finance', 'POST', '/allocations/batch', {
      body: { allocations: rows },
      headers: { 'idempotency-key': 'batch-1' },
    });
    expect(retried.body.results.map((r) => [r.status, r.bid?.version])).toEqual([
      ['ok', 2],
      ['ok', 2],
    ]);
    expect((await history(a)).map((e) => e.action)).toEqual(['create', 'propose']);
  });
});

describe('idempotency keys', () => {
  test('a replay returns the first result and changes nothing', async () => {
    const bid = await createBid(api);
    const first = await act(api, 'board', bid, 'recommend', { amountPence: 5_000 }, { 'idempotency-key': 'rec-1' });
    const replay = await act(api, 'board', bid, 'recommend', { amountPence: 5_000 }, { 'idempotency-key': 'rec-1' });
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await history(bid)).map((e) => e.action)).toEqual(['create', 'recommend']);
  });

  test('the same key with a different request is 422, naming the header', async () => {
    const bid = await createBid(api);
    await act(api, 'board', bid, 'recommend', { amountPence: 5_000 }, { 'idempotency-key': 'rec-2' });
    const reused = await act(api, 'board', bid, 'recommend', { amountPence: 6_000 }, { 'idempotency-key': 'rec-2' });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ errors: [{ path: 'idempotency-key' }] });
  });

  test('keys are per user: the same key from two people are two requests', async () => {
    const body = {
      fy: '2025/26',
      title: 'Per-user key',
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: 100,
      submit: true,
    };
    const one = await api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'shared-key' } });
    const two = await api.call<Bid>('shropshire', 'POST', '/bids', { body, headers: { 'idempotency-key': 'shared-key' } });
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(one.body.id).not.toBe(two.body.id);
  });

  test('a refusal is kept too: a replay of an over-budget approval is the same 409', async () => {
    await api.call('admin', 'PUT', '/years/2036-37/budget', { body: { fundPence: 100 } });
    const bid = await recommendedBid(api, { fy: '2036/37', scope: 'west-mercia', requestedPence: 1_000 });
    const first = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': 'over-1' });
    const replay = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': 'over-1' });
    expect(first.status).toBe(409);
    expect(replay.status).toBe(409);
    expect(replay.body).toEqual(first.body);
  });
});
