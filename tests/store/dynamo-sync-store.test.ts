/** The sync job's DynamoDB adapter on real dynalite: the lease, ingest records and sync state. */
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { ensureTable } from '../../functions/store/create-table';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import type { SyncState } from '../../functions/store/sync-store';
import { startDynalite, type EmbeddedDynalite } from '../../local/embedded-dynalite';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let database: EmbeddedDynalite;
let client: ReturnType<typeof createDynamoClient>;
let store: DynamoSyncStore;

beforeAll(async () => {
  database = await startDynalite();
  client = createDynamoClient({ endpoint: database.endpoint });
  await ensureTable(client, 'fundshare-sync-test');
  store = new DynamoSyncStore(createDocumentClient(client), 'fundshare-sync-test');
});
afterAll(async () => {
  client.destroy();
  await database.close();
});

const at = (iso: string) => new Date(iso);

describe('lease', () => {
  test('one owner at a time; a second sees who holds it and until when', async () => {
    expect(await store.acquireLease('run-a', at('2026-01-01T00:00:00Z'), 60_000)).toEqual({
      kind: 'acquired',
      until: '2026-01-01T00:01:00.000Z',
    });
    expect(await store.acquireLease('run-b', at('2026-01-01T00:00:30Z'), 60_000)).toEqual({
      kind: 'held',
      owner: 'run-a',
      until: '2026-01-01T00:01:00.000Z',
    });
  });

  test('renewal extends only the owner’s lease; an expired lease can be taken over', async () => {
    expect(await store.renewLease('run-b', at('2026-01-01T00:00:40Z'), 60_000)).toBe(false);
    expect(await store.renewLease('run-a', at('2026-01-01T00:00:50Z'), 60_000)).toBe(true);
    expect((await store.acquireLease('run-b', at('2026-01-01T00:01:10Z'), 60_000)).kind).toBe('held');
    expect((await store.acquireLease('run-b', at('2026-01-01T00:02:00Z'), 60_000)).kind).toBe('acquired');
    // run-a's lease is gone: it can no longer renew or release it.
    expect(await store.renewLease('run-a', at('2026-01-01T00:02:01Z'), 60_000)).toBe(false);
    await store.releaseLease('run-a');
    expect((await store.acquireLease('run-c', at('2026-01-01T00:02:02Z'), 60_000)).kind).toBe('held');
  });

  test('released by its owner, it is free at once', async () => {
    await store.releaseLease('run-b');
    expect((await store.acquireLease('run-c', at('2026-01-01T00:02:03Z'), 60_000)).kind).toBe('acquired');
    await store.releaseLease('run-c');
  });

  test('ten runs racing for a free lease: exactly one wins', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.acquireLease(`racer-${i}`, at('2026-01-01T01:00:00Z'), 60_000)),
    );
    expect(outcomes.filter((o) => o.kind === 'acquired')).toHaveLength(1);
  });
});

describe('ingest records', () => {
  const file = {
    hash: 'a'.repeat(64),
    name: 'plans.csv',
    state: 'ingesting' as const,
    doneName: 'plans.csv',
    startedAt: '2026-01-01T00:00:00Z',
  };

  test('a file is recorded once by its hash, then finished', async () => {
    expect(await store.startIngestedFile(file)).toBe('started');
    expect(await store.startIngestedFile({ ...file, name: 'copy.csv' })).toBe('exists');
    expect(await store.getIngestedFile(file.hash)).toEqual(file);
    await store.finishIngestedFile(file.hash, { rows: 5, created: 3, rejected: 2, doneAt: '2026-01-01T00:01:00Z' });
    expect(await store.getIngestedFile(file.hash)).toEqual({
      ...file,
      state: 'done',
      rows: 5,
      created: 3,
      rejected: 2,
      doneAt: '2026-01-01T00:01:00Z',
    });
    expect(await store.getIngestedFile('b'.repeat(64))).toBeUndefined();
  });

  test('a row is claimed once; the second claimant is told the first one’s bid id', async () => {
    const row = { hash: file.hash, row: 2, requestId: `ingest:${file.hash}:2`, bidId: 'FS-000001' };
    expect(await store.claimIngestedRow(row)).toEqual({ kind: 'claimed' });
    expect(await store.claimIngestedRow({ ...row, bidId: 'FS-000002' })).toEqual({ kind: 'taken', existing: row });
    await store.claimIngestedRow({ ...row, row: 3, bidId: 'FS-000003', requestId: `ingest:${file.hash}:3` });
    expect(await store.ingestedRows(file.hash)).toEqual([row, { ...row, row: 3, bidId: 'FS-000003', requestId: `ingest:${file.hash}:3` }]);
    // The file record is not a row.
    expect((await store.ingestedRows(file.hash)).every((r) => typeof r.row === 'number')).toBe(true);
    expect(await store.getIngestedRow(file.hash, 3)).toMatchObject({ bidId: 'FS-000003' });
    expect(await store.getIngestedRow(file.hash, 9)).toBeUndefined();
  });

  test('a row content is owned once; it passes on only from the owner named', async () => {
    const contentKey = `${'c'.repeat(64)}.1`;
    const first = { contentKey, hash: file.hash, row: 2 };
    expect(await store.claimRowContent(first)).toEqual({ kind: 'claimed' });
    expect(await store.claimRowContent({ contentKey, hash: 'd'.repeat(64), row: 7 })).toEqual({ kind: 'taken', existing: first });
    expect(await store.takeRowContent(contentKey, { hash: 'e'.repeat(64), row: 2 }, { hash: 'd'.repeat(64), row: 7 })).toBe(false);
    expect(await store.takeRowContent(contentKey, { hash: file.hash, row: 2 }, { hash: 'd'.repeat(64), row: 7 })).toBe(true);
    expect(await store.claimRowContent(first)).toEqual({ kind: 'taken', existing: { contentKey, hash: 'd'.repeat(64), row: 7 } });
    // Another occurrence of the same content is another key.
    expect(await store.claimRowContent({ ...first, contentKey: `${'c'.repeat(64)}.2` })).toEqual({ kind: 'claimed' });
  });
});

describe('sync state', () => {
  const state: SyncState = {
    fy: '2025/26',
    syncToken: 'token',
    after: '2026-01-01T00:00:00.000Z',
    windowDigest: 'window',
    ledgerDigest: 'digest',
    updatedAt: '2026-01-01T00:00:00.000Z',
    revision: 1,
  };

  test('revisions are optimistic: a stale writer gets a conflict', async () => {
    expect(await store.putSyncState(state)).toBe('written');
    expect(await store.putSyncState(state)).toBe('conflict');
    expect(await store.putSyncState({ ...state, revision: 2, after: '2026-01-02T00:00:00.000Z' })).toBe('written');
    expect(await store.putSyncState({ ...state, revision: 2 })).toBe('conflict');
    expect(await store.putSyncState({ ...state, fy: '2026/27' })).toBe('written');
    const states = await store.syncStates();
    expect(states.map((s) => [s.fy, s.revision])).toEqual([
      ['2025/26', 2],
      ['2026/27', 1],
    ]);
    expect(states[0]?.windowDigest).toBe('window');
  });
});
