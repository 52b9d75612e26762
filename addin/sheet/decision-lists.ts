/**
 * The Decision drop-downs of a sheet, grouped: rows with the same list share one data validation,
 * set on all their cells at once (a multi-area address), so the work grows with the number of
 * distinct lists and runs of rows, not with one request per row.
 */
import { letterOf } from './columns';

export interface DecisionListGroup {
  /** The list as Excel takes it: the actions, comma-separated. */
  source: string;
  /** Multi-area addresses ("S2:S5,S9"), each short enough for one getRanges call. */
  addresses: string[];
}

/** Longest multi-area address passed to one getRanges call (Excel refuses very long ones). */
export const MAX_AREAS_ADDRESS = 2000;

/**
 * Group the rows (lists[i] is the list of sheet row i + 2) by identical list; rows with no
 * choices get no group, and so no list (the Decision column is cleared first). `column`: the
 * Bids sheet's Decision column, or the Payments sheet's Release column.
 */
export function decisionListGroups(
  lists: readonly (readonly string[])[],
  maxAddress = MAX_AREAS_ADDRESS,
  column = letterOf('decision'),
): DecisionListGroup[] {
  const runs = new Map<string, { first: number; last: number }[]>();
  lists.forEach((list, i) => {
    if (list.length === 0) return;
    const source = list.join(',');
    const row = i + 2;
    const seen = runs.get(source) ?? [];
    const last = seen[seen.length - 1];
    if (last && last.last === row - 1) last.last = row;
    else seen.push({ first: row, last: row });
    runs.set(source, seen);
  });
  return [...runs].map(([source, spans]) => {
    const addresses: string[] = [];
    let current = '';
    for (const { first, last } of spans) {
      const area = first === last ? `${column}${first}` : `${column}${first}:${column}${last}`;
      if (current !== '' && current.length + 1 + area.length > maxAddress) {
        addresses.push(current);
        current = '';
      }
      current = current === '' ? area : `${current},${area}`;
    }
    if (current !== '') addresses.push(current);
    return { source, addresses };
  });
}

/** Request bytes the groups add beside the rows: addresses, lists and each call's own envelope. */
export function decisionListBytes(groups: readonly DecisionListGroup[]): number {
  // Office.js's envelope per getRanges + rule + error alert, and for clearing the column (measured
  // with excel-web-16.00 in tests/addin/excel/office-js-requests.test.ts, with room to spare).
  const PER_CALL = 1200;
  const CLEAR = 4096;
  return groups.reduce((sum, g) => sum + g.addresses.reduce((n, a) => n + a.length + g.source.length * 2 + PER_CALL, 0), CLEAR);
}
