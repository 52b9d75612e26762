/**
 * Concurrency against the real engine (docs/design.md §3): approvals racing for one pot commit exactly
 * what fits; both PCCs approving alliance bids at once both land; a decline racing an approval
 * never leaves money held for a declined bid.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bid, Budget } from '../../domain';
import { act, ledgerViolations, recommendedBid } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

async function budgetOf(api: TestApi, fyPath: string): Promise<Budget> {
  return (await api.call<Budget>('finance', 'GET', `/years/${fyPath}/budget`)).body;
}

describe('40-way approval race against a £1,000 West Mercia pot, on disk, surviving a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-race-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('exactly £1,000 commits, 30 get 409 over-budget, and a restart still shows it', async () => {
    let api = await startTestApi({ dataDir });
    try {
      await api.call('admin', 'PUT', '/years/2025-26/budget', {
        body: { fundPence: 200_000, pots: { 'west-mercia': 100_000, warwickshire: 100_000 } },
      });
      const bids: Bid[] = [];
      for (let i = 0; i < 40; i++)
        bids.push(await recommendedBid(api, { scope: 'west-mercia', title: `Race ${i}`, requestedPence: 10_000 }));
      const responses = await Promise.all(bids.map((bid) => act(api, 'westMerciaPcc', bid, 'approve')));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 409)).toHaveLength(30);
      for (const refused of responses.filter((r) => r.status === 409))
        expect(refused.body).toMatchObject({ type: 'urn:fundshare:problem:over-budget', funder: 'west-mercia' });
      const wm = (await budgetOf(api, '2025-26')).funders[0];
      expect(wm).toMatchObject({ committedPence: 100_000, remainingPence: 0 });
      expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
    } finally {
      await api.stop();
    }
    api = await startTestApi({ dataDir });
    try {
      const wm = (await budgetOf(api, '2025-26')).funders[0];
      expect(wm).toMatchObject({ potPence: 100_000, committedPence: 100_000, remainingPence: 0 });
      const approved = await api.call<{ bids: Bid[] }>('finance', 'GET', '/bids?fy=2025/26&status=approved&limit=100');
      expect(approved.body.bids).toHaveLength(10);
      expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});

describe('in memory', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.stop());

  test('N concurrent approvals of uneven shares: exactly the ones that fit commit, the ledger equals their sum', async () => {
    await api.call('admin', 'PUT', '/years/2026-27/budget', {
      body: { fundPence: 1_000_000, pots: { 'west-mercia': 50_000, warwickshire: 50_000 } },
    });
    const amounts = [9_000, 12_000, 7_500, 15_000, 3_000, 11_000, 8_800, 6_100, 14_000, 4_400, 10_000, 5_500];
    const bids = [];
    for (const requestedPence of amounts) bids.push(await recommendedBid(api, { fy: '2026/27', scope: 'west-mercia', requestedPence }));
    const responses = await Promise.all(bids.map((bid) => act(api, 'westMerciaPcc', bid, 'approve')));
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const committed = responses.filter((r) => r.status === 200).map((r) => r.body.recommendedPence as number);
    const refused = amounts.filter((_, i) => responses[i]?.status === 409);
    const total = committed.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(50_000);
    // A refused share did not fit what remained when it was tried, which is never less than what remains now.
    for (const share of refused) expect(share).toBeGreaterThan(50_000 - total);
    const wm = (await budgetOf(api, '2026-27')).funders[0];
    expect(wm?.committedPence).toBe(total);
    expect(wm?.remainingPence).toBe(50_000 - total);
    expect(await ledgerViolations(api.stack.deps.store, '2026/27')).toEqual([]);
  });

  test('both PCCs approving alliance bids at the same moment: every approval lands', async () => {
    await api.call('admin', 'PUT', '/years/2027-28/budget', { body: { fundPence: 150_000_000 } });
    const bids = [];
    for (let i = 0; i < 10; i++) bids.push(await recommendedBid(api, { fy: '2027/28', requestedPence: 100_001 + i }));
    const responses = await Promise.all(
      bids.flatMap((bid) => [act(api, 'westMerciaPcc', bid, 'approve'), act(api, 'warwickshirePcc', bid, 'approve')]),
    );
    expect(responses.map((r) => r.status)).toEqual(new Array(20).fill(200));
    for (const bid of bids) {
      const after = await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`);
      expect(after.body).toMatchObject({ status: 'approved', decisions: { 'west-mercia': 'approved', warwickshire: 'approved' } });
      const history = await api.call<{ events: { action: string }[] }>('finance', 'GET', `/bids/${bid.id}/history`);
      expect(history.body.events.filter((e) => e.action === 'approve')).toHaveLength(2);
    }
    const budget = await budgetOf(api, '2027-28');
    const expected = bids.reduce((sum, b) => sum + b.requestedPence, 0);
    expect(budget.funders.reduce((sum, f) => sum + f.committedPence, 0)).toBe(expected);
    expect(await ledgerViolations(api.stack.deps.store, '2027/28')).toEqual([]);
  });

  test('75 simultaneous approvals of one bid by both PCCs: never a 412, one approval per funder, ledgers right', async () => {
    await api.call('admin', 'PUT', '/years/2029-30/budget', { body: { fundPence: 150_000_000 } });
    const bid = await recommendedBid(api, { fy: '2029/30', requestedPence: 100_001 });
    // Every request carries the version all of them read: the other funder's approval landing
    // first makes it stale, and a funder decision is retried over that (decisions commute).
    const responses = await Promise.all(
      Array.from({ length: 75 }, (_, i) => act(api, i % 2 === 0 ? 'westMerciaPcc' : 'warwickshirePcc', bid, 'approve')),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 412)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const after = await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`);
    expect(after.body).toMatchObject({ status: 'approved', decisions: { 'west-mercia': 'approved', warwickshire: 'approved' } });
    const budget = await budgetOf(api, '2029-30');
    expect(budget.funders.map((f) => f.committedPence)).toEqual([after.body.shares['west-mercia'], after.body.shares.warwickshire]);
    expect(await ledgerViolations(api.stack.deps.store, '2029/30')).toEqual([]);
  });

  test('an approval racing a decline by the other funder never leaves money held for a declined bid', async () => {
    await api.call('admin', 'PUT', '/years/2028-29/budget', { body: { fundPence: 150_000_000 } });
    const bids = [];
    for (let i = 0; i < 12; i++) bids.push(await recommendedBid(api, { fy: '2028/29', requestedPence: 50_000 }));
    await Promise.all(bids.flatMap((bid) => [act(api, 'westMerciaPcc', bid, 'approve'), act(api, 'warwickshirePcc', bid, 'decline')]));
    for (const bid of bids) {
      const after = await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`);
      expect(after.body.status).toBe('declined');
    }
    const budget = await budgetOf(api, '2028-29');
    expect(budget.funders.map((f) => f.committedPence)).toEqual([0, 0]);
    expect(await ledgerViolations(api.stack.deps.store, '2028/29')).toEqual([]);
  });
});
