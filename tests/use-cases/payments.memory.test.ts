/**
 * Payments by instalment on the in-memory store (docs/design.md §3.1): a release that cannot write
 * its bid gives its payment back; a retry under the same request id finishes, never pays twice.
 */
import type { Bid, DomainError, Result } from '../../domain';
import { MemoryFundStore } from '../../functions/store/memory/memory-fund-store';
import type { FundStore } from '../../functions/store/types';
import { actOnBid, createBid } from '../../functions/use-cases/bid-commands';
import { setBudget } from '../../functions/use-cases/budget';
import type { ProtocolStep, UseCaseDeps } from '../../functions/use-cases/deps';
import { releaseInstalment, schedulePayments } from '../../functions/use-cases/payments';
import { testActors } from '../support/actors';
import { withConfirmation } from '../support/confirmation';

const FY = '2025/26';

function value<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

let requests = 0;
const deps: UseCaseDeps = {
  store: new MemoryFundStore(),
  now: () => new Date('2025-06-01T09:00:00.000Z'),
  newRequestId: () => `r-${++requests}`,
};
const ctx = (actor: keyof typeof testActors) => ({ actor: testActors[actor], requestId: `req-${++requests}` });
/** The use cases' dependencies, crashing the request once it reaches `wanted` in the change protocol. */
const crashingAfter = (wanted: ProtocolStep): UseCaseDeps => ({
  ...deps,
  checkpoint: (step) => {
    if (step === wanted) throw new Error('injected crash');
  },
});

/** A West Mercia bid of 10,000p, approved, in two instalments of 4,000p and 6,000p. */
async function scheduledBid(): Promise<Bid> {
  const created = value(
    await createBid(
      deps,
      {
        fy: FY,
        title: 'Paid in parts',
        leadOrganisation: 'shropshire',
        scope: 'west-mercia',
        crimeTypes: ['rural'],
        requestedPence: 10_000,
        outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 40 }],
        submit: true,
      },
      ctx('finance'),
    ),
  );
  const recommended = value(await actOnBid(deps, created.id, 'recommend', { amountPence: 10_000 }, created.version, ctx('board')));
  const approved = value(
    await actOnBid(deps, created.id, 'approve', withConfirmation('approve', {}), recommended.version, ctx('westMerciaPcc')),
  );
  const instalments = [
    { due: '2025-07-01', amountPence: 4_000 },
    { due: '2025-10-01', amountPence: 6_000 },
  ];
  return value(await schedulePayments(deps, created.id, { instalments }, approved.version, ctx('finance')));
}

const entry = async (bidId: string) => (await deps.store.getLedgers(FY)).find((l) => l.funder === 'west-mercia')?.allocations[bidId];

beforeAll(async () => {
  value(
    await setBudget(deps, FY, { fundPence: 200_000, pots: { 'west-mercia': 100_000, warwickshire: 50_000 } }, testActors.admin, 'budget-1'),
  );
});

test('a release whose bid write keeps losing gives its payment back', async () => {
  const bid = await scheduledBid();
  const losing: FundStore = Object.create(deps.store) as FundStore;
  losing.replaceBid = () => Promise.resolve('conflict');
  const result = await releaseInstalment({ ...deps, store: losing }, bid.id, 1, bid.version, ctx('westMerciaPcc'));
  expect(result.ok ? 'ok' : result.error.kind).toBe('version-conflict');
  expect(await entry(bid.id)).toMatchObject({ paidPence: 0, payments: {} });
  expect((await deps.store.readBid(bid.id))?.bid.payments?.[0]?.paid).toEqual({});
});

test('a release that crashed after paying is finished by its retry under the same request id, paid once', async () => {
  const bid = await scheduledBid();
  const crashing = crashingAfter('ledger-committed');
  const request = { actor: testActors.westMerciaPcc, requestId: 'release-once' };
  await expect(releaseInstalment(crashing, bid.id, 1, bid.version, request)).rejects.toThrow('injected crash');
  expect(await entry(bid.id)).toMatchObject({ paidPence: 4_000 });
  const retried = value(await releaseInstalment(deps, bid.id, 1, bid.version, request));
  expect(retried.payments?.[0]?.paid['west-mercia']).toBe('2025-06-01T09:00:00.000Z');
  expect(await entry(bid.id)).toMatchObject({ paidPence: 4_000, state: 'committed' });
  const last = value(await releaseInstalment(deps, bid.id, 2, retried.version, ctx('westMerciaPcc')));
  expect(last).toMatchObject({ status: 'released', decisions: { 'west-mercia': 'released' } });
  expect(await entry(bid.id)).toMatchObject({ paidPence: 10_000, state: 'released' });
});

test('a crashed release whose retry is refused (finance scheduled again meanwhile) gives its payment back', async () => {
  const bid = await scheduledBid();
  const crashing = crashingAfter('ledger-committed');
  const request = { actor: testActors.westMerciaPcc, requestId: 'release-refused-retry' };
  await expect(releaseInstalment(crashing, bid.id, 1, bid.version, request)).rejects.toThrow('injected crash');
  expect(await entry(bid.id)).toMatchObject({ paidPence: 4_000 });
  // The bid records nothing paid, so finance may schedule again; the retry's If-Match is stale.
  const instalments = [
    { due: '2025-07-01', amountPence: 5_000 },
    { due: '2025-10-01', amountPence: 5_000 },
  ];
  const rescheduled = value(await schedulePayments(deps, bid.id, { instalments }, bid.version, ctx('finance')));
  const retried = await releaseInstalment(deps, bid.id, 1, bid.version, request);
  expect(retried.ok ? 'ok' : retried.error.kind).toBe('version-conflict');
  expect(await entry(bid.id)).toMatchObject({ paidPence: 0, payments: {} });
  // The part is free again: a fresh release pays the new schedule's part.
  const paid = value(await releaseInstalment(deps, bid.id, 1, rescheduled.version, ctx('westMerciaPcc')));
  expect(paid.payments?.[0]?.paid['west-mercia']).toBeDefined();
  expect(await entry(bid.id)).toMatchObject({ paidPence: 5_000, payments: { '1': { partPence: 5_000 } } });
});

test('a refused retry keeps a payment its bid records (the first attempt wrote the bid before it crashed)', async () => {
  const bid = await scheduledBid();
  const crashing = crashingAfter('bid-written');
  const request = { actor: testActors.westMerciaPcc, requestId: 'release-recorded' };
  await expect(releaseInstalment(crashing, bid.id, 1, bid.version, request)).rejects.toThrow('injected crash');
  // Another change lands on the bid after the crash, so the retry cannot roll forward as its own.
  const other = value(await releaseInstalment(deps, bid.id, 2, bid.version + 1, ctx('westMerciaPcc')));
  const retried = await releaseInstalment(deps, bid.id, 1, bid.version, request);
  expect(retried.ok).toBe(false);
  expect(other.payments?.[0]?.paid['west-mercia']).toBeDefined();
  expect(await entry(bid.id)).toMatchObject({ paidPence: 10_000, payments: { '1': { partPence: 4_000 }, '2': { partPence: 6_000 } } });
});

test('a release that loses its bid write to a new schedule pays the new part, not the one it read first', async () => {
  const bid = await scheduledBid();
  // Finance re-schedules (5,000p + 5,000p) between the release's ledger payment (4,000p, the old
  // first instalment) and its bid write: the release reads again and must pay 5,000p for #1.
  let rescheduled = false;
  const racing: UseCaseDeps = {
    ...deps,
    checkpoint: async (step) => {
      if (step !== 'ledger-committed' || rescheduled) return;
      rescheduled = true;
      const instalments = [
        { due: '2025-07-01', amountPence: 5_000 },
        { due: '2025-10-01', amountPence: 5_000 },
      ];
      value(await schedulePayments(deps, bid.id, { instalments }, bid.version, ctx('finance')));
    },
  };
  const released = value(await releaseInstalment(racing, bid.id, 1, bid.version, ctx('westMerciaPcc')));
  expect(rescheduled).toBe(true);
  expect(released.payments?.[0]).toMatchObject({ amountPence: 5_000, parts: { 'west-mercia': 5_000 } });
  expect(released.payments?.[0]?.paid['west-mercia']).toBeDefined();
  expect(await entry(bid.id)).toMatchObject({ paidPence: 5_000, payments: { '1': { partPence: 5_000 } } });
});

test('a variation downwards that crashed after its bid write is finished by its retry: the share goes back once', async () => {
  const bid = await scheduledBid();
  const varied = value(await actOnBid(deps, bid.id, 'vary', { amountPence: 7_000, reason: 'cheaper' }, bid.version, ctx('finance')));
  const crashing = crashingAfter('bid-written');
  const request = { actor: testActors.westMerciaPcc, requestId: 'vary-down-once' };
  await expect(actOnBid(crashing, bid.id, 'approve-variation', {}, varied.version, request)).rejects.toThrow('injected crash');
  expect(await entry(bid.id)).toMatchObject({ sharePence: 10_000 });
  const retried = value(await actOnBid(deps, bid.id, 'approve-variation', {}, varied.version, request));
  expect(retried).toMatchObject({ recommendedPence: 7_000, shares: { 'west-mercia': 7_000 } });
  expect(await entry(bid.id)).toMatchObject({ sharePence: 7_000 });
  const wm = (await deps.store.getLedgers(FY)).find((l) => l.funder === 'west-mercia');
  expect(wm?.remainingPence).toBe((wm?.potPence ?? 0) - (wm?.committedPence ?? 0));
});
