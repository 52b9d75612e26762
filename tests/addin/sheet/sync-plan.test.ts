/** The pure sheet rules: change detection, push selection, result folding, checks, chunks, the budget summary. */
import { defaultCostShare, type Budget } from '../../../domain';
import { bidToRowData, readProposed, shareFormula } from '../../../addin/sheet/bid-rows';
import { summariseBudget } from '../../../addin/sheet/budget-summary';
import { chunkRows } from '../../../addin/sheet/chunks';
import { columnLetter, columnSegments } from '../../../addin/sheet/columns';
import {
  applyPushResults,
  mergeByVersion,
  planPull,
  PlanError,
  rowCheckMessages,
  selectPush,
  sheetProposals,
  type SheetSnapshot,
} from '../../../addin/sheet/sync-plan';
import { makeBid } from '../support/bids';

const snapshotOf = (
  rows: ReturnType<typeof bidToRowData>[],
  baseline: [string, number, number | null][],
  fy: string | null = '2026/27',
): SheetSnapshot => ({
  fy,
  rows,
  baseline: new Map(baseline.map(([id, version, proposedPence]) => [id, { id, version, proposedPence }])),
});

test('proposals typed in pounds are read exactly; mistakes are kept and reported', () => {
  expect(readProposed(1000.01)).toEqual({ ok: true, pence: 100_001 });
  expect(readProposed('£1,035,000.00')).toEqual({ ok: true, pence: 103_500_000 });
  expect(readProposed('')).toEqual({ ok: true, pence: null });
  expect(readProposed(0.1 + 0.2)).toEqual({ ok: true, pence: 30 });
  expect(readProposed(12.345)).toMatchObject({ ok: false, raw: 12.345, message: 'proposed amount has more than 2 decimal places' });
});

test('only changed rows are pushed, each with the version it was based on', () => {
  const a = makeBid({ id: 'a', version: 3 });
  const b = makeBid({ id: 'b', version: 7, proposedPence: 500 });
  const c = makeBid({ id: 'c' });
  const rows = [
    bidToRowData(a, { ok: true, pence: 1_000 }),
    bidToRowData(b),
    bidToRowData(c, { ok: false, raw: 'abc', message: 'proposed is not an amount' }),
  ];
  const selection = selectPush(
    snapshotOf(rows, [
      ['a', 3, null],
      ['b', 7, 500],
      ['c', 1, null],
    ]),
  );
  expect(selection.allocations).toEqual([{ bidId: 'a', version: 3, proposedPence: 1_000 }]);
  expect(selection.skipped).toEqual([{ bidId: 'c', title: 'Bid c', message: 'proposed is not an amount' }]);
});

test('push results: ok adopts the server bid, a conflict keeps the local value, a refusal says why', () => {
  const a = makeBid({ id: 'a' });
  const b = makeBid({ id: 'b' });
  const c = makeBid({ id: 'c' });
  const rows = [a, b, c].map((bid) => bidToRowData(bid, { ok: true, pence: 100 }));
  const outcome = applyPushResults(
    '2026/27',
    snapshotOf(rows, [
      ['a', 1, null],
      ['b', 1, null],
      ['c', 1, null],
    ]),
    [
      { bidId: 'a', version: 1, proposedPence: 100 },
      { bidId: 'b', version: 1, proposedPence: 100 },
      { bidId: 'c', version: 1, proposedPence: 100 },
    ],
    [
      { bidId: 'a', status: 'ok', bid: makeBid({ id: 'a', proposedPence: 100, version: 2 }) },
      { bidId: 'b', status: 'version-conflict', reason: 'stale', bid: makeBid({ id: 'b', proposedPence: 900, version: 4 }) },
      { bidId: 'c', status: 'invalid', reason: 'an allocation can be proposed only before the board decides' },
    ],
  );
  expect(outcome.saved).toBe(1);
  expect(outcome.plan.baseline).toEqual([
    { id: 'a', version: 2, proposedPence: 100 },
    { id: 'b', version: 1, proposedPence: null },
    { id: 'c', version: 1, proposedPence: null },
  ]);
  expect(outcome.plan.rows.map((r) => r.proposed)).toEqual([100, 100, 100].map((pence) => ({ ok: true, pence })));
  expect(outcome.conflicts[0]).toMatchObject({ bidId: 'b', localPence: 100, serverPence: 900, serverVersion: 4, baseVersion: 1 });
  expect(outcome.notes.get('c')).toBe('Not saved: an allocation can be proposed only before the board decides');
});

test('a pull refuses to replace unsent edits of another year', () => {
  const a = makeBid({ id: 'a', fy: '2025/26' });
  const snapshot = snapshotOf([bidToRowData(a, { ok: true, pence: 1 })], [['a', 1, null]], '2025/26');
  expect(() => planPull('2026/27', [], snapshot)).toThrow(PlanError);
  expect(() => planPull('2026/27', [], snapshot)).toThrow('holds 1 unsent proposal for 2025/26');
});

test('a pull keeps row order, appends new bids, keeps hand-made rows and orphaned edits', () => {
  const [a, b, c] = ['a', 'b', 'c'].map((id) => makeBid({ id }));
  const handMade = { ...bidToRowData(makeBid({ id: 'x' })), id: '' };
  const gone = bidToRowData(makeBid({ id: 'gone' }), { ok: true, pence: 5 });
  const snapshot = snapshotOf(
    [bidToRowData(b!), handMade, bidToRowData(a!), gone],
    [
      ['a', 1, null],
      ['b', 1, null],
      ['gone', 1, null],
    ],
  );
  const planned = planPull('2026/27', [a!, b!, c!], snapshot);
  expect(planned.plan.rows.map((r) => r.id)).toEqual(['b', '', 'a', 'gone', 'c']);
  expect(planned.orphans).toEqual([expect.objectContaining({ bidId: 'gone' })]);
});

test('merging a delta keeps the newest version of each bid', () => {
  const known = new Map([['a', makeBid({ id: 'a', version: 5 })]]);
  const merged = mergeByVersion(known, [makeBid({ id: 'a', version: 4 }), makeBid({ id: 'b', version: 1 })]);
  expect(merged.get('a')!.version).toBe(5);
  expect(merged.get('b')!.version).toBe(1);
});

test('row checks name the rule; sheet proposals only count bids not yet decided', () => {
  const bid = makeBid({ id: 'a', requestedPence: 1_000, leadOrganisation: 'shropshire', scope: 'alliance' });
  expect(rowCheckMessages(bidToRowData(bid, { ok: true, pence: 1_200 }), bid, defaultCostShare())).toEqual([
    'Check 3: proposed £12.00 is more than the £10.00 requested',
  ]);
  expect(rowCheckMessages({ ...bidToRowData(bid), scope: 'devon' }, bid, defaultCostShare())).toEqual([
    'scope must be alliance, west-mercia or warwickshire',
  ]);
  const rows = [
    bidToRowData(bid, { ok: true, pence: 800 }),
    bidToRowData(makeBid({ id: 'r', status: 'recommended', recommendedPence: 100_000 }), { ok: true, pence: 5 }),
  ];
  expect(sheetProposals(rows)).toEqual([{ scope: 'alliance', proposedPence: 800 }]);
});

test('the budget summary adds the sheet proposals and warns with the funder and the excess', () => {
  const budget: Budget = {
    fy: '2026/27',
    fundPence: 150_000_000,
    costShare: defaultCostShare(),
    funders: [
      { funder: 'west-mercia', potPence: 103_500_000, committedPence: 0, releasedPence: 0, pendingPence: 0, remainingPence: 103_500_000 },
      {
        funder: 'warwickshire',
        potPence: 46_500_000,
        committedPence: 46_000_000,
        releasedPence: 0,
        pendingPence: 1_000_000,
        remainingPence: 500_000,
      },
    ],
  };
  const summary = summariseBudget(budget, [{ scope: 'warwickshire', proposedPence: 240_000 }]);
  const warwickshire = summary.funders[1]!;
  expect(warwickshire).toMatchObject({ proposedPence: 240_000, freeIfAllGoAheadPence: -740_000 });
  expect(warwickshire.warning).toBe(
    'if every recommended bid is approved and the sheet’s proposals go ahead, Warwickshire is £7,400.00 over',
  );
  expect(summary.funders[0]!.warning).toBe('');
  expect(summary.totals.potPence).toBe(150_000_000);
});

test('chunks stay under the limit and never split a row; columns and formulas line up', () => {
  expect(chunkRows([40, 40, 40, 40, 40], 100).map((s) => [s.start, s.end])).toEqual([
    [0, 2],
    [2, 4],
    [4, 5],
  ]);
  expect(chunkRows([500], 100)).toEqual([{ start: 0, end: 1, bytes: 500 }]);
  expect(chunkRows([], 100)).toEqual([]);
  expect([0, 25, 26, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
  expect(columnSegments().map((s) => s.formulas)).toEqual([false, true, false]);
  expect(shareFormula('FUND', 7, 'warwickshire')).toBe('=FUND.SHARE(IF(J7<>"",J7,IF(I7<>"",I7,H7)),E7,"warwickshire",B7)');
});
