/**
 * The bid use-cases on the in-memory store with a fake clock: no dynalite, no HTTP. Create,
 * submit, recommend, approve (and over budget), decline giving back the other funder's share,
 * release, the history and the budget summary, checked against the ledgers.
 */
import type { Actor, Bid, BidAction, BidCreate, DomainError, Result } from '../../domain';
import { MemoryFundStore } from '../../functions/store/memory/memory-fund-store';
import type { Ledger } from '../../functions/store/types';
import { actOnBid, createBid } from '../../functions/use-cases/bid-commands';
import { bidHistory, listBids } from '../../functions/use-cases/bid-queries';
import { getBudget, setBudget } from '../../functions/use-cases/budget';
import type { UseCaseDeps } from '../../functions/use-cases/deps';
import { testActors } from '../support/actors';
import { withConfirmation } from '../support/confirmation';

const FY = '2025/26';

function memoryDeps(): UseCaseDeps & { advance: (ms: number) => void } {
  let now = Date.parse('2025-06-01T09:00:00.000Z');
  let requests = 0;
  return {
    store: new MemoryFundStore(),
    now: () => new Date(now),
    newRequestId: () => `req-${++requests}`,
    advance: (ms) => {
      now += ms;
    },
  };
}

function value<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

const create = (overrides: Partial<BidCreate> = {}): BidCreate => ({
  fy: FY,
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 100_000,
  outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
  submit: true,
  ...overrides,
});

let deps: ReturnType<typeof memoryDeps>;
let requestCount = 0;
const act = async (actor: Actor, bid: Bid, action: BidAction, body: { amountPence?: number } = {}) => {
  deps.advance(1_000);
  return actOnBid(deps, bid.id, action, withConfirmation(action, body), bid.version, { actor, requestId: `act-${++requestCount}` });
};
const ledger = async (funder: Ledger['funder']): Promise<Ledger | undefined> =>
  (await deps.store.getLedgers(FY)).find((l) => l.funder === funder);

/** A recommended alliance bid of `amountPence` (69% West Mercia, 31% Warwickshire). */
async function recommended(amountPence: number): Promise<Bid> {
  const draft = value(
    await createBid(deps, create({ requestedPence: amountPence, submit: false }), {
      actor: testActors.finance,
      requestId: `c-${++requestCount}`,
    }),
  );
  const submitted = value(await act(testActors.finance, draft, 'submit'));
  expect(submitted.status).toBe('submitted');
  return value(await act(testActors.board, submitted, 'recommend', { amountPence }));
}

beforeEach(async () => {
  deps = memoryDeps();
  // West Mercia 1,000.00, Warwickshire 500.00.
  value(
    await setBudget(deps, FY, { fundPence: 200_000, pots: { 'west-mercia': 100_000, warwickshire: 50_000 } }, testActors.admin, 'budget-1'),
  );
});

test('create, submit, recommend: the shares split by the cost share and wait as pending in the budget', async () => {
  const bid = await recommended(100_000);
  expect(bid).toMatchObject({
    id: 'FS-000001',
    status: 'recommended',
    shares: { 'west-mercia': 69_000, warwickshire: 31_000 },
    version: 3,
  });
  expect(bid.updatedAt).toBe('2025-06-01T09:00:02.000Z');
  const budget = value(await getBudget(deps, FY));
  expect(budget.funders.find((f) => f.funder === 'west-mercia')).toMatchObject({
    potPence: 100_000,
    pendingPence: 69_000,
    committedPence: 0,
  });
  expect(await deps.store.years()).toEqual([FY]);
  const history = value(await bidHistory(deps, bid.id));
  expect(history.events.map((e) => [e.version, e.action])).toEqual([
    [1, 'create'],
    [2, 'submit'],
    [3, 'recommend'],
  ]);
  const page = await listBids(deps, { fy: FY, limit: 10 });
  expect(page.bids.map((b) => b.id)).toEqual([bid.id]);
});

test('approvals commit shares; a share that does not fit is refused over budget and commits nothing', async () => {
  const first = await recommended(100_000);
  const half = value(await act(testActors.westMerciaPcc, first, 'approve'));
  expect(half).toMatchObject({ status: 'recommended', decisions: { 'west-mercia': 'approved', warwickshire: 'pending' } });
  const approved = value(await act(testActors.warwickshirePcc, half, 'approve'));
  expect(approved.status).toBe('approved');
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 69_000, remainingPence: 31_000 });
  expect(await ledger('warwickshire')).toMatchObject({ committedPence: 31_000, remainingPence: 19_000 });

  const second = await recommended(50_000);
  const refused = await act(testActors.westMerciaPcc, second, 'approve');
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.error).toMatchObject({ kind: 'over-budget', funder: 'west-mercia' });
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 69_000, remainingPence: 31_000 });
  expect(Object.keys((await ledger('west-mercia'))?.allocations ?? {})).toEqual([first.id]);
  expect((await deps.store.readBid(second.id))?.bid).toMatchObject({ status: 'recommended', version: second.version });
});

test('a decline by one funder gives back the share the other already committed', async () => {
  const bid = await recommended(40_000);
  const half = value(await act(testActors.westMerciaPcc, bid, 'approve'));
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 27_600, remainingPence: 72_400 });
  const declined = value(await act(testActors.warwickshirePcc, half, 'decline'));
  expect(declined).toMatchObject({ status: 'declined', decisions: { 'west-mercia': 'approved', warwickshire: 'declined' } });
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 0, remainingPence: 100_000, allocations: {} });
  expect(await ledger('warwickshire')).toMatchObject({ committedPence: 0, remainingPence: 50_000 });
});

test('release pays each approved share out once; the money stays committed', async () => {
  let bid = await recommended(10_000);
  bid = value(await act(testActors.westMerciaPcc, bid, 'approve'));
  bid = value(await act(testActors.warwickshirePcc, bid, 'approve'));
  bid = value(await act(testActors.westMerciaPcc, bid, 'release'));
  expect(bid).toMatchObject({ status: 'approved', decisions: { 'west-mercia': 'released', warwickshire: 'approved' } });
  const again = await act(testActors.westMerciaPcc, bid, 'release');
  expect(again.ok).toBe(false);
  bid = value(await act(testActors.warwickshirePcc, bid, 'release'));
  expect(bid.status).toBe('released');
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 6_900, releasedPence: 6_900, remainingPence: 93_100 });
  expect((await ledger('warwickshire'))?.allocations[bid.id]).toMatchObject({ sharePence: 3_100, state: 'released' });
  const budget = value(await getBudget(deps, FY));
  expect(budget.funders.find((f) => f.funder === 'warwickshire')).toMatchObject({ releasedPence: 3_100, pendingPence: 0 });
});

test('concurrent approvals on the memory store never overspend a pot', async () => {
  const bids = await Promise.all(Array.from({ length: 6 }, () => recommended(40_000)));
  // West Mercia's share of each is 27,600: three fit in its 100,000 pot.
  const outcomes = await Promise.all(bids.map((bid) => act(testActors.westMerciaPcc, bid, 'approve')));
  expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
  expect(outcomes.filter((o) => !o.ok && o.error.kind === 'over-budget')).toHaveLength(3);
  expect(await ledger('west-mercia')).toMatchObject({ committedPence: 82_800, remainingPence: 17_200 });
});
