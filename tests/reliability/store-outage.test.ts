/**
 * Fault injection: the database stops in the middle of a burst of approvals. The API answers
 * 503 with Retry-After (never a 500, never a hang), leaves no partial money state, and after a
 * restart the clients' retries (same Idempotency-Key) and a reconcile bring every ledger back to
 * zero drift with the docs/design.md §3 invariants whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bid, Budget } from '../../domain';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import { IDEMPOTENCY_LEASE_MS } from '../../functions/store/ports/idempotency-repository';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { runSync } from '../../functions/sync/run-sync';
import type { ProtocolStep } from '../../functions/use-cases/deps';
import { act, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { silentLogger, startTestApi, type TestApi } from '../support/stack';

const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-outage-'));
let api: TestApi;
let onStep: ((step: ProtocolStep) => Promise<void>) | undefined;
/** Added to the API's clock, to let the clients come back after their claims' leases. */
let clockOffsetMs = 0;

beforeAll(async () => {
  api = await startTestApi({
    dataDir,
    deps: { checkpoint: async (step) => onStep?.(step), now: () => new Date(Date.now() + clockOffsetMs) },
  });
});
afterAll(async () => {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function reconcile() {
  const client = createDynamoClient({ endpoint: api.stack.dynamoEndpoint });
  try {
    const report = await runSync(
      {
        fund: api.stack.deps,
        sync: new DynamoSyncStore(createDocumentClient(client), api.stack.tableName),
        intake: new LocalFileArea(join(dataDir, 'intake')),
        exports: new LocalFileArea(join(dataDir, 'exports')),
        logger: silentLogger,
        metrics: { count: () => undefined },
      },
      { graceMs: 0 },
    );
    if (report.status !== 'completed') throw new Error(`sync did not complete: ${JSON.stringify(report)}`);
    return report;
  } finally {
    client.destroy();
  }
}

test('an outage mid-burst: 503 with Retry-After, then retries and reconcile leave zero drift', async () => {
  await setPots(api, { 'west-mercia': 10_000_000, warwickshire: 10_000_000 }, 20_000_000);
  const bids: Bid[] = [];
  for (let i = 0; i < 30; i++) bids.push(await recommendedBid(api, { title: `Outage ${i}`, requestedPence: 10_000 + i }));

  // The 8th share committed in the burst pulls the plug: that request and every one still in flight meet a dead store.
  let commits = 0;
  onStep = async (step) => {
    if (step === 'ledger-committed' && ++commits === 8) await api.stack.database.stop();
  };
  const key = (bid: Bid) => `outage-${bid.id}`;
  const burst = await Promise.all(bids.map((bid) => act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key(bid) })));
  onStep = undefined;

  const statuses = burst.map((r) => r.status);
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  const failed = bids.filter((_, i) => statuses[i] === 503);
  expect(failed.length).toBeGreaterThan(0);
  for (const response of burst.filter((r) => r.status === 503)) {
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(response.body).toMatchObject({ type: 'urn:fundshare:problem:unavailable', status: 503 });
  }

  // While the store is down: liveness still answers, anything needing the store is a 503.
  expect((await api.call(null, 'GET', '/health')).status).toBe(200);
  const down = await api.call('finance', 'GET', '/years/2025-26/budget');
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).not.toBeNull();

  await api.stack.database.restart();
  // A request that met the dead store could not release its Idempotency-Key claim: a retry gets
  // 409 request-in-progress until the claim's lease lapses. The clients come back after that.
  clockOffsetMs += IDEMPOTENCY_LEASE_MS + 1_000;

  // Nothing half-written in the money: totals agree with the allocations (an approval may be half-finished, no more).
  expect(await ledgerViolations(api.stack.deps.store, '2025/26', false)).toEqual([]);

  // Half the clients retry at once with the same key: each approval completes exactly once.
  const [retryNow, retryLater] = [failed.filter((_, i) => i % 2 === 0), failed.filter((_, i) => i % 2 === 1)];
  for (const bid of retryNow) {
    const retried = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key(bid) });
    expect(retried.status).toBe(200);
    expect(retried.body.decisions['west-mercia']).toBe('approved');
  }

  // Reconcile finishes what no client came back for.
  const report = await reconcile();
  expect(report.driftRemaining).toEqual({ count: 0, pence: 0 });
  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);

  // The late retries: either the same approval completes, or the bid has moved on (reconcile rolled
  // the unfinished approval back) and the PCC approves the current version.
  for (const bid of retryLater) {
    const retried = await act(api, 'westMerciaPcc', bid, 'approve', {}, { 'idempotency-key': key(bid) });
    expect([200, 412]).toContain(retried.status);
    if (retried.status === 412) {
      const current = (await api.call<Bid>('finance', 'GET', `/bids/${bid.id}`)).body;
      expect(current.decisions['west-mercia']).toBe('pending');
      expect((await act(api, 'westMerciaPcc', current, 'approve')).status).toBe(200);
    }
  }

  expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  const budget = (await api.call<Budget>('finance', 'GET', '/years/2025-26/budget')).body;
  const westMercia = budget.funders.find((f) => f.funder === 'west-mercia');
  const approvedShares = (await Promise.all(bids.map(async (b) => (await api.call<Bid>('finance', 'GET', `/bids/${b.id}`)).body))).reduce(
    (sum, b) => sum + (b.decisions['west-mercia'] === 'approved' ? (b.shares['west-mercia'] ?? 0) : 0),
    0,
  );
  expect(westMercia?.committedPence).toBe(approvedShares);
  expect((await reconcile()).driftRemaining).toEqual({ count: 0, pence: 0 });
}, 120_000);
