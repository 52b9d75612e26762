/** The store contract's idempotency cases: claims, leases, take-over and the one saved result (run by describeFundStoreContract). */
import { IDEMPOTENCY_LEASE_MS } from '../../functions/store/ports/idempotency-repository';
import type { FundStore } from '../../functions/store/types';

const T0 = new Date('2035-06-01T12:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const AFTER_LEASE = IDEMPOTENCY_LEASE_MS + 1;

export function describeIdempotencyContract(current: () => FundStore): void {
  test('idempotency: new, then mismatch or in progress while the lease runs, then done', async () => {
    const store = current();
    expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-1', T0)).toEqual({ kind: 'new' });
    expect(await store.claimIdempotency('sub', 'k1', 'other', 'req-2', later(1))).toEqual({ kind: 'mismatch' });
    expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-2', later(1))).toEqual({ kind: 'in-progress' });
    expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-2', later(IDEMPOTENCY_LEASE_MS - 1))).toEqual({ kind: 'in-progress' });
    expect(await store.noteIdempotentBid('sub', 'k1', 'req-2', 'FS-999999')).toBe(false);
    expect(await store.noteIdempotentBid('sub', 'k1', 'req-1', 'FS-000009')).toBe(true);
    const response = { status: 201, body: { id: 'FS-000009' } };
    expect(await store.completeIdempotency('sub', 'k1', 'req-2', response)).toBe(false);
    expect(await store.completeIdempotency('sub', 'k1', 'req-1', response)).toBe(true);
    response.body.id = 'mutated';
    const done = { kind: 'done', response: { status: 201, body: { id: 'FS-000009' } } };
    expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-4', later(1))).toEqual(done);
    // Done is done, lease or no lease.
    expect(await store.claimIdempotency('sub', 'k1', 'fp', 'req-5', later(10 * AFTER_LEASE))).toEqual(done);
    expect(await store.claimIdempotency('other-sub', 'k1', 'fp', 'req-6', T0)).toEqual({ kind: 'new' });
  });

  test('idempotency: of 30 simultaneous claims of one key exactly one is new, the rest see it in progress', async () => {
    const store = current();
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => store.claimIdempotency('sub', 'k-burst', 'fp', `req-${i}`, T0)));
    expect(claims.filter((c) => c.kind === 'new')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(29);
  });

  test('idempotency: a claim older than the lease is taken over exactly once, under the first request id, with its bid id', async () => {
    const store = current();
    expect(await store.claimIdempotency('sub', 'k-lease', 'fp', 'req-first', T0)).toEqual({ kind: 'new' });
    expect(await store.noteIdempotentBid('sub', 'k-lease', 'req-first', 'FS-000042')).toBe(true);
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.claimIdempotency('sub', 'k-lease', 'fp', `req-${i}`, later(AFTER_LEASE))),
    );
    const takeOvers = claims.flatMap((c, i) => (c.kind === 'unfinished' ? [{ claim: c, taker: `req-${i}` }] : []));
    expect(takeOvers.map((t) => t.claim)).toEqual([{ kind: 'unfinished', requestId: 'req-first', bidId: 'FS-000042' }]);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(19);
    const taker = takeOvers[0]?.taker ?? 'none';

    // The taker holds a fresh lease; the first request has lost its claim and can neither note nor save.
    expect(await store.claimIdempotency('sub', 'k-lease', 'fp', 'req-late', later(AFTER_LEASE + 1000))).toEqual({ kind: 'in-progress' });
    expect(await store.noteIdempotentBid('sub', 'k-lease', 'req-first', 'FS-000043')).toBe(false);
    expect(await store.completeIdempotency('sub', 'k-lease', 'req-first', { status: 201, body: 'first' })).toBe(false);
    await store.releaseIdempotency('sub', 'k-lease', 'req-first');
    expect(await store.claimIdempotency('sub', 'k-lease', 'fp', 'req-late', later(AFTER_LEASE + 1000))).toEqual({ kind: 'in-progress' });

    // The result is saved once: a second save, even by the holder, changes nothing.
    expect(await store.completeIdempotency('sub', 'k-lease', taker, { status: 201, body: 'taker' })).toBe(true);
    expect(await store.completeIdempotency('sub', 'k-lease', taker, { status: 201, body: 'again' })).toBe(false);
    expect(await store.claimIdempotency('sub', 'k-lease', 'fp', 'req-last', later(AFTER_LEASE + 2000))).toEqual({
      kind: 'done',
      response: { status: 201, body: 'taker' },
    });
  });

  test('idempotency: a released claim is taken over at once, exactly once; a release by anyone else is ignored', async () => {
    const store = current();
    expect(await store.claimIdempotency('sub', 'k-release', 'fp', 'req-1', T0)).toEqual({ kind: 'new' });
    await store.releaseIdempotency('sub', 'k-release', 'req-other');
    expect(await store.claimIdempotency('sub', 'k-release', 'fp', 'req-2', later(1))).toEqual({ kind: 'in-progress' });
    await store.releaseIdempotency('sub', 'k-release', 'req-1');
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.claimIdempotency('sub', 'k-release', 'fp', `retry-${i}`, later(2))),
    );
    expect(claims.filter((c) => c.kind === 'unfinished')).toEqual([{ kind: 'unfinished', requestId: 'req-1' }]);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(9);
    // Nothing to note, save or release for a key nobody claimed.
    expect(await store.noteIdempotentBid('sub', 'k-none', 'req-1', 'FS-000001')).toBe(false);
    expect(await store.completeIdempotency('sub', 'k-none', 'req-1', { status: 200, body: null })).toBe(false);
    await store.releaseIdempotency('sub', 'k-none', 'req-1');
    expect(await store.claimIdempotency('sub', 'k-none', 'fp', 'req-1', T0)).toEqual({ kind: 'new' });
  });
}
