/**
 * Record decisions end to end: the real local API (dynalite in memory, seeded) and the Excel
 * adapters over a mocked workbook. The board recommends from the sheet, a PCC approves its share.
 */
import { financialYearOf, financialYearToPath, type AuditEvent, type Bid } from '../../../domain';
import { BIDS_SHEET, letterOf, type ColumnKey } from '../../../addin/sheet/columns';
import { recordDecisions } from '../../../addin/workflows/record-decisions';
import { pullBids, type WorkflowDeps } from '../../../addin/workflows/workflows';
import { startTestApi, testActors, type TestActorName, type TestApi } from '../../support/stack';
import { FakeExcel } from '../support/fake-excel';
import { workflowDepsFor } from '../support/workflow-deps';

type BidHistory = { events: AuditEvent[] };

let api: TestApi;
const fy = financialYearOf(new Date());

beforeAll(async () => {
  api = await startTestApi({ seed: true });
});
afterAll(() => api?.stop());

const depsFor = (excel: FakeExcel, who: TestActorName): WorkflowDeps => workflowDepsFor(api, excel, who);

/** A fresh submitted alliance bid (both PCCs share it), made by finance. */
async function submittedBid(title: string, requestedPence = 400_000): Promise<Bid> {
  const created = await api.call<Bid>('finance', 'POST', '/bids', {
    body: {
      fy,
      title,
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence,
      outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
      submit: true,
    },
  });
  expect(created.status).toBe(201);
  return created.body;
}

const serverBid = async (id: string) => (await api.call<Bid>('finance', 'GET', `/bids/${id}`)).body;

function rowOf(excel: FakeExcel, bidId: string): number {
  const sheet = excel.sheet(BIDS_SHEET);
  for (let r = 1; r < 10_000; r++) {
    const id = sheet.get(r, 0)?.value;
    if (id === bidId) return r + 1;
    if (id === undefined) break;
  }
  throw new Error(`no row for ${bidId}`);
}

const cell = (excel: FakeExcel, key: ColumnKey, row: number) => excel.sheet(BIDS_SHEET).content(`${letterOf(key)}${row}`);
const decide = (excel: FakeExcel, row: number, action: string, pounds: number | '', reference: string) =>
  excel.put(BIDS_SHEET, `${letterOf('decision')}${row}`, [[action, pounds, reference]]);

test('the board records recommendations with amounts and a minute; success clears the cells and updates the row', async () => {
  const first = await submittedBid('Decision test: gate alarms');
  const second = await submittedBid('Decision test: hedge cameras');
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'board');
  await pullBids(deps, fy);

  // The board's drop-down on a submitted row; the choices are a list validation on the Decision column.
  const rowA = rowOf(excel, first.id);
  const rowB = rowOf(excel, second.id);
  const lists = excel.validations.filter((v) => v.address.includes(letterOf('decision')) && v.validation.rule?.list);
  const offered = lists.find((v) => v.validation.rule.list.source === 'request-info,recommend,not-recommend');
  expect(offered?.address.split(',').some((area) => area.startsWith(`${letterOf('decision')}`))).toBe(true);

  decide(excel, rowA, 'recommend', 1_500.5, 'Board minute 2026/07');
  decide(excel, rowB, 'recommend', 2_000, 'Board minute 2026/07');
  const result = await recordDecisions(deps, fy, { interestsConfirmed: false });
  expect(result).toMatchObject({ sent: 2, recorded: 2, conflicts: [], refused: [], skipped: [] });
  expect(result.rows.map((r) => r.outcome)).toEqual(['ok', 'ok']);

  const after = await serverBid(first.id);
  expect(after).toMatchObject({ status: 'recommended', recommendedPence: 150_050, version: first.version + 1 });
  expect(cell(excel, 'status', rowA)).toBe('recommended');
  expect(cell(excel, 'version', rowA)).toBe(first.version + 1);
  expect(cell(excel, 'recommended', rowA)).toBe(1_500.5);
  for (const key of ['decision', 'decisionAmount', 'reference'] as const) expect(cell(excel, key, rowA)).toBe('');
  const history = await api.call<BidHistory>('finance', 'GET', `/bids/${first.id}/history`);
  expect(history.body.events.find((e) => e.action === 'recommend')?.reference).toBe('Board minute 2026/07');

  // Now recommended, the board has nothing more to decide on the row: no list over it.
  const relisted = excel.validations.filter((v) => v.validation.rule?.list?.source === 'request-info,recommend,not-recommend').pop();
  expect(relisted?.address.split(',')).not.toContain(`${letterOf('decision')}${rowA}`);
});

test('a PCC approves its share only once the register of interests is confirmed, with the decision notice number', async () => {
  const bid = await submittedBid('Decision test: farm watch signs');
  const board = new FakeExcel();
  const boardDeps = depsFor(board, 'board');
  await pullBids(boardDeps, fy);
  decide(board, rowOf(board, bid.id), 'recommend', 3_000, 'Board minute 2026/08');
  expect((await recordDecisions(boardDeps, fy, { interestsConfirmed: false })).recorded).toBe(1);

  const excel = new FakeExcel();
  const deps = depsFor(excel, 'westMerciaPcc');
  await pullBids(deps, fy);
  const row = rowOf(excel, bid.id);
  expect(excel.validations.some((v) => v.validation.rule?.list?.source === 'approve,decline')).toBe(true);
  decide(excel, row, 'approve', '', 'WPCC3-0089');

  const unconfirmed = await recordDecisions(deps, fy, { interestsConfirmed: false });
  expect(unconfirmed.sent).toBe(0);
  expect(unconfirmed.skipped).toEqual([
    expect.objectContaining({ bidId: bid.id, message: expect.stringContaining('register of interests') }),
  ]);
  expect(cell(excel, 'decision', row)).toBe('approve');
  expect(String(cell(excel, 'check', row))).toContain('Decision not sent');
  expect((await serverBid(bid.id)).decisions['west-mercia']).toBe('pending');

  const confirmed = await recordDecisions(deps, fy, { interestsConfirmed: true });
  expect(confirmed).toMatchObject({ sent: 1, recorded: 1 });
  const after = await serverBid(bid.id);
  expect(after.decisions['west-mercia']).toBe('approved');
  expect(cell(excel, 'decision', row)).toBe('');
  expect(cell(excel, 'reference', row)).toBe('');
  expect(cell(excel, 'version', row)).toBe(after.version);
  const history = await api.call<BidHistory>('finance', 'GET', `/bids/${bid.id}/history`);
  expect(history.body.events.find((e) => e.action === 'approve')).toMatchObject({ reference: 'WPCC3-0089', funder: 'west-mercia' });
});

test('a decision typed on a stale row is a conflict, never applied; a refused row keeps its cells; a mistake names its column', async () => {
  const stale = await submittedBid('Decision test: stale row');
  const refused = await submittedBid('Decision test: refused row');
  const mistaken = await submittedBid('Decision test: no amount');
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'board');
  await pullBids(deps, fy);

  // Finance changes the stale bid after the pull.
  const other = await api.call('finance', 'POST', '/allocations/batch', {
    body: { allocations: [{ bidId: stale.id, version: stale.version, proposedPence: 10_000 }] },
    headers: { 'idempotency-key': `other-${stale.id}` },
  });
  expect(other.status).toBe(200);

  const staleRow = rowOf(excel, stale.id);
  const refusedRow = rowOf(excel, refused.id);
  const mistakenRow = rowOf(excel, mistaken.id);
  decide(excel, staleRow, 'recommend', 500, 'Board minute 2026/09');
  decide(excel, refusedRow, 'decline', '', 'Board minute 2026/09'); // a PCC's decision, not the board's
  decide(excel, mistakenRow, 'recommend', '', '');

  const result = await recordDecisions(deps, fy, { interestsConfirmed: false });
  expect(result.sent).toBe(2);
  expect(result.recorded).toBe(0);
  expect(result.conflicts).toEqual([expect.objectContaining({ bidId: stale.id, yours: expect.stringContaining('recommend £500.00') })]);
  expect(result.refused).toEqual([
    expect.objectContaining({ bidId: refused.id, message: expect.stringContaining('decline not recorded') }),
  ]);
  expect(result.skipped).toEqual([
    expect.objectContaining({ bidId: mistaken.id, message: 'Decision £: recommend needs the amount in pounds' }),
  ]);

  expect((await serverBid(stale.id)).status).toBe('submitted');
  expect((await serverBid(refused.id)).status).toBe('submitted');
  expect(cell(excel, 'decision', staleRow)).toBe('recommend');
  expect(cell(excel, 'decisionAmount', staleRow)).toBe(500);
  expect(String(cell(excel, 'check', staleRow))).toContain('Conflict');
  expect(cell(excel, 'decision', refusedRow)).toBe('decline');
  expect(cell(excel, 'reference', refusedRow)).toBe('Board minute 2026/09');
  expect(String(cell(excel, 'check', refusedRow))).toContain('Decision not recorded');
  expect(cell(excel, 'decision', mistakenRow)).toBe('recommend');
  expect(String(cell(excel, 'check', mistakenRow))).toContain('Decision £');
});

test('a decision survives a pull; typed before the bid changed, the pull keeps its version so Record reports the conflict', async () => {
  const bid = await submittedBid('Decision test: survives pull');
  const excel = new FakeExcel();
  const deps = depsFor(excel, 'board');
  await pullBids(deps, fy);
  const row = rowOf(excel, bid.id);
  decide(excel, row, 'recommend', 700, '');
  await api.call('finance', 'POST', '/allocations/batch', {
    body: { allocations: [{ bidId: bid.id, version: bid.version, proposedPence: 70_000 }] },
    headers: { 'idempotency-key': `pull-${bid.id}` },
  });
  await pullBids(deps, fy);
  expect(cell(excel, 'decision', row)).toBe('recommend');
  expect(cell(excel, 'version', row)).toBe(bid.version);
  const result = await recordDecisions(deps, fy, { interestsConfirmed: false });
  expect(result.conflicts.map((c) => c.bidId)).toEqual([bid.id]);
  expect((await serverBid(bid.id)).status).toBe('submitted');
});

test('the demo data leaves a round to decide: submitted bids for the board, recommended ones for each PCC', async () => {
  for (const who of ['board', 'westMerciaPcc', 'warwickshirePcc'] as const) {
    const excel = new FakeExcel();
    await pullBids(depsFor(excel, who), fy);
    const offered = excel.validations.filter((v) => v.address.startsWith(letterOf('decision')) && v.validation.rule?.list);
    const wanted = who === 'board' ? 'recommend' : 'approve';
    expect(offered.some((v) => String(v.validation.rule.list.source).split(',').includes(wanted))).toBe(true);
  }
});

test('a board member who declared an interest in a bid is offered no decision on its row', async () => {
  const bid = await submittedBid('Decision test: declared interest');
  const declared = await api.call('board', 'POST', `/years/${financialYearToPath(fy)}/declarations`, {
    body: { member: testActors.board.sub, bidId: bid.id, nature: 'trustee of the applicant' },
  });
  expect(declared.status).toBe(201);
  const excel = new FakeExcel();
  await pullBids(depsFor(excel, 'board'), fy);
  const address = `${letterOf('decision')}${rowOf(excel, bid.id)}`;
  const column = letterOf('decision');
  const areas = excel.validations.flatMap((v) => (v.validation.rule?.list ? v.address.split(',') : [])).filter((a) => a.startsWith(column));
  expect(areas.length).toBeGreaterThan(0);
  expect(areas.some((area) => area === address || (area.includes(':') && covers(area, rowOf(excel, bid.id))))).toBe(false);
});

/** Whether an area such as S4:S9 covers the row. */
function covers(area: string, row: number): boolean {
  const [from, to] = area.split(':').map((a) => Number(a.replace(/^[A-Z]+/, ''))) as [number, number];
  return row >= from && row <= to;
}
