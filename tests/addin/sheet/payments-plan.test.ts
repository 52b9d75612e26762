/** The Payments sheet's cells and the local checks on a PCC's releases (docs/design.md §3.1). */
import type { Actor } from '../../../domain';
import { releaseListGroups } from '../../../addin/excel/payments-sheet';
import { paymentRows } from '../../../addin/sheet/payment-rows';
import { paymentCells, paymentKey, paymentLetter, releasableRows, selectReleases } from '../../../addin/sheet/payments-plan';
import { makeBid } from '../support/bids';

const bid = makeBid({
  id: 'b-1',
  title: '=HYPERLINK("x")',
  status: 'approved',
  version: 4,
  payments: [
    {
      due: '2026-06-30',
      amountPence: 1,
      parts: { 'west-mercia': 1, warwickshire: 0 },
      paid: { 'west-mercia': '2026-07-01T10:00:00.000Z' },
      paidBy: { 'west-mercia': 'pcc-wm' },
    },
    { due: '2026-09-30', amountPence: 50_000, parts: { 'west-mercia': 34_500, warwickshire: 15_500 }, paid: {} },
  ],
});
const rows = paymentRows([bid]);
const westMerciaPcc: Actor = { sub: 'pcc-wm', roles: ['pcc'], funder: 'west-mercia' };
const finance: Actor = { sub: 'fin', roles: ['finance'] };
const sheetOf = (cells: (string | number | boolean)[][]) => cells.map((c, i) => ({ row: i + 2, cells: c }));

test('cells: pounds from pence, paid yes/no, who and when; a typed Release is kept only on an unpaid part', () => {
  const inputs = new Map([
    [paymentKey('b-1', 1, 'west-mercia'), { release: 'release', result: '' }],
    [paymentKey('b-1', 2, 'west-mercia'), { release: 'release', result: 'Refused: x' }],
  ]);
  expect(paymentCells(rows, inputs)).toEqual([
    ['b-1', '=HYPERLINK("x")', 1, '2026-06-30', 'west-mercia', 0.01, 'yes', 'pcc-wm', '2026-07-01T10:00:00.000Z', '', 4, '', ''],
    ['b-1', '=HYPERLINK("x")', 1, '2026-06-30', 'warwickshire', 0, 'no', '', '', '', 4, '', ''],
    ['b-1', '=HYPERLINK("x")', 2, '2026-09-30', 'west-mercia', 345, 'no', '', '', '', 4, 'release', 'Refused: x'],
    ['b-1', '=HYPERLINK("x")', 2, '2026-09-30', 'warwickshire', 155, 'no', '', '', '', 4, '', ''],
  ]);
});

test('only a PCC gets drop-downs, on its own unpaid non-zero parts; they are grouped on the Release column', () => {
  expect(releasableRows(rows, westMerciaPcc)).toEqual([2]);
  expect(releasableRows(rows, { ...westMerciaPcc, funder: 'warwickshire' })).toEqual([3]);
  expect(releasableRows(rows, finance)).toEqual([]);
  expect(releaseListGroups(4, [2, 3])).toEqual([
    { source: 'release', addresses: [`${paymentLetter('release')}4:${paymentLetter('release')}5`] },
  ]);
});

test('releases are checked before sending, each message naming the column', () => {
  const cells = paymentCells(rows);
  const typed = cells.map((c) => [...c]);
  typed[0]![11] = 'release'; // already paid
  typed[1]![11] = 'release'; // the other funder's
  typed[2]![11] = ' Release '; // fine: trimmed, any case
  typed[3]![11] = 'yes please';
  const selection = selectReleases(sheetOf(typed), westMerciaPcc);
  expect(selection.releases).toEqual([{ key: 'b-1#2#west-mercia', bidId: 'b-1', instalment: 2, funder: 'west-mercia', version: 4 }]);
  expect([...selection.refused]).toEqual([
    ['b-1#1#west-mercia', 'Release: this part is already paid'],
    ['b-1#1#warwickshire', 'Release: this part is warwickshire’s; you release only West Mercia’s'],
    ['b-1#2#warwickshire', 'Release: choose "release" or leave it blank'],
  ]);
  expect(selection.inputs.get('b-1#2#warwickshire')).toEqual({ release: 'yes please', result: '' });
  expect([...selectReleases(sheetOf(typed), finance).refused.values()]).toContain('Release: only a PCC releases its own funder’s part');
  typed[2]![10] = 'x';
  expect(selectReleases(sheetOf(typed), westMerciaPcc).refused.get('b-1#2#west-mercia')).toBe('Version: must be the version from the pull');
});
