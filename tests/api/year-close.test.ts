/**
 * Closing a financial year over HTTP on dynalite (docs/design.md §3.1): the outturn per funder, the
 * carry-forward into the next year's pot (existing or not yet set), both years' budget history,
 * the refusals of a closed year, the Idempotency-Key replay and a crash half-way finished without
 * carrying twice (by a retry, and by reconcile).
 */
import { FUNDER_IDS, type AllocationResult, type Bid, type Budget, type BudgetEvent, type FunderId, type YearClose } from '../../domain';
import type { ProtocolStep } from '../../functions/use-cases/deps';
import { reconcileYear } from '../../functions/sync/reconcile';
import { act, approvedBid, createBid, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
let crashAfter: ProtocolStep | null = null;
/** Runs inside a close at each of its steps (a test's way to act between them). */
let onStep: ((step: ProtocolStep, fy: string | undefined) => Promise<void>) | null = null;

beforeAll(async () => {
  api = await startTestApi({
    deps: {
      checkpoint: async (step, detail) => {
        if (step === crashAfter) {
          crashAfter = null;
          throw new Error(`injected crash after ${step}`);
        }
        await onStep?.(step, detail.fy);
      },
    },
  });
});
afterAll(() => api.stop());

type Problem = { type: string; status: number; errors?: { path: string; message: string }[] };
const path = (fy: string) => fy.replace('/', '-');
const close = (fy: string, body: unknown, who: Parameters<TestApi['call']>[0] = 'admin', key?: string) =>
  api.call<YearClose & Problem>(who, 'POST', `/years/${path(fy)}/close`, { body, headers: key ? { 'idempotency-key': key } : {} });
const budgetOf = async (fy: string) => (await api.call<Budget>('finance', 'GET', `/years/${path(fy)}/budget`)).body;
const historyOf = async (fy: string) =>
  (await api.call<{ events: BudgetEvent[] }>('finance', 'GET', `/years/${path(fy)}/budget/history`)).body.events;
const potOf = (budget: Budget, funder: FunderId) => budget.funders.find((f) => f.funder === funder)!;

const release = (actor: 'westMerciaPcc' | 'warwickshirePcc', bid: Pick<Bid, 'id' | 'version'>, n: number) =>
  api.call<Bid>(actor, 'POST', `/bids/${bid.id}/payments/${n}/actions/release`, { headers: { 'if-match': `"${bid.version}"` } });

describe('POST /years/{fy}/close: who and what', () => {
  beforeAll(() => setPots(api, { 'west-mercia': 1_000_000, warwickshire: 500_000 }, 1_500_000, '2040/41'));

  test('only an admin closes a year', async () => {
    for (const who of ['finance', 'board', 'westMerciaPcc', 'shropshire'] as const) {
      expect((await close('2040/41', { carryForward: { 'west-mercia': true, warwickshire: true } }, who)).status).toBe(403);
    }
    expect((await budgetOf('2040/41')).closed).toBeUndefined();
  });

  test('every funder with a pot must be named, unknown funders and non-booleans are refused, naming the field', async () => {
    const missing = await close('2040/41', { carryForward: { 'west-mercia': true } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.map((e) => e.path)).toEqual(['carryForward.warwickshire']);
    const unknown = await close('2040/41', { carryForward: { 'west-mercia': true, warwickshire: true, mars: false } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.map((e) => e.path)).toEqual(['carryForward.mars']);
    const notBoolean = await close('2040/41', { carryForward: { 'west-mercia': 'yes', warwickshire: true } });
    expect(notBoolean.body.errors?.map((e) => e.path)).toEqual(['carryForward.west-mercia']);
    expect((await close('2040/41', {})).status).toBe(400);
    // A year with no budget has nothing to close.
    expect((await close('2041/42', { carryForward: {} })).body.type).toBe('urn:fundshare:problem:no-budget');
    expect((await budgetOf('2040/41')).closed).toBeUndefined();
  });
});

describe('a next year already closed', () => {
  test('takes no carry-forward (refused before anything is written); a close carrying nothing goes ahead', async () => {
    await setPots(api, { 'west-mercia': 1_000, warwickshire: 1_000 }, 2_000, '2046/47');
    await setPots(api, { 'west-mercia': 1_000, warwickshire: 1_000 }, 2_000, '2047/48');
    expect((await close('2047/48', { carryForward: { 'west-mercia': false, warwickshire: false } })).status).toBe(200);
    const refused = await close('2046/47', { carryForward: { 'west-mercia': true, warwickshire: false } });
    expect(refused.body).toMatchObject({ status: 409, type: 'urn:fundshare:problem:year-closed' });
    expect((await budgetOf('2046/47')).closed).toBeUndefined();
    const closed = await close('2046/47', { carryForward: { 'west-mercia': false, warwickshire: false } });
    expect(closed.body.outturn?.totals).toMatchObject({ uncommittedPence: 2_000, carriedPence: 0 });
    expect((await historyOf('2046/47')).at(-1)?.detail).toBe('closed 2046/47: nothing carried forward');
    expect((await budgetOf('2047/48')).funders.map((f) => f.potPence)).toEqual([1_000, 1_000]);
  });
});

describe('closing 2026/27 into an existing 2027/28', () => {
  const FY = '2026/27';
  const NEXT = '2027/28';
  let whole: Bid;
  let scheduled: Bid;
  let pending: Bid;
  let notYetRecommended: Bid;
  let draft: Bid;
  let varyingUp: Bid;
  let shrinking: Bid;
  let closed: YearClose;

  beforeAll(async () => {
    await setPots(api, { 'west-mercia': 1_000_000, warwickshire: 500_000 }, 1_500_000, FY);
    await setPots(api, { 'west-mercia': 2_000_000, warwickshire: 1_000_000 }, 3_000_000, NEXT);
    // Released whole by both funders.
    whole = await approvedBid(api, 100_001, { fy: FY });
    whole = (await act(api, 'westMerciaPcc', whole, 'release')).body;
    whole = (await act(api, 'warwickshirePcc', whole, 'release')).body;
    expect(whole.status).toBe('released');
    // Paid by instalment: West Mercia has paid the first part.
    scheduled = await approvedBid(api, 200_000, { fy: FY });
    scheduled = (
      await api.call<Bid>('finance', 'PUT', `/bids/${scheduled.id}/payments`, {
        body: {
          instalments: [
            { due: '2026-06-30', amountPence: 80_000 },
            { due: '2026-12-31', amountPence: 120_000 },
          ],
        },
        headers: { 'if-match': `"${scheduled.version}"` },
      })
    ).body;
    scheduled = (await release('westMerciaPcc', scheduled, 1)).body;
    // Recommended, awaiting both funders: holds nothing.
    pending = await recommendedBid(api, { fy: FY, requestedPence: 50_000 });
    notYetRecommended = await createBid(api, { fy: FY });
    draft = await createBid(api, { fy: FY, submit: false });
    // A variation upwards waiting for the funders at the close, and a bid to vary after it.
    varyingUp = await approvedBid(api, 10_000, { fy: FY });
    varyingUp = (await act(api, 'finance', varyingUp, 'vary', { amountPence: 12_000, reason: 'more farms' })).body;
    expect(varyingUp.variation).toBeDefined();
    shrinking = await approvedBid(api, 20_000, { fy: FY });

    const response = await close(FY, { carryForward: { 'west-mercia': true, warwickshire: false } }, 'admin', 'close-2026');
    expect(response.status).toBe(200);
    closed = response.body;
  });

  test('the outturn per funder matches an independent sum of the bids', async () => {
    const wm = (b: Bid) => b.shares['west-mercia'] ?? 0;
    const wa = (b: Bid) => b.shares.warwickshire ?? 0;
    const part = (b: Bid, f: FunderId, n: number) => b.payments?.[n]?.parts[f] ?? 0;
    const all = [whole, scheduled, varyingUp, shrinking];
    const expected = {
      'west-mercia': {
        pot: 1_000_000,
        committed: all.reduce((s, b) => s + wm(b), 0),
        paid: wm(whole) + part(scheduled, 'west-mercia', 0),
      },
      warwickshire: { pot: 500_000, committed: all.reduce((s, b) => s + wa(b), 0), paid: wa(whole) },
    };
    expect(closed).toMatchObject({ fy: FY, nextFy: NEXT, closedBy: 'ada', completed: true });
    for (const funder of FUNDER_IDS) {
      const line = closed.outturn!.funders.find((f) => f.funder === funder)!;
      const e = expected[funder];
      expect(line).toEqual({
        funder,
        potPence: e.pot,
        committedPence: e.committed,
        paidPence: e.paid,
        returnedPence: 0,
        uncommittedPence: e.pot - e.committed,
        carriedPence: funder === 'west-mercia' ? e.pot - e.committed : 0,
      });
    }
    expect(closed.outturn!.totals.carriedPence).toBe(1_000_000 - expected['west-mercia'].committed);
    expect(closed.outturn!.totals.committedPence).toBe(all.reduce((s, b) => s + (b.recommendedPence ?? 0), 0));
    const budget = await budgetOf(FY);
    expect(budget.closed).toEqual(closed);
  });

  test("the next year's pot and remaining grow by the carried amount; both years' history says so", async () => {
    const carried = closed.outturn!.totals.carriedPence;
    const next = await budgetOf(NEXT);
    expect(potOf(next, 'west-mercia')).toMatchObject({
      potPence: 2_000_000 + carried,
      remainingPence: 2_000_000 + carried,
      carriedInPence: carried,
    });
    expect(potOf(next, 'warwickshire')).toMatchObject({ potPence: 1_000_000, remainingPence: 1_000_000 });
    expect(potOf(next, 'warwickshire').carriedInPence).toBeUndefined();

    const closing = (await historyOf(FY)).filter((e) => e.action === 'close');
    expect(closing).toHaveLength(1);
    expect(closing[0]).toMatchObject({ actor: 'ada', role: 'admin', carriedPence: { 'west-mercia': carried } });
    expect(closing[0]?.detail).toContain(
      `carried forward £${(carried / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })} to ${NEXT}`,
    );
    const carryIn = (await historyOf(NEXT)).filter((e) => e.action === 'carry-in');
    expect(carryIn).toHaveLength(1);
    expect(carryIn[0]?.detail).toContain(`from ${FY}`);
    expect(carryIn[0]?.before?.pots['west-mercia']).toBe(2_000_000);
    expect(carryIn[0]?.after.pots['west-mercia']).toBe(2_000_000 + carried);
    expect(await ledgerViolations(api.stack.deps.store, FY)).toEqual([]);
    expect(await ledgerViolations(api.stack.deps.store, NEXT)).toEqual([]);
  });

  test('the same Idempotency-Key replays the close; another close is 409 year-closed', async () => {
    const replay = await close(FY, { carryForward: { 'west-mercia': true, warwickshire: false } }, 'admin', 'close-2026');
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(closed);
    const again = await close(FY, { carryForward: { 'west-mercia': false, warwickshire: false } }, 'admin', 'close-2026-again');
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:fundshare:problem:year-closed');
    expect(potOf(await budgetOf(NEXT), 'west-mercia').potPence).toBe(2_000_000 + closed.outturn!.totals.carriedPence);
  });

  test('a closed year refuses new bids, submissions, recommendations, approvals and decision rows', async () => {
    const yearClosed = 'urn:fundshare:problem:year-closed';
    const created = await api.call<Problem>('finance', 'POST', '/bids', {
      body: { fy: FY, title: 'Late bid', leadOrganisation: 'shropshire', scope: 'alliance', crimeTypes: ['rural'], requestedPence: 5_000 },
    });
    expect(created.body).toMatchObject({ status: 409, type: yearClosed });
    // A submitter with no right to the organisation is still told 403 first.
    const foreign = await api.call<Problem>('herefordshire', 'POST', '/bids', {
      body: { fy: FY, title: 'Late bid', leadOrganisation: 'shropshire', scope: 'alliance', crimeTypes: ['rural'], requestedPence: 5_000 },
    });
    expect(foreign.status).toBe(403);
    expect((await act(api, 'finance', draft, 'submit')).body).toMatchObject({ status: 409, type: yearClosed });
    expect((await act(api, 'board', notYetRecommended, 'recommend', { amountPence: 1_000 })).body).toMatchObject({ type: yearClosed });
    expect((await act(api, 'westMerciaPcc', pending, 'approve')).body).toMatchObject({ status: 409, type: yearClosed });
    const rows = await api.call<{ results: { status: string; problem?: string }[] }>('warwickshirePcc', 'POST', '/decisions/batch', {
      body: { decisions: [{ bidId: pending.id, version: pending.version, action: 'approve', interestsConfirmed: true }] },
    });
    expect(rows.body.results[0]).toMatchObject({ status: 'invalid', problem: 'year-closed' });
    // Variations upwards: neither a new one nor the approval of one waiting since before the close.
    expect((await act(api, 'westMerciaPcc', varyingUp, 'approve-variation')).body).toMatchObject({ status: 409, type: yearClosed });
    expect((await act(api, 'finance', shrinking, 'vary', { amountPence: 25_000, reason: 'more' })).body).toMatchObject({
      type: yearClosed,
    });
    // Moving a bid of an open year into the closed one is a new bid there.
    const open = await createBid(api, { fy: NEXT, submit: false });
    const moved = await api.call<Problem>('finance', 'PATCH', `/bids/${open.id}`, { body: { fy: FY }, headers: { 'if-match': '"1"' } });
    expect(moved.body).toMatchObject({ type: yearClosed });
    // Nothing of the refused approvals reached a ledger.
    const ledgers = await api.stack.deps.store.getLedgers(FY);
    expect(ledgers.every((l) => l.allocations[pending.id] === undefined)).toBe(true);
    // The next year is open.
    expect((await createBid(api, { fy: NEXT })).status).toBe('submitted');
  });

  test('a proposal for a bid of the closed year is refused on its row; a row of an open year goes ahead', async () => {
    const open = await createBid(api, { fy: NEXT });
    const rows = await api.call<{ results: AllocationResult[] }>('finance', 'POST', '/allocations/batch', {
      body: {
        allocations: [
          { bidId: notYetRecommended.id, version: notYetRecommended.version, proposedPence: 1_000 },
          { bidId: open.id, version: open.version, proposedPence: 2_000 },
        ],
      },
    });
    expect(rows.status).toBe(200);
    expect(rows.body.results[0]).toMatchObject({ bidId: notYetRecommended.id, status: 'invalid', problem: 'year-closed' });
    expect(rows.body.results[0]!.reason).toContain(FY);
    expect(rows.body.results[0]!.bid).toBeUndefined();
    expect(rows.body.results[1]).toMatchObject({ bidId: open.id, status: 'ok' });
    // The refused row changed nothing.
    const stored = await api.call<Bid>('finance', 'GET', `/bids/${notYetRecommended.id}`);
    expect(stored.body.version).toBe(notYetRecommended.version);
    expect(stored.body).toEqual(notYetRecommended);
  });

  test('payments, releases and winding down go on; pots cannot change, returnDueDays can', async () => {
    const paid = await release('westMerciaPcc', scheduled, 2);
    expect(paid.status).toBe(200);
    const warwickshire = await release('warwickshirePcc', paid.body, 1);
    expect(warwickshire.status).toBe(200);
    expect((await act(api, 'warwickshirePcc', pending, 'decline')).body.status).toBe('declined');
    expect((await act(api, 'finance', notYetRecommended, 'withdraw')).body.status).toBe('withdrawn');
    // A variation downwards goes on: the difference goes back to the closed year's pot, carried nowhere.
    const lower = await act(api, 'finance', shrinking, 'vary', { amountPence: 15_000, reason: 'cheaper' });
    expect(lower.status).toBe(200);
    const first = await act(api, 'westMerciaPcc', lower.body, 'approve-variation');
    expect(first.status).toBe(200);
    const second = await act(api, 'warwickshirePcc', first.body, 'approve-variation');
    expect(second.body).toMatchObject({ recommendedPence: 15_000 });

    const potChange = await api.call<Problem>('admin', 'PUT', `/years/${path(FY)}/budget`, { body: { pots: { warwickshire: 400_000 } } });
    expect(potChange.body).toMatchObject({ status: 409, type: 'urn:fundshare:problem:year-closed' });
    const fundChange = await api.call<Problem>('admin', 'PUT', `/years/${path(FY)}/budget`, { body: { fundPence: 2_000_000 } });
    expect(fundChange.status).toBe(409);
    const dueDays = await api.call<Budget>('admin', 'PUT', `/years/${path(FY)}/budget`, { body: { returnDueDays: 45 } });
    expect(dueDays.status).toBe(200);
    expect(dueDays.body).toMatchObject({ returnDueDays: 45, closed: { fy: FY } });
    expect(potOf(dueDays.body, 'warwickshire').potPence).toBe(500_000);
    expect(await ledgerViolations(api.stack.deps.store, FY)).toEqual([]);
  });
});

describe('closing into a year not set yet', () => {
  test('the next year is created with the carried pots; a later fund adds to them', async () => {
    await setPots(api, { 'west-mercia': 300_000, warwickshire: 200_000 }, 500_000, '2030/31');
    const bid = await approvedBid(api, 100_000, { fy: '2030/31' });
    const response = await close('2030/31', { carryForward: { 'west-mercia': true, warwickshire: true } });
    expect(response.status).toBe(200);
    const carriedWm = 300_000 - (bid.shares['west-mercia'] ?? 0);
    const carriedWa = 200_000 - (bid.shares.warwickshire ?? 0);
    expect(response.body.outturn?.funders.map((f) => f.carriedPence)).toEqual([carriedWm, carriedWa]);

    const next = await budgetOf('2031/32');
    expect(next.fundPence).toBe(0);
    expect(next.funders.map((f) => [f.potPence, f.remainingPence, f.carriedInPence])).toEqual([
      [carriedWm, carriedWm, carriedWm],
      [carriedWa, carriedWa, carriedWa],
    ]);
    expect((await historyOf('2031/32')).map((e) => e.action)).toEqual(['carry-in']);
    // Setting the fund later re-derives the pots from it and keeps each funder's carry-in.
    const set = await api.call<Budget>('admin', 'PUT', '/years/2031-32/budget', { body: { fundPence: 1_000_000 } });
    expect(set.status).toBe(200);
    expect(set.body.funders.map((f) => f.potPence)).toEqual([690_000 + carriedWm, 310_000 + carriedWa]);
    expect(await ledgerViolations(api.stack.deps.store, '2031/32')).toEqual([]);
  });
});

describe('a close that crashes half-way', () => {
  async function closableYear(fy: string) {
    await setPots(api, { 'west-mercia': 400_000, warwickshire: 100_000 }, 500_000, fy);
    await approvedBid(api, 10_000, { fy });
  }
  const carriedIn = async (fy: string) => (await api.stack.deps.store.getLedgers(fy)).find((l) => l.funder === 'west-mercia')?.carriedIn;

  test('crash after the carry-in: the retry with the same key finishes it, carrying once', async () => {
    await closableYear('2032/33');
    await setPots(api, { 'west-mercia': 100, warwickshire: 100 }, 200, '2033/34');
    crashAfter = 'year-carried-in';
    const body = { carryForward: { 'west-mercia': true, warwickshire: false } };
    const crashed = await close('2032/33', body, 'admin', 'close-crash-1');
    expect(crashed.status).toBe(500);
    expect((await budgetOf('2032/33')).closed).toMatchObject({ completed: false });
    const retried = await close('2032/33', body, 'admin', 'close-crash-1');
    expect(retried.status).toBe(200);
    expect(retried.body.completed).toBe(true);
    const carried = retried.body.outturn!.funders[0]!.carriedPence;
    expect(potOf(await budgetOf('2033/34'), 'west-mercia').potPence).toBe(100 + carried);
    expect(Object.keys((await carriedIn('2033/34')) ?? {})).toEqual(['2032/33']);
    expect((await historyOf('2033/34')).filter((e) => e.action === 'carry-in')).toHaveLength(1);
    expect((await historyOf('2032/33')).filter((e) => e.action === 'close')).toHaveLength(1);
  });

  test('crash after the ledgers closed: approvals are already refused; reconcile finishes it, a retry changes nothing more', async () => {
    await closableYear('2034/35');
    await setPots(api, { 'west-mercia': 100, warwickshire: 100 }, 200, '2035/36');
    const waiting = await recommendedBid(api, { fy: '2034/35', requestedPence: 1_000 });
    crashAfter = 'year-ledgers-closed';
    const body = { carryForward: { 'west-mercia': true, warwickshire: true } };
    expect((await close('2034/35', body, 'admin', 'close-crash-2')).status).toBe(500);
    expect((await act(api, 'westMerciaPcc', waiting, 'approve')).body).toMatchObject({ type: 'urn:fundshare:problem:year-closed' });

    const { deps } = api.stack;
    const result = await reconcileYear(deps, '2034/35', await deps.store.bidsOfYear('2034/35'), { graceMs: 60_000 });
    expect(result.finishedClose).toBe(true);
    expect(result.drift).toEqual([]);
    const after = await budgetOf('2035/36');
    const finished = (await budgetOf('2034/35')).closed!;
    expect(finished.completed).toBe(true);
    expect(after.funders.map((f) => f.potPence)).toEqual(finished.outturn!.funders.map((f) => 100 + f.carriedPence));

    const retried = await close('2034/35', body, 'admin', 'close-crash-2');
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(finished);
    expect((await budgetOf('2035/36')).funders.map((f) => f.potPence)).toEqual(after.funders.map((f) => f.potPence));
    expect((await historyOf('2035/36')).filter((e) => e.action === 'carry-in')).toHaveLength(1);
    // A second reconcile finds nothing left to do.
    expect(
      (await reconcileYear(deps, '2034/35', await deps.store.bidsOfYear('2034/35'), { graceMs: 60_000 })).finishedClose,
    ).toBeUndefined();
  });
});

describe('returnDueDays per year (issue 15)', () => {
  test('defaults to 30, is validated, and dates a filed return', async () => {
    await setPots(api, { 'west-mercia': 1_000_000, warwickshire: 500_000 }, 1_500_000, '2045/46');
    expect((await budgetOf('2045/46')).returnDueDays).toBe(30);
    for (const bad of [0, 366, 1.5, '14']) {
      const response = await api.call<Problem>('admin', 'PUT', '/years/2045-46/budget', { body: { returnDueDays: bad } });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((e) => e.path)).toEqual(['returnDueDays']);
    }
    const set = await api.call<Budget>('admin', 'PUT', '/years/2045-46/budget', { body: { returnDueDays: 14 } });
    expect(set.body.returnDueDays).toBe(14);
    const event = (await historyOf('2045/46')).at(-1);
    expect(event?.after.returnDueDays).toBe(14);
    expect(event?.before?.returnDueDays).toBeUndefined();

    const bid = await approvedBid(api, 10_000, { fy: '2045/46' });
    const filed = await api.call<{ dueOn: string }>('shropshire', 'PUT', `/bids/${bid.id}/returns/2045-46-Q1`, {
      body: { spendToDatePence: 1_000, actuals: [{ measure: 'Farms visited', value: 3 }], rag: 'green', narrative: 'On track' },
    });
    expect(filed.status).toBe(201);
    // Q1 ends 30 June; 14 days later.
    expect(filed.body.dueOn).toBe('2045-07-14');
  });
});

describe('fund-only budget PUTs racing a close (docs/design.md §3.1)', () => {
  const FY = '2062/63';
  const pots = { 'west-mercia': 1_000_000, warwickshire: 500_000 };
  const put = (fundPence: number) => api.call<Budget & Problem>('admin', 'PUT', `/years/${path(FY)}/budget`, { body: { fundPence, pots } });

  test('none lands behind the close: the fund after it is the fund its close event recorded', async () => {
    await setPots(api, pots, 1_500_000, FY);
    const store = api.stack.deps.store;
    const realPut = store.putBudget.bind(store);
    // One PUT reads the year open, then writes only once the close has marked its ledgers and budget.
    const LATE = 1_700_000;
    let reached!: () => void;
    let fenced!: () => void;
    const atWrite = new Promise<void>((resolve) => (reached = resolve));
    const afterFence = new Promise<void>((resolve) => (fenced = resolve));
    store.putBudget = async (budget) => {
      if (budget.fy === FY && budget.fundPence === LATE) {
        reached();
        await afterFence;
      }
      return realPut(budget);
    };
    const answers: { fundPence: number; status: number; type?: string }[] = [];
    const send = (fundPence: number) => put(fundPence).then((r) => answers.push({ fundPence, status: r.status, type: r.body.type }));
    try {
      const late = send(LATE);
      await atWrite;
      onStep = async (step, fy) => {
        if (fy !== FY || step !== 'year-ledgers-closed') return;
        fenced();
        await late;
      };
      const racing = Array.from({ length: 20 }, (_, i) => send(1_600_000 + i));
      const closing = close(FY, { carryForward: { 'west-mercia': false, warwickshire: false } });
      await Promise.all([late, ...racing]);
      expect((await closing).status).toBe(200);
    } finally {
      onStep = null;
      store.putBudget = realPut;
    }
    expect(answers.find((a) => a.fundPence === LATE)).toMatchObject({ status: 409, type: 'urn:fundshare:problem:year-closed' });
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    const budget = await budgetOf(FY);
    const closeEvent = (await historyOf(FY)).find((e) => e.action === 'close');
    expect(budget.fundPence).toBe(closeEvent?.after?.fundPence);
    // A refused PUT wrote nothing; and from now on every fund change is refused.
    expect(answers.filter((a) => a.status === 409).map((a) => a.fundPence)).not.toContain(budget.fundPence);
    expect((await put(1_800_000)).body.type).toBe('urn:fundshare:problem:year-closed');
    expect((await budgetOf(FY)).fundPence).toBe(budget.fundPence);
  });
});
