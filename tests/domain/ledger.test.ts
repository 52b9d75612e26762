/** domain/ledger.ts: totals, which statuses hold a share, and what reconcile must do about an entry. */
import fc from 'fast-check';
import {
  ACTION_FROM,
  BID_STATUSES,
  CLOSED_STATUSES,
  classifyEntry,
  classifyMissingEntry,
  DECISIONS,
  entryAgreesWithBid,
  expectsEntry,
  FUNDER_IDS,
  holdsShare,
  ledgerAgreesWithEntries,
  ledgerTotals,
  ledgerTotalsDiff,
  owedSettlement,
  SHARE_FREE_STATUSES,
  UNDECIDED_STATUSES,
  type Bid,
  type BidStatus,
  type EntryFacts,
  type FunderId,
  type Ledger,
  type LedgerAllocation,
} from '../../domain';
import { newBid } from './fixtures';

const propertyOptions = { seed: Number(process.env.FUNDSHARE_PROPERTY_SEED ?? 1), numRuns: 300 };

const FY = '2025/26';
const GRACE = 5 * 60_000;

const allocation = (overrides: Partial<LedgerAllocation> = {}): LedgerAllocation => ({
  sharePence: 69_001,
  state: 'committed',
  by: 'west-mercia-finance',
  at: '2025-06-01T10:00:00.000Z',
  requestId: 'req-1',
  ...overrides,
});

const bidWith = (overrides: Partial<Bid>): Bid => ({ ...newBid(), fy: FY, ...overrides });

const facts = (bid: Bid | undefined, entry: Partial<EntryFacts> = {}): EntryFacts => ({
  fy: FY,
  funder: 'west-mercia',
  bidId: 'FS-00001',
  allocation: allocation(),
  bid,
  ageMs: GRACE * 2,
  graceMs: GRACE,
  ...entry,
});

const ledgerOf = (potPence: number, allocations: Record<string, LedgerAllocation>): Ledger => ({
  fy: FY,
  funder: 'west-mercia',
  potPence,
  committedPence: 0,
  releasedPence: 0,
  remainingPence: 0,
  allocations,
});

// ---- arbitraries ----

const arbAllocation = fc.record({
  sharePence: fc.nat({ max: 1_000_000 }),
  state: fc.constantFrom<LedgerAllocation['state']>('committed', 'released'),
  by: fc.constant('someone'),
  at: fc.constant('2025-06-01T10:00:00.000Z'),
  requestId: fc.constant('req-1'),
});

const arbAllocations = fc.dictionary(
  fc.integer({ min: 1, max: 999 }).map((n) => `FS-${String(n).padStart(5, '0')}`),
  arbAllocation,
  { maxKeys: 12 },
);

const arbFunder = fc.constantFrom<FunderId>(...FUNDER_IDS);

/** Any bid state: status, and per funder a decision and share (or none). */
const arbBid = fc
  .record({
    status: fc.constantFrom<BidStatus>(...BID_STATUSES),
    decisions: fc.record(Object.fromEntries(FUNDER_IDS.map((f) => [f, fc.constantFrom(...DECISIONS)])), { requiredKeys: [] }),
    shares: fc.record(Object.fromEntries(FUNDER_IDS.map((f) => [f, fc.nat({ max: 1_000_000 })])), { requiredKeys: [] }),
  })
  .map((state) => bidWith(state as Partial<Bid>));

/** A bid and an entry that agrees with it: the state its decision and status call for. */
const arbAgreeingPair = fc
  .record({
    funder: arbFunder,
    share: fc.nat({ max: 1_000_000 }),
    shape: fc.constantFrom(
      { status: 'recommended', decision: 'approved', state: 'committed' },
      { status: 'approved', decision: 'approved', state: 'committed' },
      { status: 'approved', decision: 'released', state: 'released' },
      { status: 'released', decision: 'released', state: 'released' },
    ),
    ageMs: fc.nat({ max: GRACE * 4 }),
  })
  .map(({ funder, share, shape, ageMs }) => ({
    bid: bidWith({
      status: shape.status as BidStatus,
      decisions: { [funder]: shape.decision },
      shares: { [funder]: share },
    } as Partial<Bid>),
    entry: { funder, allocation: allocation({ sharePence: share, state: shape.state as LedgerAllocation['state'] }), ageMs },
  }));

// ---- tests ----

describe('which statuses hold a share', () => {
  it('share-free = closed ∪ undecided; recommended, approved and released hold shares', () => {
    expect([...SHARE_FREE_STATUSES].sort()).toEqual([...CLOSED_STATUSES, ...UNDECIDED_STATUSES].sort());
    expect(BID_STATUSES.filter(holdsShare)).toEqual(['recommended', 'approved', 'released']);
  });

  it('closed = the share-free statuses no action starts from (over without being funded)', () => {
    const startsAnAction = (s: BidStatus) => Object.values(ACTION_FROM).some((from) => from.includes(s));
    expect([...CLOSED_STATUSES].sort()).toEqual(BID_STATUSES.filter((s) => !holdsShare(s) && !startsAnAction(s)).sort());
  });

  it('expects an entry for an approved or released funder of a share-holding bid only', () => {
    expect(expectsEntry({ status: 'approved', decisions: { 'west-mercia': 'approved' } }, 'west-mercia')).toBe(true);
    expect(expectsEntry({ status: 'released', decisions: { 'west-mercia': 'released' } }, 'west-mercia')).toBe(true);
    expect(expectsEntry({ status: 'recommended', decisions: { 'west-mercia': 'pending' } }, 'west-mercia')).toBe(false);
    expect(expectsEntry({ status: 'declined', decisions: { 'west-mercia': 'approved' } }, 'west-mercia')).toBe(false);
    expect(expectsEntry({ status: 'withdrawn', decisions: { 'west-mercia': 'approved' } }, 'west-mercia')).toBe(false);
  });
});

describe('ledger totals', () => {
  it('committed is every share, released the released ones, remaining the pot less committed', () => {
    const ledger = ledgerOf(100_000, {
      a: allocation({ sharePence: 30_000 }),
      b: allocation({ sharePence: 20_000, state: 'released' }),
    });
    expect(ledgerTotals(ledger)).toEqual({ committedPence: 50_000, releasedPence: 20_000, remainingPence: 50_000 });
  });

  it('property: totals are sums of the entries; a ledger storing them agrees with its entries', () => {
    fc.assert(
      fc.property(fc.nat({ max: 20_000_000 }), arbAllocations, (pot, allocations) => {
        const totals = ledgerTotals(ledgerOf(pot, allocations));
        const shares = Object.values(allocations);
        expect(totals.committedPence).toBe(shares.reduce((sum, a) => sum + a.sharePence, 0));
        expect(totals.releasedPence).toBe(shares.filter((a) => a.state === 'released').reduce((sum, a) => sum + a.sharePence, 0));
        expect(totals.releasedPence).toBeLessThanOrEqual(totals.committedPence);
        expect(totals.remainingPence).toBe(pot - totals.committedPence);
        const stored = { ...ledgerOf(pot, allocations), ...totals };
        expect(ledgerAgreesWithEntries(stored)).toBe(true);
        expect(ledgerTotalsDiff(stored)).toBeUndefined();
      }),
      propertyOptions,
    );
  });

  it('property: a stored total that is off by δ shows as |δ| off, with both sets of totals', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20_000_000 }),
        arbAllocations,
        fc.constantFrom('committedPence', 'releasedPence', 'remainingPence') as fc.Arbitrary<keyof ReturnType<typeof ledgerTotals>>,
        fc.integer({ min: -50_000, max: 50_000 }).filter((d) => d !== 0),
        (pot, allocations, field, delta) => {
          const totals = ledgerTotals(ledgerOf(pot, allocations));
          const stored = { ...ledgerOf(pot, allocations), ...totals, [field]: totals[field] + delta };
          const diff = ledgerTotalsDiff(stored);
          expect(ledgerAgreesWithEntries(stored)).toBe(false);
          expect(diff).toMatchObject({ totals, offPence: Math.abs(delta), overCommitted: totals.remainingPence < 0 });
          expect(diff?.detail).toContain(`entries say ${totals.committedPence}/${totals.releasedPence}/${totals.remainingPence}p`);
        },
      ),
      propertyOptions,
    );
  });

  it('says when more is committed than the pot holds', () => {
    const ledger = ledgerOf(10_000, { a: allocation({ sharePence: 30_000 }) });
    expect(ledgerTotalsDiff(ledger)).toMatchObject({ overCommitted: true, offPence: 30_000 + 20_000 });
  });
});

describe('entryAgreesWithBid', () => {
  it('a committed entry agrees with an approved decision of a recommended or approved bid at the same share', () => {
    const bid = bidWith({ status: 'approved', decisions: { 'west-mercia': 'approved' }, shares: { 'west-mercia': 69_001 } });
    expect(entryAgreesWithBid(bid, { fy: FY, funder: 'west-mercia', allocation: allocation() })).toBe(true);
    expect(entryAgreesWithBid(bid, { fy: FY, funder: 'west-mercia', allocation: allocation({ sharePence: 1 }) })).toBe(false);
    expect(entryAgreesWithBid(bid, { fy: '2026/27', funder: 'west-mercia', allocation: allocation() })).toBe(false);
    expect(entryAgreesWithBid(undefined, { fy: FY, funder: 'west-mercia', allocation: allocation() })).toBe(false);
  });
});

describe('owedSettlement', () => {
  it('a share-free bid gives its committed share back; a released decision marks it released', () => {
    expect(owedSettlement({ status: 'withdrawn', decisions: {} }, 'west-mercia', { state: 'committed' })).toBe('uncommit');
    expect(owedSettlement({ status: 'submitted', decisions: {} }, 'west-mercia', { state: 'committed' })).toBe('uncommit');
    expect(owedSettlement({ status: 'approved', decisions: { 'west-mercia': 'released' } }, 'west-mercia', { state: 'committed' })).toBe(
      'release',
    );
    expect(owedSettlement({ status: 'approved', decisions: { 'west-mercia': 'released' } }, 'west-mercia', { state: 'released' })).toBe(
      undefined,
    );
    expect(owedSettlement({ status: 'approved', decisions: { 'west-mercia': 'approved' } }, 'west-mercia', { state: 'committed' })).toBe(
      undefined,
    );
  });
});

describe('classifyEntry', () => {
  it('an entry for no bid, or a bid of another year, is orphan drift', () => {
    expect(classifyEntry(facts(undefined))).toEqual({
      kind: 'drift',
      drift: 'orphan-allocation',
      detail: `west-mercia's ledger holds 69001p for FS-00001, which is not a bid of ${FY}`,
    });
    expect(classifyEntry(facts(bidWith({ fy: '2026/27' })))).toMatchObject({ kind: 'drift', drift: 'orphan-allocation' });
  });

  it('a closed bid still holding a share rolls forward (uncommit)', () => {
    const bid = bidWith({ status: 'declined', decisions: { 'west-mercia': 'approved' }, shares: { 'west-mercia': 69_001 } });
    expect(classifyEntry(facts(bid))).toEqual({ kind: 'roll-forward', action: 'uncommit' });
  });

  it('a released decision with a committed entry rolls forward (release)', () => {
    const bid = bidWith({ status: 'approved', decisions: { 'west-mercia': 'released' }, shares: { 'west-mercia': 69_001 } });
    expect(classifyEntry(facts(bid))).toEqual({ kind: 'roll-forward', action: 'release' });
  });

  it('an approval that never reached the bid waits out the grace period, then rolls back', () => {
    const bid = bidWith({ status: 'recommended', decisions: { 'west-mercia': 'pending' }, shares: { 'west-mercia': 69_001 } });
    expect(classifyEntry(facts(bid, { ageMs: GRACE - 1 }))).toEqual({ kind: 'in-flight' });
    expect(classifyEntry(facts(bid, { ageMs: GRACE }))).toEqual({ kind: 'roll-back' });
  });

  it('a share unlike the bid is share-mismatch; a state unlike the decision is unexpected', () => {
    const approved = bidWith({ status: 'approved', decisions: { 'west-mercia': 'approved' }, shares: { 'west-mercia': 50_000 } });
    expect(classifyEntry(facts(approved))).toEqual({
      kind: 'drift',
      drift: 'share-mismatch',
      detail: "west-mercia's ledger holds 69001p for FS-00001 but the bid's share is 50000p",
    });
    const released = facts(bidWith({ status: 'approved', decisions: { 'west-mercia': 'approved' }, shares: { 'west-mercia': 69_001 } }), {
      allocation: allocation({ state: 'released' }),
    });
    expect(classifyEntry(released)).toEqual({
      kind: 'drift',
      drift: 'unexpected-allocation',
      detail: "west-mercia's entry for FS-00001 is released but the bid is approved (approved)",
    });
  });

  it('property: every entry agreeing with its bid classifies as nothing, whatever its age', () => {
    fc.assert(
      fc.property(arbAgreeingPair, ({ bid, entry }) => {
        expect(entryAgreesWithBid(bid, { fy: FY, ...entry })).toBe(true);
        expect(classifyEntry(facts(bid, entry))).toEqual({ kind: 'nothing' });
      }),
      propertyOptions,
    );
  });

  it('property: nothing exactly when the entry agrees; roll-forward, roll-back and in-flight only as their rules say', () => {
    fc.assert(
      fc.property(arbBid, arbFunder, arbAllocation, fc.nat({ max: GRACE * 4 }), (bid, funder, alloc, ageMs) => {
        const verdict = classifyEntry(facts(bid, { funder, allocation: alloc, ageMs }));
        const agrees = entryAgreesWithBid(bid, { fy: FY, funder, allocation: alloc });
        expect(verdict.kind === 'nothing').toBe(agrees);
        if (verdict.kind === 'roll-forward') {
          expect(alloc.state).toBe('committed');
          expect(verdict.action).toBe(holdsShare(bid.status) ? 'release' : 'uncommit');
          if (verdict.action === 'release') expect(bid.decisions[funder]).toBe('released');
        }
        if (verdict.kind === 'roll-back' || verdict.kind === 'in-flight') {
          expect([bid.status, bid.decisions[funder], alloc.state]).toEqual(['recommended', 'pending', 'committed']);
          expect(verdict.kind === 'in-flight').toBe(ageMs < GRACE);
        }
        if (verdict.kind === 'drift') expect(verdict.drift).not.toBe('orphan-allocation');
      }),
      propertyOptions,
    );
  });
});

describe('classifyMissingEntry', () => {
  const approved = bidWith({ status: 'approved', decisions: { 'west-mercia': 'approved' }, shares: { 'west-mercia': 69_001 } });

  it('an approved share with no entry is missing-allocation drift', () => {
    expect(classifyMissingEntry(approved, 'west-mercia', undefined)).toEqual({
      kind: 'missing-allocation',
      pence: 69_001,
      detail: `west-mercia approved ${approved.id} but its ledger holds no share for it`,
    });
    expect(classifyMissingEntry(approved, 'west-mercia', allocation())).toBeUndefined();
  });

  it('a withdrawn or declined bid keeps its decisions but rightly holds no share', () => {
    for (const status of ['withdrawn', 'declined', 'not-recommended'] as const) {
      expect(classifyMissingEntry({ ...approved, status }, 'west-mercia', undefined)).toBeUndefined();
    }
  });

  it('property: missing exactly when an entry is expected and absent', () => {
    fc.assert(
      fc.property(arbBid, arbFunder, fc.option(arbAllocation, { nil: undefined }), (bid, funder, alloc) => {
        const missing = classifyMissingEntry(bid, funder, alloc);
        expect(missing !== undefined).toBe(alloc === undefined && expectsEntry(bid, funder));
        if (missing) expect(missing.pence).toBe(bid.shares[funder] ?? 0);
      }),
      propertyOptions,
    );
  });
});
