/** The DynamoDB adapter on real dynalite: the single-item conditional writes that hold the money. */
import { bidSchema, pendingShares, type AuditEvent, type Bid } from '../../domain';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { InvalidCursorError, decodeCursor, encodeCursor } from '../../functions/store/cursor';
import { DynamoFundStore } from '../../functions/store/dynamo-store';
import { StoreUnavailableError } from '../../functions/store/errors';
import { keys } from '../../functions/store/keys';
import { itemKeyString, TableAccess } from '../../functions/store/table-access';
import type { LedgerAllocation } from '../../functions/store/types';
import { startDynalite, type EmbeddedDynalite } from '../../local/embedded-dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let database: EmbeddedDynalite;
let store: DynamoFundStore;
let client: ReturnType<typeof createDynamoClient>;
const FY = '2025/26';

beforeAll(async () => {
  database = await startDynalite();
  client = createDynamoClient({ endpoint: database.endpoint });
  expect(await ensureTable(client, 'fundshare-test')).toBe('created');
  expect(await ensureTable(client, 'fundshare-test')).toBe('exists');
  store = new DynamoFundStore(createDocumentClient(client), 'fundshare-test');
});
afterAll(async () => {
  client.destroy();
  await database.close();
});

const allocation = (sharePence: number, requestId: string): LedgerAllocation => ({
  sharePence,
  state: 'committed',
  by: 'pcc',
  at: '2025-06-01T00:00:00Z',
  requestId,
});

test('40 concurrent commits of 10,000p against a 100,000p pot: exactly 10 land, never overspent', async () => {
  await store.createLedger(FY, 'west-mercia', 100_000);
  const outcomes = await Promise.all(
    Array.from({ length: 40 }, (_, i) => store.commitShare(FY, 'west-mercia', `B-${i}`, allocation(10_000, `r${i}`))),
  );
  expect(outcomes.filter((o) => o.kind === 'committed')).toHaveLength(10);
  expect(outcomes.filter((o) => o.kind === 'over-budget')).toHaveLength(30);
  const [ledger] = await store.getLedgers(FY);
  expect(ledger).toMatchObject({ potPence: 100_000, committedPence: 100_000, remainingPence: 0 });
  expect(Object.keys(ledger?.allocations ?? {})).toHaveLength(10);
});

test('a share is never committed twice for one bid; the second attempt sees who holds it', async () => {
  await store.createLedger(FY, 'warwickshire', 50_000);
  expect(await store.commitShare(FY, 'warwickshire', 'B-x', allocation(1_000, 'first'))).toEqual({ kind: 'committed' });
  expect(await store.commitShare(FY, 'warwickshire', 'B-x', allocation(1_000, 'second'))).toMatchObject({
    kind: 'exists',
    allocation: { requestId: 'first' },
  });
  expect(await store.commitShare('2099/00', 'warwickshire', 'B-x', allocation(1, 'r'))).toEqual({ kind: 'no-ledger' });
});

test('uncommit gives the share back, only to the named request when asked, once', async () => {
  await store.commitShare(FY, 'warwickshire', 'B-y', allocation(2_000, 'mine'));
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-y', 'someone-else')).toEqual({ kind: 'absent' });
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-y', 'mine')).toEqual({ kind: 'uncommitted', sharePence: 2_000 });
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-y')).toEqual({ kind: 'absent' });
  const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'warwickshire');
  expect(ledger).toMatchObject({ committedPence: 1_000, remainingPence: 49_000 });
});

test('release marks the share paid out once; released shares cannot be given back', async () => {
  expect(await store.releaseShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'released' });
  expect(await store.releaseShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'already-released' });
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-x')).toEqual({ kind: 'absent' });
  expect(await store.releaseShare(FY, 'warwickshire', 'B-none')).toEqual({ kind: 'absent' });
  const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'warwickshire');
  expect(ledger).toMatchObject({ committedPence: 1_000, releasedPence: 1_000, remainingPence: 49_000 });
});

test('takeAllocation hands a committed share to another request only from its current owner', async () => {
  await store.commitShare(FY, 'warwickshire', 'B-z', allocation(500, 'stale'));
  expect(await store.takeAllocation(FY, 'warwickshire', 'B-z', 'wrong', 'repair')).toBe(false);
  expect(await store.takeAllocation(FY, 'warwickshire', 'B-z', 'stale', 'repair')).toBe(true);
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-z', 'stale')).toEqual({ kind: 'absent' });
  expect(await store.uncommitShare(FY, 'warwickshire', 'B-z', 'repair')).toEqual({ kind: 'uncommitted', sharePence: 500 });
});

test('a pot never falls below what is committed; a stale "from" is refused', async () => {
  expect(await store.setPot(FY, 'west-mercia', 100_000, 90_000)).toEqual({ kind: 'below-committed', committedPence: 100_000 });
  expect(await store.setPot(FY, 'west-mercia', 1, 200_000)).toEqual({ kind: 'changed' });
  expect(await store.setPot(FY, 'west-mercia', 100_000, 150_000)).toEqual({ kind: 'set' });
  const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'west-mercia');
  expect(ledger).toMatchObject({ potPence: 150_000, committedPence: 100_000, remainingPence: 50_000 });
});

test('repairLedgerTotals writes only over the totals it read', async () => {
  const ledger = (await store.getLedgers(FY)).find((l) => l.funder === 'west-mercia');
  if (!ledger) throw new Error('setup');
  expect(await store.repairLedgerTotals({ ...ledger, committedPence: 1 }, { committedPence: 0, releasedPence: 0, remainingPence: 0 })).toBe(
    'changed',
  );
  expect(
    await store.repairLedgerTotals(ledger, {
      committedPence: ledger.committedPence,
      releasedPence: 0,
      remainingPence: ledger.remainingPence,
    }),
  ).toBe('repaired');
});

test('bid ids count up and stay readable', async () => {
  const first = await store.nextBidId();
  const second = await store.nextBidId();
  expect(first).toMatch(/^FS-\d{6}$/);
  expect(Number(second.slice(3))).toBe(Number(first.slice(3)) + 1);
});

test('idempotency: new, then mismatch or unfinished, then done', async () => {
  expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-1')).toEqual({ kind: 'new' });
  expect(await store.claimIdempotency('sub', 'k1', 'other', 'req-2')).toEqual({ kind: 'mismatch' });
  await store.noteIdempotentBid('sub', 'k1', 'FS-000009');
  expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-3')).toEqual({ kind: 'unfinished', requestId: 'req-1', bidId: 'FS-000009' });
  await store.completeIdempotency('sub', 'k1', { status: 201, body: { id: 'FS-000009' } });
  expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-4')).toEqual({
    kind: 'done',
    response: { status: 201, body: { id: 'FS-000009' } },
  });
  expect(await store.claimIdempotency('other-sub', 'k1', 'fp', 'req-5')).toEqual({ kind: 'new' });
});

test('cursors are opaque and checked: another year, edited or foreign cursors are refused', () => {
  const cursor = encodeCursor({ pk: 'BID#FS-1', sk: 'BID', fyKey: 'FY#2025/26', changedKey: 'x' });
  expect(decodeCursor(cursor, 'FY#2025/26')).toMatchObject({ pk: 'BID#FS-1' });
  expect(() => decodeCursor(cursor, 'FY#2026/27')).toThrow(InvalidCursorError);
  expect(() => decodeCursor(encodeCursor({ pk: 'x' }), 'FY#2025/26')).toThrow(InvalidCursorError);
  expect(() => decodeCursor('%%%', 'FY#2025/26')).toThrow(InvalidCursorError);
  expect(() => decodeCursor(encodeCursor({ pk: 1, sk: 'BID', fyKey: 'FY#2025/26', changedKey: 'x' }), 'FY#2025/26')).toThrow(
    InvalidCursorError,
  );
});

test('a store that cannot be reached fails fast with StoreUnavailableError', async () => {
  const dead = createDynamoClient({ endpoint: 'http://127.0.0.1:9' });
  const unreachable = new DynamoFundStore(createDocumentClient(dead), 'fundshare-test');
  await expect(unreachable.getBudget(FY)).rejects.toBeInstanceOf(StoreUnavailableError);
  dead.destroy();
});

test('recommendedSharesOfYear gives exactly the pending totals that whole bids give, from a projection', async () => {
  const fy = '2033/34';
  const at = '2033-06-01T00:00:00.000Z';
  // Every status, alliance and single-area scopes, decisions pending or made.
  const cases: [Bid['status'], Bid['scope'], Bid['decisions']][] = [
    ['draft', 'alliance', {}],
    ['submitted', 'west-mercia', {}],
    ['info-requested', 'alliance', {}],
    ['recommended', 'alliance', { 'west-mercia': 'pending', warwickshire: 'pending' }],
    ['recommended', 'alliance', { 'west-mercia': 'approved', warwickshire: 'pending' }],
    ['recommended', 'warwickshire', { warwickshire: 'pending' }],
    ['recommended', 'west-mercia', { 'west-mercia': 'pending' }],
    ['approved', 'alliance', { 'west-mercia': 'approved', warwickshire: 'approved' }],
    ['declined', 'west-mercia', { 'west-mercia': 'declined' }],
    ['not-recommended', 'alliance', {}],
    ['withdrawn', 'warwickshire', {}],
    ['released', 'west-mercia', { 'west-mercia': 'approved' }],
  ];
  for (const [i, [status, scope, decisions]] of cases.entries()) {
    const amount = 10_000 * (i + 1) + i;
    const shares =
      scope === 'alliance'
        ? { 'west-mercia': Math.round(amount * 0.69), warwickshire: amount - Math.round(amount * 0.69) }
        : { [scope]: amount };
    const bid = bidSchema.parse({
      id: `PEND-${i}`,
      fy,
      title: `Bid ${i}`,
      leadOrganisation: scope === 'warwickshire' ? 'warwickshire' : 'shropshire',
      scope,
      crimeTypes: ['rural'],
      requestedPence: amount,
      status,
      proposedPence: null,
      recommendedPence: ['draft', 'submitted', 'info-requested', 'not-recommended', 'withdrawn'].includes(status) ? null : amount,
      shares,
      decisions,
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: 'test',
      updatedBy: 'test',
    });
    const event: AuditEvent = {
      bidId: bid.id,
      at,
      actor: 'test',
      role: 'finance',
      action: 'create',
      from: null,
      to: status,
      version: 1,
      requestId: `pend-${i}`,
    };
    expect(await store.insertBid(bid, event, event.requestId)).toBe('created');
  }
  const projected = await store.recommendedSharesOfYear(fy);
  expect(projected.every((b) => b.status === 'recommended')).toBe(true);
  expect(projected).toHaveLength(4);
  expect(pendingShares(projected)).toEqual(pendingShares(await store.bidsOfYear(fy)));
  // Cases 3 (both funders), 4 (Warwickshire only: West Mercia has decided), 5 and 6 (single area).
  const alliance = (n: number) => 10_000 * (n + 1) + n;
  expect(pendingShares(projected)).toEqual({
    'west-mercia': Math.round(alliance(3) * 0.69) + alliance(6),
    warwickshire: alliance(3) - Math.round(alliance(3) * 0.69) + (alliance(4) - Math.round(alliance(4) * 0.69)) + alliance(5),
  });
  expect(await store.recommendedSharesOfYear('2034/35')).toEqual([]);
});

const auditEvent = (bidId: string, version: number): AuditEvent => ({
  bidId,
  at: '2035-06-01T00:00:00.000Z',
  actor: 'test',
  role: 'finance',
  action: version === 1 ? 'create' : 'edit',
  from: version === 1 ? null : 'draft',
  to: 'draft',
  version,
  requestId: `audit-${bidId}-${version}`,
});

test('versionsWithoutAudit: of 250 bid versions, exactly those whose audit item is missing, a hundred keys a call', async () => {
  // Bid i has audit items for versions 1..(i % 4); it is asked about version 2.
  const refs = Array.from({ length: 250 }, (_, i) => ({ bidId: `AUD-${String(i).padStart(3, '0')}`, version: 2 }));
  for (const [i, ref] of refs.entries()) {
    const recorded = Array.from({ length: i % 4 }, (_, v) => auditEvent(ref.bidId, v + 1));
    if (recorded.length > 0) await store.recordEvents(recorded);
  }
  const calls: string[] = [];
  const counting = createDynamoClient({ endpoint: database.endpoint });
  counting.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const counted = new DynamoFundStore(createDocumentClient(counting), 'fundshare-test');
  const missing = await counted.versionsWithoutAudit(refs);
  expect(missing).toEqual(refs.filter((_, i) => i % 4 < 2));
  expect(calls).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
  expect(await counted.versionsWithoutAudit([])).toEqual([]);
  expect(calls).toHaveLength(3);
  counting.destroy();
});

/** A client on the same dynalite that hands back `unprocessed(call)` of each BatchGetItem's keys unread, as DynamoDB does when throttled. */
function throttlingTable(unprocessed: (call: number, keyCount: number) => number): {
  table: TableAccess;
  calls: number[];
  destroy: () => void;
} {
  const calls: number[] = [];
  const throttled = createDynamoClient({ endpoint: database.endpoint });
  throttled.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { RequestItems: Record<string, { Keys: { pk: string; sk: string }[] }> };
      const requested = input.RequestItems['fundshare-test']?.Keys ?? [];
      calls.push(requested.length);
      const result = await next(args);
      const output = result.output as {
        Responses?: Record<string, { pk: string; sk: string }[]>;
        UnprocessedKeys?: Record<string, unknown>;
      };
      const held = requested.slice(0, unprocessed(calls.length, requested.length));
      const heldKeys = new Set(held.map(itemKeyString));
      output.Responses = {
        'fundshare-test': (output.Responses?.['fundshare-test'] ?? []).filter((item) => !heldKeys.has(itemKeyString(item))),
      };
      output.UnprocessedKeys = held.length > 0 ? { 'fundshare-test': { Keys: held, ConsistentRead: true } } : {};
      return result;
    },
    { step: 'initialize', name: 'throttleBatchGet' },
  );
  return { table: new TableAccess(createDocumentClient(throttled), 'fundshare-test'), calls, destroy: () => throttled.destroy() };
}

test('keys left unprocessed are asked again until read; keys that stay unprocessed make the store unavailable, never "missing"', async () => {
  const recorded = Array.from({ length: 30 }, (_, i) => auditEvent(`THR-${i}`, 1));
  await store.recordEvents(recorded);
  const wanted = [...recorded.map((e) => keys.audit(e.bidId, 1)), keys.audit('THR-none', 1)];

  // Throttled twice (20 keys, then 5 of them), then read in full.
  const flaky = throttlingTable((call) => (call === 1 ? 20 : call === 2 ? 5 : 0));
  const found = await flaky.table.existingKeys(wanted, { backoffMs: 1 });
  expect(flaky.calls).toEqual([31, 20, 5]);
  expect([...found].sort()).toEqual(recorded.map((e) => itemKeyString(keys.audit(e.bidId, 1))).sort());
  flaky.destroy();

  const stuck = throttlingTable((_call, keyCount) => keyCount);
  await expect(stuck.table.existingKeys(wanted, { backoffMs: 1 })).rejects.toThrow(StoreUnavailableError);
  expect(stuck.calls).toHaveLength(8);
  stuck.destroy();
});
