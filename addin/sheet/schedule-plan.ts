/**
 * The Schedule sheet (docs/design.md §3.1, §6): finance types one row per instalment (Bid ID,
 * Due, Amount £, Requires return) and pushes; rows are grouped by bid, in sheet order, into one
 * `PUT /bids/{id}/payments` each. The local checks name the column. Pure: addin/excel/ does the Office.js.
 */
import { isoDateSchema, parsePounds, quarterSchema, type Bid } from '../../domain';
import { columnLetter, MONEY_FORMAT, TEXT_FORMAT, type CellValue } from './columns';

export const SCHEDULE_SHEET = 'Schedule';

export const SCHEDULE_COLUMNS = [
  { key: 'bidId', header: 'Bid ID', format: TEXT_FORMAT },
  { key: 'due', header: 'Due', format: TEXT_FORMAT },
  { key: 'amount', header: 'Amount £', format: MONEY_FORMAT },
  { key: 'requiresReturn', header: 'Requires return', format: TEXT_FORMAT },
  { key: 'result', header: 'Result', format: TEXT_FORMAT },
] as const;
export type ScheduleColumnKey = (typeof SCHEDULE_COLUMNS)[number]['key'];
export const SCHEDULE_HEADERS: readonly string[] = SCHEDULE_COLUMNS.map((c) => c.header);
export const scheduleColumn = (key: ScheduleColumnKey): number => SCHEDULE_COLUMNS.findIndex((c) => c.key === key);
export const scheduleLetter = (key: ScheduleColumnKey): string => columnLetter(scheduleColumn(key));

export interface ScheduleInstalment {
  due: string;
  amountPence: number;
  requiresReturn?: string;
}

/** One bid's schedule: its instalments in sheet order and the sheet rows (0-based) they came from. */
export interface BidSchedule {
  bidId: string;
  version: number;
  rows: number[];
  instalments: ScheduleInstalment[];
}

export interface ScheduleSelection {
  schedules: BidSchedule[];
  /** Rows (0-based) refused before sending → the message naming the column. */
  refused: Map<number, string>;
}

const text = (value: CellValue | undefined): string => (value === undefined ? '' : String(value).trim());
const blank = (cells: readonly CellValue[]) => SCHEDULE_COLUMNS.every((c, i) => c.key === 'result' || text(cells[i]) === '');

/** One row's instalment, or the message naming the column that is wrong. */
export function scheduleRow(cells: readonly CellValue[], bids: ReadonlyMap<string, Bid>): ScheduleInstalment | string {
  const cell = (key: ScheduleColumnKey) => cells[scheduleColumn(key)];
  const bidId = text(cell('bidId'));
  const bid = bids.get(bidId);
  if (bidId === '') return 'Bid ID: type the bid’s ID';
  if (!bid) return 'Bid ID: not among the pulled bids (pull first)';
  if (bid.status !== 'approved') return `Bid ID: this bid is ${bid.status}; only an approved bid is scheduled`;
  const due = text(cell('due'));
  if (!isoDateSchema.safeParse(due).success) return 'Due: must be a date like 2026-09-30 (typed as text)';
  const amount = cell('amount');
  const pence = amount === undefined || typeof amount === 'boolean' || text(amount) === '' ? null : parsePounds(amount);
  if (!pence?.ok || pence.value <= 0) return 'Amount £: must be pounds and pence above £0, like 1,500.00';
  const requiresReturn = text(cell('requiresReturn'));
  if (requiresReturn !== '' && !quarterSchema.safeParse(requiresReturn).success) {
    return 'Requires return: must be a quarter like 2026-27-Q2, or blank';
  }
  return { due, amountPence: pence.value, ...(requiresReturn !== '' ? { requiresReturn } : {}) };
}

/** Group the rows by bid; a bid with any refused row is not sent (its other rows say why). */
export function selectSchedules(rows: readonly (readonly CellValue[])[], bids: ReadonlyMap<string, Bid>): ScheduleSelection {
  const refused = new Map<number, string>();
  const byBid = new Map<string, BidSchedule>();
  rows.forEach((cells, i) => {
    if (blank(cells)) return;
    const row = scheduleRow(cells, bids);
    if (typeof row === 'string') {
      refused.set(i, row);
      return;
    }
    const bidId = text(cells[scheduleColumn('bidId')]);
    const schedule = byBid.get(bidId) ?? { bidId, version: bids.get(bidId)?.version ?? 0, rows: [], instalments: [] };
    schedule.rows.push(i);
    schedule.instalments.push(row);
    byBid.set(bidId, schedule);
  });
  const schedules: BidSchedule[] = [];
  for (const schedule of byBid.values()) {
    const bad = [...refused.keys()].find((i) => text(rows[i]?.[scheduleColumn('bidId')]) === schedule.bidId);
    if (bad === undefined) schedules.push(schedule);
    else for (const i of schedule.rows) refused.set(i, `Not sent: row ${bad + 2} of this bid is refused`);
  }
  return { schedules, refused };
}

/** The sheet after a push: scheduled bids' rows dropped, the others kept with their Result. */
export function scheduleCellsAfter(
  rows: readonly (readonly CellValue[])[],
  scheduled: ReadonlySet<number>,
  results: ReadonlyMap<number, string>,
): CellValue[][] {
  return rows.flatMap((cells, i) => {
    if (scheduled.has(i) || blank(cells)) return [];
    const kept = SCHEDULE_COLUMNS.map((_, c) => cells[c] ?? '');
    kept[scheduleColumn('result')] = results.get(i) ?? text(cells[scheduleColumn('result')]);
    return [kept];
  });
}
