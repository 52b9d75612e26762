/**
 * `pull_ratio` and `pull_syncs`.
 *
 * Measured: the add-in's own API client pages `GET /bids?fy=…&limit=1000` over real HTTP to the
 * local API (the real app on embedded dynalite), then the add-in's own pull mapping turns every bid
 * into its sheet row's cells (planPull → withChecks → rowCells: what the pane computes before it
 * writes). Baseline: a raw DocumentClient Query of the same GSI pages (Limit 1000) on the same
 * engine. Ratio = pull rate (bids/s) ÷ raw rate.
 *
 * Syncs: that pull written to the office-addin-mock workbook the add-in tests use (readBidsSheet +
 * writeBidsSheet, as tests/addin/excel/bids-sheet.test.ts counts them), per 5 MB of request payload.
 */
import { FundshareClient } from '../../addin/api/client';
import { readBidsSheet, rowParts, writeBidsSheet } from '../../addin/excel/bids-sheet';
import { rowCells } from '../../addin/sheet/bid-rows';
import { DEFAULT_CHUNK_BYTES, estimateRowBytes } from '../../addin/sheet/chunks';
import { BIDS_SHEET } from '../../addin/sheet/columns';
import { planPull, withChecks, type SheetPlan, type SheetSnapshot } from '../../addin/sheet/sync-plan';
import { BidCache, pullBids } from '../../addin/workflows/workflows';
import type { Bid, CostShare } from '../../domain';
import { FakeExcel, PAYLOAD_LIMIT_BYTES } from '../addin/support/fake-excel';
import type { BenchConfig } from './config';
import { progress } from './config';
import { ACTORS, rawYearQuery, type BenchEnvironment } from './environment';
import type { KeyResult } from './report';
import { grouped, interleave, median, ms, perSecond, round, timed } from './stats';

/** The production add-in's custom functions namespace, written into the share formulas. */
const NAMESPACE = 'FUND';
const PAGE_LIMIT = 1000;

const emptySnapshot = (): SheetSnapshot => ({ fy: null, rows: [], baseline: new Map() });

/** Sheet-ready cells of every bid, the way the pane's pull computes them before writing. */
export function sheetCells(fy: string, bids: readonly Bid[], costShare: CostShare) {
  const planned = planPull(fy, bids, emptySnapshot());
  const rows = withChecks(planned.plan.rows, new Map(bids.map((b) => [b.id, b])), costShare, planned.notes);
  return rows.map(rowCells);
}

/** A FakeExcel whose context.sync calls are counted. */
function countedWorkbook(): { excel: FakeExcel; syncs: () => number } {
  const excel = new FakeExcel();
  let count = 0;
  const context = excel.context as unknown as { sync: () => Promise<void> };
  const original = context.sync.bind(context);
  context.sync = async () => {
    count++;
    return original();
  };
  return { excel, syncs: () => count };
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(2)} MB`;

export async function measurePull(env: BenchEnvironment, config: BenchConfig): Promise<{ ratio: KeyResult; syncs: KeyResult }> {
  const { fy } = env.dataset;
  const count = env.dataset.bids.length;
  const financeToken = await env.token(ACTORS.finance);
  const client = new FundshareClient({ baseUrl: env.stack.apiUrl, getToken: async () => financeToken });
  // The pane reads the budget beside the pages (for the checks' cost share); read once, outside the timing.
  let costShare: CostShare | undefined;
  const budgetMs = await timed(async () => (costShare = (await client.budget(fy)).costShare));

  const rawQuery = (): Promise<number> => rawYearQuery(env, fy, count, PAGE_LIMIT);

  const pagingMs: number[] = [];
  const mappingMs: number[] = [];
  let pulled: Bid[] = [];
  const pull = async (): Promise<number> => {
    const t0 = performance.now();
    const { bids } = await client.listBids(fy);
    const t1 = performance.now();
    const cells = sheetCells(fy, bids, costShare as CostShare);
    const t2 = performance.now();
    if (bids.length !== count || cells.length !== count)
      throw new Error(`pull gave ${bids.length} bids, ${cells.length} rows; expected ${count}`);
    pagingMs.push(t1 - t0);
    mappingMs.push(t2 - t1);
    pulled = bids;
    return t2 - t0;
  };

  progress(`pull: ${grouped(count)} bids over HTTP + sheet mapping vs raw GSI Query, ${config.rounds} rounds`);
  const result = await interleave(
    config.rounds,
    { baseline: rawQuery, measured: pull },
    { onRound: (r, b, m) => progress(`pull round ${r}: raw ${ms(b)}, pull ${ms(m)}`) },
  );
  const rawRate = perSecond(count, result.baselineMedianMs);
  const pullRate = perSecond(count, result.measuredMedianMs);
  const expectedIds = new Set(env.dataset.bids.map((b) => b.bid.id));
  if (pulled.some((b) => !expectedIds.has(b.id)) || new Set(pulled.map((b) => b.id)).size !== count) {
    throw new Error('the pull did not return exactly the seeded bids');
  }
  // The warm-up run's split is in the lists too; report the measured rounds only.
  const measuredPaging = pagingMs.slice(-config.rounds);
  const measuredMapping = mappingMs.slice(-config.rounds);
  const ratio: KeyResult = {
    key: 'pull_ratio',
    value: round(pullRate / rawRate, 3),
    measured: `${grouped(pullRate)} bids/s (${ms(result.measuredMedianMs)} for ${grouped(count)})`,
    baseline: `raw Query ${grouped(rawRate)} bids/s (${ms(result.baselineMedianMs)})`,
    rounds: `${config.rounds} interleaved + 1 warm-up each`,
    details: [
      `pull = add-in client paging ${Math.ceil(count / PAGE_LIMIT)} page(s) of ${PAGE_LIMIT} over HTTP (median ${ms(median(measuredPaging))}) + planPull/withChecks/rowCells (median ${ms(median(measuredMapping))})`,
      `the pane's Pull also reads GET /years/{fy}/budget beside the pages (not in the key): ${ms(budgetMs)} here (its pending totals come from an index query of the year filtered to recommended bids)`,
      `rounds (ms): raw ${result.baselineMs.map(Math.round).join(', ')}; pull ${result.measuredMs.map(Math.round).join(', ')}`,
    ],
  };

  progress('pull syncs: writing the pulled bids to the mocked workbook');
  const fresh = countedWorkbook();
  const written: { plan?: SheetPlan } = {};
  const writeMs = await timed(async () => {
    const { snapshot, layout } = await readBidsSheet(fresh.excel.context);
    const planned = planPull(fy, pulled, snapshot);
    const rows = withChecks(planned.plan.rows, new Map(pulled.map((b) => [b.id, b])), costShare as CostShare, planned.notes);
    written.plan = { ...planned.plan, rows };
    await writeBidsSheet(fresh.excel.context, written.plan, layout, { namespace: NAMESPACE });
  });
  // The adapter sizes its row requests by an estimate against DEFAULT_CHUNK_BYTES; shown beside the real sizes.
  if (!written.plan) throw new Error('the pull wrote no plan');
  const estimated = rowParts(written.plan, NAMESPACE).reduce((sum, parts) => sum + estimateRowBytes(parts), 0);
  const requests = fresh.excel.requestBytes;
  const totalBytes = requests.reduce((a, b) => a + b, 0);
  const chunks = Math.max(1, Math.ceil(totalBytes / PAYLOAD_LIMIT_BYTES));
  const syncs = fresh.syncs();
  if (syncs !== requests.length) throw new Error(`${syncs} syncs but ${requests.length} requests recorded`);
  if (Math.max(...requests) >= PAYLOAD_LIMIT_BYTES) throw new Error('a request went over the 5 MB limit');
  const onSheet = fresh.excel.sheet(BIDS_SHEET).usedArea();
  if (!onSheet || onSheet.r2 !== count) throw new Error(`the Bids sheet holds ${onSheet ? onSheet.r2 : 0} rows, not ${count}`);

  // The whole Pull button (pullBids: pages + budget over HTTP, Bids and Budget sheets), then a
  // second Pull on the same workbook (a delta: it reads the sheet back first). Not the key.
  const workflow = countedWorkbook();
  const cache = new BidCache();
  const runExcel = <T>(work: (context: Excel.RequestContext) => Promise<T>) => work(workflow.excel.context);
  await pullBids({ client, runExcel, namespace: NAMESPACE, cache }, fy);
  const firstPull = { syncs: workflow.syncs(), bytes: workflow.excel.requestBytes.reduce((a, b) => a + b, 0) };
  await pullBids({ client, runExcel, namespace: NAMESPACE, cache }, fy);
  const rePull = {
    syncs: workflow.syncs() - firstPull.syncs,
    bytes: workflow.excel.requestBytes
      .slice(workflow.excel.requestBytes.length - (workflow.syncs() - firstPull.syncs))
      .reduce((a, b) => a + b, 0),
  };
  const perChunk = (p: { syncs: number; bytes: number }) => (p.syncs / Math.max(1, Math.ceil(p.bytes / PAYLOAD_LIMIT_BYTES))).toFixed(2);

  const syncsResult: KeyResult = {
    key: 'pull_syncs',
    value: round(syncs / chunks, 2),
    measured: `${syncs} syncs for ${mb(totalBytes)} in ${chunks} × 5 MB chunk${chunks === 1 ? '' : 's'}`,
    baseline: '—',
    rounds: '1 (deterministic)',
    details: [
      `Bids sheet of ${grouped(count)} rows on a fresh mocked workbook (readBidsSheet + writeBidsSheet): ${syncs} context.sync calls, requests ${requests.map((b) => `${(b / 1024).toFixed(0)} KB`).join(', ')} (largest ${mb(Math.max(...requests))}, limit 5 MB); value = syncs ÷ ⌈payload ÷ 5 MB⌉ = ${syncs} ÷ ${chunks}; ${ms(writeMs)} in the mock`,
      `the adapter estimates the rows at ${mb(estimated)} (their JSON in UTF-8 plus Office.js's envelope) against its ${mb(DEFAULT_CHUNK_BYTES)} chunk budget (addin/sheet/chunks.ts), so it sends ${requests.length - 1} row request(s) after the layout probe, the table shaping riding with the last; counted per row request the adapter made instead, ${syncs} ÷ ${requests.length - 1} = ${(syncs / Math.max(1, requests.length - 1)).toFixed(2)}`,
      `the whole Pull button (pullBids, Bids + Budget sheets): ${firstPull.syncs} syncs for ${mb(firstPull.bytes)} (${perChunk(firstPull)} per 5 MB); a second Pull on that workbook (reads the sheet back first): ${rePull.syncs} syncs for ${mb(rePull.bytes)} written (${perChunk(rePull)} per 5 MB)`,
    ],
  };
  return { ratio, syncs: syncsResult };
}
