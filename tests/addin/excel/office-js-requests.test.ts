/**
 * What the Bids-sheet writes weigh in the real Office.js (excel-web-16.00), byte for byte, against
 * Excel on the web's 5 MB request limit: the adapter's estimate (addin/sheet/chunks.ts) must stay
 * above the real size, close to it, and every request under the chunk budget.
 */
import { FIXED_WORK_BYTES, rowParts, writeBidsSheet, type SheetLayout } from '../../../addin/excel/bids-sheet';
import { DEFAULT_CHUNK_BYTES, estimateRowBytes } from '../../../addin/sheet/chunks';
import { decisionListBytes, decisionListGroups } from '../../../addin/sheet/decision-lists';
import { planPull, withChecks, type SheetPlan } from '../../../addin/sheet/sync-plan';
import { defaultCostShare, type Bid, type Scope } from '../../../domain';
import { makeBid, manyBids } from '../support/bids';
import { PAYLOAD_LIMIT_BYTES } from '../support/fake-excel';
import { captureRequests } from '../support/office-js';

const NS = 'FUNDDEV';
const fresh: SheetLayout = {
  bidsSheetExists: false,
  tableExists: false,
  usedRows: 0,
  usedColumns: 0,
  stateSheetExists: false,
  stateRows: 0,
};

function planOf(bids: Bid[]): SheetPlan {
  const planned = planPull('2026/27', bids, { fy: null, rows: [], baseline: new Map() });
  const rows = withChecks(planned.plan.rows, new Map(bids.map((b) => [b.id, b])), defaultCostShare(), planned.notes);
  return { ...planned.plan, rows };
}

/** Titles at the 200-character limit, in characters of 1 to 4 UTF-8 bytes and JSON escapes. */
function unicodeBids(count: number): Bid[] {
  const scopes: Scope[] = ['alliance', 'west-mercia', 'warwickshire'];
  const pieces = ['£', '—', '“x”', '\\', '"', 'é', '🚓', 'a', '=', '€'];
  return Array.from({ length: count }, (_, i) => {
    let title = `${i} `;
    for (let k = i; title.length < 196; k += 7) title += pieces[k % pieces.length];
    return makeBid({
      id: `uni-${String(i).padStart(5, '0')}`,
      title: title.slice(0, 200),
      scope: scopes[i % 3] as Scope,
      requestedPence: 100_001 + i,
    });
  });
}

async function measure(plan: SheetPlan) {
  const { requestBytes, syncs } = await captureRequests((context) => writeBidsSheet(context, plan, fresh, { namespace: NS }));
  const estimate = rowParts(plan, NS).reduce((sum, parts) => sum + estimateRowBytes(parts), 0);
  return { requestBytes, syncs, total: requestBytes.reduce((a, b) => a + b, 0), estimate };
}

test('10,000 pulled bids go in one request, under the budget; the estimate is above the real size by under 2 %', async () => {
  const empty = await measure(planOf([]));
  // The formats, headers and table shaping alone: well inside what the adapter keeps for them.
  expect(empty.syncs).toBe(1);
  expect(empty.total).toBeLessThan(FIXED_WORK_BYTES);

  const pulled = await measure(planOf(manyBids(10_000)));
  expect(pulled.syncs).toBe(1);
  expect(pulled.requestBytes).toHaveLength(1);
  expect(pulled.total).toBeLessThanOrEqual(DEFAULT_CHUNK_BYTES);
  expect(DEFAULT_CHUNK_BYTES).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  const rowsReal = pulled.total - empty.total;
  expect(pulled.estimate).toBeGreaterThanOrEqual(rowsReal);
  expect(pulled.estimate).toBeLessThan(rowsReal * 1.02);
});

test('long Unicode titles (£, —, quotes, backslashes, emoji): as few requests as 5 MB allows, each under the budget, estimate still above', async () => {
  const empty = await measure(planOf([]));
  const heavy = await measure(planOf(unicodeBids(10_000)));
  expect(heavy.total).toBeGreaterThan(PAYLOAD_LIMIT_BYTES); // more than one request's worth
  expect(heavy.syncs).toBe(heavy.requestBytes.length);
  expect(heavy.syncs).toBeLessThanOrEqual(Math.ceil(heavy.total / PAYLOAD_LIMIT_BYTES) + 1);
  for (const bytes of heavy.requestBytes) expect(bytes).toBeLessThanOrEqual(DEFAULT_CHUNK_BYTES);
  // Each further request repeats a little of Office.js's envelope (four range paths): the row estimate covers it.
  const rowsReal = heavy.total - empty.total;
  expect(heavy.estimate).toBeGreaterThanOrEqual(rowsReal);
  expect(heavy.estimate).toBeLessThan(rowsReal * 1.02);
});

test('the Decision drop-downs of 10,000 rows in alternating lists: grouped, counted in the budget, at most one request more', async () => {
  const plan = planOf(manyBids(10_000));
  const choices = [['request-info', 'recommend', 'not-recommend'], ['approve', 'decline'], []];
  const decisionLists = plan.rows.map((_, i) => choices[i % 3] as string[]);
  const without = await measure(plan);
  const { requestBytes, syncs } = await captureRequests((context) =>
    writeBidsSheet(context, plan, fresh, { namespace: NS, decisionLists }),
  );
  expect(syncs).toBeLessThanOrEqual(without.syncs + 1);
  for (const bytes of requestBytes) expect(bytes).toBeLessThanOrEqual(DEFAULT_CHUNK_BYTES);
  // What the adapter keeps for the drop-downs covers what Office.js sends for them.
  const listsReal = requestBytes.reduce((a, b) => a + b, 0) - without.total;
  expect(decisionListBytes(decisionListGroups(decisionLists))).toBeGreaterThanOrEqual(listsReal);
});
