/**
 * The Payments and Returns tables of the snapshot (docs/design.md §3.1, §1.4), from bids and
 * returns built here: one row per instalment per funder, the gating return named, clawback and
 * underspend per funder on the Allocations rows, returns' decisions from their own history.
 */
import type { Bid, MonitoringReturn } from '../../domain';
import type { Ledger } from '../../functions/store/types';
import { paymentsTable, returnsTable, snapshotTables } from '../../functions/sync/export';

const AT = '2025-10-01T09:00:00.000Z';
const bid = {
  id: 'FS-000007',
  fy: '2025/26',
  status: 'approved',
  crimeTypes: ['rural'],
  decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
  shares: { 'west-mercia': 69_001, warwickshire: 31_000 },
  payments: [
    {
      due: '2025-09-30',
      amountPence: 50_000,
      parts: { 'west-mercia': 34_500, warwickshire: 15_500 },
      paid: { warwickshire: AT },
      paidBy: { warwickshire: 'pcc-wa' },
    },
    {
      due: '2026-03-31',
      amountPence: 50_001,
      parts: { 'west-mercia': 34_501, warwickshire: 15_500 },
      paid: {},
      requiresReturn: '2025-26-Q3',
    },
  ],
  clawbackDue: { warwickshire: 500 },
  returned: { 'west-mercia': 1_234 },
} as unknown as Bid;

test('Payments: a row per instalment per funder, paid at/by and the return an instalment waits for', () => {
  const table = paymentsTable([bid]);
  const column = (name: string) => table.columns.findIndex((c) => c.header === name);
  expect(table.rows.map((r) => [r[column('Instalment')], r[column('Funder')], r[column('Part (£)')], r[column('Paid by')]])).toEqual([
    [{ count: 1 }, 'west-mercia', { pence: 34_500 }, null],
    [{ count: 1 }, 'warwickshire', { pence: 15_500 }, 'pcc-wa'],
    [{ count: 2 }, 'west-mercia', { pence: 34_501 }, null],
    [{ count: 2 }, 'warwickshire', { pence: 15_500 }, null],
  ]);
  expect(table.rows.map((r) => r[column('Requires return')])).toEqual([null, null, '2025-26-Q3', '2025-26-Q3']);
  expect(table.rows[1]?.[column('Paid at')]).toBe(AT);
});

test('Allocations: paid from the ledger entry, returned and clawback due from the bid, per funder', () => {
  const ledger = (funder: 'west-mercia' | 'warwickshire', paidPence: number): Ledger =>
    ({
      fy: '2025/26',
      funder,
      allocations: { [bid.id]: { sharePence: bid.shares[funder]!, state: 'committed', by: 'x', at: AT, requestId: 'r', paidPence } },
    }) as unknown as Ledger;
  const allocations = snapshotTables({
    fy: '2025/26',
    bids: [bid],
    ledgers: [ledger('west-mercia', 0), ledger('warwickshire', 15_500)],
    budgetEvents: [],
    declarations: [],
    returns: [],
  }).find((t) => t.name === 'Allocations')!;
  const columns = ['Funder', 'Paid (£)', 'Returned (£)', 'Clawback due (£)'].map((n) =>
    allocations.columns.findIndex((c) => c.header === n),
  );
  expect(allocations.rows.map((r) => columns.map((i) => r[i]))).toEqual([
    ['warwickshire', { pence: 15_500 }, { pence: 0 }, { pence: 500 }],
    ['west-mercia', { pence: 0 }, { pence: 1_234 }, { pence: 0 }],
  ]);
});

test('Returns: the latest acceptance and sending back from the return’s history; actuals in one cell', () => {
  const event = (action: 'file' | 'accept' | 'return', actor: string, at: string, reason?: string) => ({
    at,
    actor,
    role: 'finance',
    action,
    from: null,
    to: 'submitted',
    version: 1,
    requestId: at,
    ...(reason ? { reason } : {}),
  });
  const monitoringReturn = {
    bidId: bid.id,
    fy: '2025/26',
    quarter: '2025-26-Q2',
    status: 'accepted',
    spendToDatePence: 40_000,
    actuals: [
      { measure: 'Farms visited', value: 35 },
      { measure: 'Repeat victims', value: 2 },
    ],
    rag: 'amber',
    narrative: 'Behind',
    dueOn: '2025-10-30',
    version: 4,
    filedAt: '2025-10-03T00:00:00.000Z',
    filedBy: 'sam',
    updatedAt: '2025-10-04T00:00:00.000Z',
    history: [
      event('file', 'sam', '2025-10-01T00:00:00.000Z'),
      event('return', 'fiona', '2025-10-02T00:00:00.000Z', 'no actuals'),
      event('file', 'sam', '2025-10-03T00:00:00.000Z'),
      event('accept', 'fiona', '2025-10-04T00:00:00.000Z'),
    ],
  } as unknown as MonitoringReturn;
  const table = returnsTable([monitoringReturn]);
  const row = Object.fromEntries(table.columns.map((c, i) => [c.header, table.rows[0]?.[i]]));
  expect(row).toMatchObject({
    Quarter: '2025-26-Q2',
    'Spend to date (£)': { pence: 40_000 },
    Actuals: 'Farms visited: 35; Repeat victims: 2',
    'Submitted at': '2025-10-03T00:00:00.000Z',
    'Accepted at': '2025-10-04T00:00:00.000Z',
    'Accepted by': 'fiona',
    'Sent back by': 'fiona',
    'Sent back reason': 'no actuals',
    Version: { count: 4 },
  });
});
