/**
 * The DynamoDB adapter on real dynalite: the store contract (tests/store/fund-store-contract.ts,
 * shared with the in-memory store), then what only the adapter has: cursors, outages, batched reads.
 */
import type { AuditEvent } from '../../domain';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { InvalidCursorError, decodeCursor, encodeCursor } from '../../functions/store/cursor';
import { DynamoFundStore } from '../../functions/store/dynamo-store';
import { StoreUnavailableError } from '../../functions/store/errors';
import { keys } from '../../functions/store/keys';
import { itemKeyString, TableAccess } from '../../functions/store/table-access';
import { startDynalite, type EmbeddedDynalite } from '../../local/embedded-dynalite';
import { describeFundStoreContract } from './fund-store-contract';

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

describeFundStoreContract('DynamoDB on dynalite', async () => {
  expect(await ensureTable(client, 'fundshare-contract')).toBe('created');
  return { store: new DynamoFundStore(createDocumentClient(client), 'fundshare-contract') };
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
