/**
 * Outcome measures and monitoring returns (docs/design.md §1.4) against the real app on dynalite:
 * approval needs measures; each return transition and who may make it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bid, BidHistory, MonitoringReturn, YearReport } from '../../domain';
import { act, approvedBid, bidBody, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi, type TestActorName } from '../support/stack';

let api: TestApi;
const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-returns-'));
beforeAll(async () => {
  api = await startTestApi({ dataDir });
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(async () => {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Problem = { type: string; status: number; detail: string; errors?: { path: string; message: string }[] };
const Q2 = '2025-26-Q2';
const filing = {
  spendToDatePence: 40_000,
  actuals: [{ measure: 'Farms visited', value: 35 }],
  rag: 'amber',
  narrative: 'Behind on visits',
};

const file = (who: TestActorName, bid: Pick<Bid, 'id'>, body: object = filing, quarter = Q2, headers: Record<string, string> = {}) =>
  api.call<MonitoringReturn & Partial<Pick<Problem, 'errors'>>>(who, 'PUT', `/bids/${bid.id}/returns/${quarter}`, { body, headers });
const decide = (who: TestActorName, bid: Pick<Bid, 'id'>, action: string, body: object = {}, headers: Record<string, string> = {}) =>
  api.call<MonitoringReturn & Partial<Pick<Problem, 'errors'>>>(who, 'POST', `/bids/${bid.id}/returns/${Q2}/actions/${action}`, {
    body,
    headers,
  });

describe('outcome measures', () => {
  test('an approve on a bid without outcome measures is a 409 naming outcomeMeasures; measures added after recommendation let it through', async () => {
    const { outcomeMeasures: _none, ...body } = bidBody();
    void _none;
    const created = await api.call<Bid>('shropshire', 'POST', '/bids', { body });
    expect(created.status).toBe(201);
    const recommended = await act(api, 'board', created.body, 'recommend', { amountPence: created.body.requestedPence });
    const refused = await act(api, 'westMerciaPcc', recommended.body, 'approve');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: 'urn:fundshare:problem:outcome-measures-required',
      errors: [{ path: 'outcomeMeasures' }],
    });
    expect((refused.body as unknown as Problem).detail).toContain('outcomeMeasures');

    const measures = [{ measure: 'Farms visited', unit: 'visits', target: 120 }];
    const patched = await api.call<Bid>('shropshire', 'PATCH', `/bids/${created.body.id}`, {
      body: { outcomeMeasures: measures },
      headers: { 'if-match': `"${recommended.body.version}"` },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'recommended', outcomeMeasures: measures, shares: recommended.body.shares });
    expect((await act(api, 'westMerciaPcc', patched.body, 'approve')).status).toBe(200);
  });
});

describe('monitoring returns', () => {
  test('filed by the lead organisation’s submitter or finance, only on an approved bid, for a quarter of its year', async () => {
    const recommended = await recommendedBid(api);
    expect((await file('shropshire', recommended)).status).toBe(409);
    const bid = await approvedBid(api);
    expect((await file('herefordshire', bid)).status).toBe(403);
    expect((await file('board', bid)).status).toBe(403);
    expect((await file('westMerciaPcc', bid)).status).toBe(403);
    expect((await file('shropshire', bid, filing, '2026-27-Q1')).status).toBe(400);
    expect((await file('shropshire', bid, filing, '2025-26-Q5')).status).toBe(400);
    const unknownMeasure = await file('shropshire', bid, { ...filing, actuals: [{ measure: 'Leaflets', value: 3 }] });
    expect(unknownMeasure.status).toBe(400);
    expect(unknownMeasure.body.errors).toEqual([
      { path: 'actuals.0.measure', message: '"Leaflets" is not one of the bid\'s outcome measures' },
    ]);
    expect((await file('shropshire', bid, { ...filing, rag: 'purple' })).status).toBe(400);
    expect((await file('shropshire', bid, { ...filing, spendToDatePence: 1.5 })).status).toBe(400);

    const first = await file('shropshire', bid);
    expect(first.status).toBe(201);
    expect(first.headers.get('etag')).toBe('"1"');
    expect(first.body).toMatchObject({
      bidId: bid.id,
      fy: '2025/26',
      quarter: Q2,
      status: 'submitted',
      spendToDatePence: 40_000,
      rag: 'amber',
      dueOn: '2025-10-30',
      version: 1,
      history: [{ action: 'file', from: null, to: 'submitted', actor: 'sam', role: 'submitter' }],
    });
    // Finance may file too, and a submitted return may be filed again before finance decides.
    const again = await file('finance', bid, { ...filing, rag: 'green' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 2, rag: 'green', filedBy: 'fiona' });
  });

  test('finance accepts or sends back; a sent-back return is filed again; an accepted one is final', async () => {
    const bid = await approvedBid(api);
    expect((await decide('finance', bid, 'accept')).status).toBe(404);
    await file('shropshire', bid);
    expect((await decide('shropshire', bid, 'accept')).status).toBe(403);
    expect((await decide('westMerciaPcc', bid, 'return', { reason: 'x' })).status).toBe(403);
    const noReason = await decide('finance', bid, 'return');
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: 'reason', message: 'is required to send a return back' }]);

    const sentBack = await decide('finance', bid, 'return', { reason: 'Add the farm visits log' });
    expect(sentBack.status).toBe(200);
    expect(sentBack.body).toMatchObject({ status: 'returned', version: 2 });
    expect((await decide('finance', bid, 'accept')).status).toBe(409);

    const refiled = await file('shropshire', bid, { ...filing, narrative: 'Log attached' });
    expect(refiled.body).toMatchObject({ status: 'submitted', version: 3 });
    // A stale If-Match is refused; the current one goes ahead.
    expect((await decide('finance', bid, 'accept', {}, { 'if-match': '"2"' })).status).toBe(412);
    const accepted = await decide('finance', bid, 'accept', {}, { 'if-match': '"3"' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect((await decide('finance', bid, 'return', { reason: 'late' })).status).toBe(409);
    expect((await file('shropshire', bid)).status).toBe(409);

    const list = await api.call<{ returns: MonitoringReturn[] }>('board', 'GET', `/bids/${bid.id}/returns`);
    expect(list.status).toBe(200);
    expect(list.body.returns).toHaveLength(1);
    expect(list.body.returns[0]!.history.map((e) => `${e.action}:${e.from}->${e.to}:${e.role}`)).toEqual([
      'file:null->submitted:submitter',
      'return:submitted->returned:finance',
      'file:returned->submitted:submitter',
      'accept:submitted->accepted:finance',
    ]);
    expect(list.body.returns[0]!.history[1]).toMatchObject({ reason: 'Add the farm visits log' });
    // The bid's history carries each return's own history beside the bid's audit events.
    const history = await api.call<BidHistory>('board', 'GET', `/bids/${bid.id}/history`);
    expect(history.body.returns).toEqual([{ quarter: Q2, status: 'accepted', history: list.body.returns[0]!.history }]);
    expect(history.body.events.map((e) => e.action)).toEqual(['create', 'recommend', 'approve', 'approve']);
    expect((await api.call('board', 'GET', '/bids/FS-999999/returns')).status).toBe(404);
    expect((await api.call(null, 'GET', `/bids/${bid.id}/returns`)).status).toBe(401);
  });

  test('an Idempotency-Key replays the first filing and files nothing twice', async () => {
    const approved = await approvedBid(api);
    const headers = { 'idempotency-key': 'return-once-1' };
    const first = await file('shropshire', approved, filing, '2025-26-Q3', headers);
    const second = await file('shropshire', approved, filing, '2025-26-Q3', headers);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const list = await api.call<{ returns: MonitoringReturn[] }>('finance', 'GET', `/bids/${approved.id}/returns`);
    expect(list.body.returns.map((r) => [r.quarter, r.version])).toEqual([['2025-26-Q3', 1]]);
  });
});

describe('GET /years/{fy}/returns', () => {
  test('every return of the year’s bids in one answer, by bid then quarter, the same as each bid’s own list', async () => {
    const [a, b] = [await approvedBid(api), await approvedBid(api)];
    expect((await file('shropshire', b, filing, '2025-26-Q1')).status).toBe(201);
    expect((await file('shropshire', a, { ...filing, rag: 'red' }, '2025-26-Q1')).status).toBe(201);
    const year = await api.call<{ returns: MonitoringReturn[] }>('board', 'GET', '/years/2025-26/returns');
    expect(year.status).toBe(200);
    const keys = year.body.returns.map((r) => `${r.bidId} ${r.quarter}`);
    expect(keys).toEqual([...keys].sort());
    for (const bid of [a, b]) {
      const own = await api.call<{ returns: MonitoringReturn[] }>('board', 'GET', `/bids/${bid.id}/returns`);
      expect(year.body.returns.filter((r) => r.bidId === bid.id)).toEqual(own.body.returns);
    }
    expect(year.body.returns.every((r) => r.fy === '2025/26')).toBe(true);
    expect((await api.call<{ returns: MonitoringReturn[] }>('board', 'GET', '/years/2031-32/returns')).body.returns).toEqual([]);
    expect((await api.call(null, 'GET', '/years/2025-26/returns')).status).toBe(401);
    expect((await api.call('board', 'GET', '/years/2025-2026/returns')).status).toBe(400);
  });
});

describe('GET /years/{fy}/report', () => {
  test('totals against the year’s bids, outcome RAG counts from the latest returns, decisions with their references', async () => {
    const fy = '2030/31';
    await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 }, 150_000_000, fy);
    let first = await recommendedBid(api, { fy, crimeTypes: ['cyber'], cyberStrands: ['protect'] });
    first = (await act(api, 'westMerciaPcc', first, 'approve', { reference: 'WPCC-0042' })).body;
    first = (await act(api, 'warwickshirePcc', first, 'approve')).body;
    first = (await act(api, 'westMerciaPcc', first, 'release')).body;
    await recommendedBid(api, { fy, leadOrganisation: 'herefordshire', requestedPence: 5_000 }, 4_000);
    const filed = await file('shropshire', first, { ...filing, rag: 'red', spendToDatePence: 1_234 }, '2030-31-Q1');
    expect(filed.status).toBe(201);

    const report = await api.call<YearReport>('board', 'GET', '/years/2030-31/report');
    expect(report.status).toBe(200);
    const bids = (await api.call<{ bids: Bid[] }>('finance', 'GET', `/bids?fy=${encodeURIComponent(fy)}`)).body.bids;
    const sum = (pick: (b: Bid) => number) => bids.reduce((s, b) => s + pick(b), 0);
    expect(report.body.totals).toEqual({
      bids: bids.length,
      requestedPence: sum((b) => b.requestedPence),
      recommendedPence: sum((b) => b.recommendedPence ?? 0),
      approvedPence: sum((b) => (b.status === 'approved' || b.status === 'released' ? (b.recommendedPence ?? 0) : 0)),
      paidPence: first.shares['west-mercia'],
      reportedSpendPence: 1_234,
      returnedPence: 0,
    });
    expect(report.body.outcomeRag).toEqual({ green: 0, amber: 0, red: 1, none: 0 });
    expect(report.body.byCyberStrand.find((r) => r.cyberStrand === 'protect')?.totals.bids).toBe(1);
    expect(report.body.byLeadOrganisation.find((r) => r.leadOrganisation === 'herefordshire')?.totals.recommendedPence).toBe(4_000);
    expect(report.body.decisions.find((d) => d.action === 'approve' && d.funder === 'west-mercia')).toMatchObject({
      bidId: first.id,
      reference: 'WPCC-0042',
    });
    expect(report.body.decisions.filter((d) => d.action === 'recommend')).toHaveLength(2);
    // Check 8 through the API: £12.34 spent of the released West Mercia share. (No quarter of 2030/31 is due yet: no check 7.)
    expect(report.body.returnFindings).toEqual([
      expect.objectContaining({
        check: 'spend-trailing',
        bidId: first.id,
        quarter: '2030-31-Q1',
        amounts: { paidPence: first.shares['west-mercia'], spendToDatePence: 1_234, shortfallPence: first.shares['west-mercia']! - 1_234 },
      }),
    ]);
    expect((await api.call('board', 'GET', '/years/2030-32/report')).status).toBe(400);
    expect((await api.call(null, 'GET', '/years/2030-31/report')).status).toBe(401);
  });
});
