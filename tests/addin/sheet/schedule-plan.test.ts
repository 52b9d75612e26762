/** The Schedule sheet's plan (docs/design.md §3.1, §6): rows grouped by bid, local checks naming the column. */
import type { Bid } from '../../../domain';
import { scheduleCellsAfter, scheduleRow, selectSchedules } from '../../../addin/sheet/schedule-plan';

const bid = (id: string, status: Bid['status'], version = 3) => ({ id, status, version }) as Bid;
const bids = new Map<string, Bid>([
  ['B1', bid('B1', 'approved', 4)],
  ['B2', bid('B2', 'approved', 7)],
  ['B3', bid('B3', 'submitted')],
]);

test('rows group by bid in sheet order, one schedule per bid with the pulled version; blank rows are skipped', () => {
  const selection = selectSchedules(
    [
      ['B1', '2026-06-30', 500, '', ''],
      ['B2', '2026-07-31', '1,000.50', '2026-27-Q1', 'old result'],
      ['', '', '', '', ''],
      ['B1', '2026-09-30', 500.01, '', ''],
    ],
    bids,
  );
  expect(selection.refused).toEqual(new Map());
  expect(selection.schedules).toEqual([
    {
      bidId: 'B1',
      version: 4,
      rows: [0, 3],
      instalments: [
        { due: '2026-06-30', amountPence: 50_000 },
        { due: '2026-09-30', amountPence: 50_001 },
      ],
    },
    { bidId: 'B2', version: 7, rows: [1], instalments: [{ due: '2026-07-31', amountPence: 100_050, requiresReturn: '2026-27-Q1' }] },
  ]);
});

test.each([
  [['', '2026-06-30', 1, '', ''], 'Bid ID: type the bid’s ID'],
  [['B9', '2026-06-30', 1, '', ''], 'Bid ID: not among the pulled bids (pull first)'],
  [['B3', '2026-06-30', 1, '', ''], 'Bid ID: this bid is submitted; only an approved bid is scheduled'],
  [['B1', '2026-02-30', 1, '', ''], 'Due: must be a date like 2026-09-30 (typed as text)'],
  [['B1', 46203, 1, '', ''], 'Due: must be a date like 2026-09-30 (typed as text)'],
  [['B1', '2026-06-30', 1.005, '', ''], 'Amount £: must be pounds and pence above £0, like 1,500.00'],
  [['B1', '2026-06-30', 0, '', ''], 'Amount £: must be pounds and pence above £0, like 1,500.00'],
  [['B1', '2026-06-30', 'lots', '', ''], 'Amount £: must be pounds and pence above £0, like 1,500.00'],
  [['B1', '2026-06-30', '', '', ''], 'Amount £: must be pounds and pence above £0, like 1,500.00'],
  [['B1', '2026-06-30', 1, 'Q2', ''], 'Requires return: must be a quarter like 2026-27-Q2, or blank'],
])('a bad row is refused naming its column: %j', (cells, message) => {
  expect(scheduleRow(cells, bids)).toBe(message);
});

test('a bid with a refused row is not sent; its other rows say which row is wrong', () => {
  const rows = [
    ['B1', '2026-06-30', 500, '', ''],
    ['B2', '2026-06-30', 10, '', ''],
    ['B1', 'soon', 500, '', ''],
  ];
  const selection = selectSchedules(rows, bids);
  expect(selection.schedules.map((s) => s.bidId)).toEqual(['B2']);
  expect(selection.refused).toEqual(
    new Map([
      [2, 'Due: must be a date like 2026-09-30 (typed as text)'],
      [0, 'Not sent: row 4 of this bid is refused'],
    ]),
  );
});

test('after a push, scheduled rows leave the sheet and refused ones keep their cells with the reason', () => {
  const rows = [
    ['B1', '2026-06-30', 500, '', ''],
    ['B2', '2026-06-30', 10, '2026-27-Q1', 'old'],
    ['', '', '', '', 'stale'],
  ];
  expect(scheduleCellsAfter(rows, new Set([0]), new Map([[1, 'Refused: no']]))).toEqual([
    ['B2', '2026-06-30', 10, '2026-27-Q1', 'Refused: no'],
  ]);
});
