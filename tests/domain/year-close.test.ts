/** The year close's pure rules (docs/design.md §3.1): the outturn per funder and the funders a close must name. */
import fc from 'fast-check';
import {
  carryForwardIssues,
  entryPaidPence,
  FUNDER_IDS,
  nextFinancialYear,
  yearOutturn,
  type FunderId,
  type Ledger,
  type LedgerAllocation,
} from '../../domain';

/** An entry: a share, committed or released, part paid by instalment or not, some of it returned. */
const allocationArb: fc.Arbitrary<LedgerAllocation> = fc
  .record({
    sharePence: fc.integer({ min: 0, max: 5_000_000 }),
    state: fc.constantFrom<LedgerAllocation['state']>('committed', 'released'),
    paidFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    returnedFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map(({ sharePence, state, paidFraction, returnedFraction }) => {
    const paidPence = paidFraction === undefined ? undefined : Math.floor(sharePence * paidFraction);
    const paidBase = paidPence ?? (state === 'released' ? sharePence : 0);
    return {
      sharePence,
      state,
      ...(paidPence !== undefined ? { paidPence } : {}),
      ...(returnedFraction !== undefined ? { returnedPence: Math.floor(paidBase * returnedFraction) } : {}),
      by: 'pcc',
      at: '2026-05-01T00:00:00.000Z',
      requestId: 'r',
    };
  });

/** A ledger whose pot covers its entries, with up to 12 of them. */
const ledgerArb = (funder: FunderId): fc.Arbitrary<Ledger> =>
  fc
    .record({ entries: fc.array(allocationArb, { maxLength: 12 }), headroom: fc.integer({ min: 0, max: 20_000_000 }) })
    .map(({ entries, headroom }) => {
      const allocations = Object.fromEntries(entries.map((a, i) => [`FS-${String(i + 1).padStart(6, '0')}`, a]));
      const committedPence = entries.reduce((s, a) => s + a.sharePence, 0);
      const releasedPence = entries.filter((a) => a.state === 'released').reduce((s, a) => s + a.sharePence, 0);
      const potPence = committedPence + headroom;
      return { fy: '2026/27', funder, potPence, committedPence, releasedPence, remainingPence: headroom, allocations };
    });

const yearArb = fc.record({
  ledgers: fc.tuple(...FUNDER_IDS.map((f) => fc.option(ledgerArb(f), { nil: undefined }))),
  flags: fc.tuple(...FUNDER_IDS.map(() => fc.boolean())),
});

describe('yearOutturn', () => {
  test('per funder pot = committed + uncommitted; carried = uncommitted when carried, else 0; totals = Σ funders; paid and returned = the entries', () => {
    fc.assert(
      fc.property(yearArb, ({ ledgers, flags }) => {
        const present = ledgers.filter((l): l is Ledger => l !== undefined);
        const carryForward = Object.fromEntries(FUNDER_IDS.map((f, i) => [f, flags[i]])) as Record<FunderId, boolean>;
        const outturn = yearOutturn(present, carryForward);
        expect(outturn.funders.map((f) => f.funder)).toEqual(present.map((l) => l.funder));
        for (const line of outturn.funders) {
          const ledger = present.find((l) => l.funder === line.funder)!;
          const entries = Object.values(ledger.allocations);
          // An independent sum: the test's own reading of the rule, not the code's.
          const paid = entries.reduce(
            (s, a) => s + (a.paidPence !== undefined ? a.paidPence : a.state === 'released' ? a.sharePence : 0),
            0,
          );
          expect(line.potPence).toBe(line.committedPence + line.uncommittedPence);
          // Underspend given back leaves the commitment (docs/design.md §1.2): committed is net of it.
          expect(line.committedPence).toBe(entries.reduce((s, a) => s + a.sharePence - (a.returnedPence ?? 0), 0));
          expect(line.paidPence).toBe(paid);
          expect(line.returnedPence).toBe(entries.reduce((s, a) => s + (a.returnedPence ?? 0), 0));
          expect(line.carriedPence).toBe(carryForward[line.funder] ? line.uncommittedPence : 0);
        }
        for (const key of ['potPence', 'committedPence', 'paidPence', 'returnedPence', 'uncommittedPence', 'carriedPence'] as const) {
          expect(outturn.totals[key]).toBe(outturn.funders.reduce((s, f) => s + f[key], 0));
        }
        expect(outturn.totals.potPence).toBe(outturn.totals.committedPence + outturn.totals.uncommittedPence);
      }),
      { numRuns: 300 },
    );
  });

  test('an entry released whole counts its share as paid; instalments count what they paid', () => {
    const base = { by: 'p', at: 'now', requestId: 'r' };
    expect(entryPaidPence({ ...base, sharePence: 500, state: 'released' })).toBe(500);
    expect(entryPaidPence({ ...base, sharePence: 500, state: 'committed' })).toBe(0);
    expect(entryPaidPence({ ...base, sharePence: 500, state: 'committed', paidPence: 120 })).toBe(120);
    expect(entryPaidPence({ ...base, sharePence: 500, state: 'released', paidPence: 500 })).toBe(500);
  });
});

describe('carryForwardIssues and the next year', () => {
  test('every funder with a pot must be named, and none without one', () => {
    expect(carryForwardIssues('2026/27', ['west-mercia', 'warwickshire'], { 'west-mercia': true, warwickshire: false })).toEqual([]);
    expect(carryForwardIssues('2026/27', ['west-mercia', 'warwickshire'], { 'west-mercia': true }).map((i) => i.path)).toEqual([
      'carryForward.warwickshire',
    ]);
    expect(carryForwardIssues('2026/27', ['west-mercia'], { 'west-mercia': false, warwickshire: true }).map((i) => i.path)).toEqual([
      'carryForward.warwickshire',
    ]);
  });

  test('the next financial year, and none after the last', () => {
    expect(nextFinancialYear('2026/27')).toEqual({ ok: true, value: '2027/28' });
    expect(nextFinancialYear('2098/99').ok).toBe(false);
  });
});
