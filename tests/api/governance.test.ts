/**
 * Governance from the sheet (docs/design.md §5): the decision batch, declarations of interest,
 * separation of duties, the PCC's confirmation of the register of interests, and the token
 * binding rules — against the real app on dynalite.
 */
import { SignJWT, importJWK, type JWK } from 'jose';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, AuditEvent, Bid, Declaration, DecisionResult } from '../../domain';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../local/dev-issuer';
import { act, bidBody, createBid, FY, FY_PATH, ledgerViolations, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
const dataDir = mkdtempSync(join(tmpdir(), 'fundshare-governance-'));
beforeAll(async () => {
  api = await startTestApi({ dataDir });
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(async () => {
  await api.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type BidHistory = { events: AuditEvent[]; declarations?: Declaration[] };
type Problem = { type: string; status: number; detail: string; declarationId?: string; errors?: { path: string }[] };
const problemType = (body: unknown) => (body as Problem).type;

const decide = (who: Parameters<TestApi['call']>[0], decisions: object[], headers: Record<string, string> = {}) =>
  api.call<{ results: DecisionResult[] }>(who, 'POST', '/decisions/batch', { body: { decisions }, headers });

const declare = (who: Parameters<TestApi['call']>[0], body: object, fyPath = FY_PATH) =>
  api.call<Declaration>(who, 'POST', `/years/${fyPath}/declarations`, { body });

describe('POST /decisions/batch', () => {
  test('mixed rows in one request: ok, version-conflict with the server’s bid, invalid, forbidden and over-budget, each on its own', async () => {
    const submitted = await createBid(api);
    const stale = await createBid(api);
    // Finance proposes meanwhile: the board's row carries the version before it.
    const proposal = await api.call<{ results: { bid: Bid }[] }>('finance', 'POST', '/allocations/batch', {
      body: { allocations: [{ bidId: stale.id, version: stale.version, proposedPence: 1_000 }] },
    });
    const moved = proposal.body.results[0]?.bid as Bid;
    const notYet = await createBid(api, { submit: false });
    const results = await decide('board', [
      { bidId: submitted.id, version: submitted.version, action: 'recommend', amountPence: 50_000, reference: 'Board minute 2025/14' },
      { bidId: stale.id, version: stale.version, action: 'recommend', amountPence: 1 },
      { bidId: notYet.id, version: notYet.version, action: 'recommend', amountPence: 1 },
      { bidId: submitted.id, version: submitted.version, action: 'not-recommend' },
    ]);
    expect(results.status).toBe(200);
    const [ok, conflict, invalid, repeated] = results.body.results as [DecisionResult, DecisionResult, DecisionResult, DecisionResult];
    expect(ok).toMatchObject({
      bidId: submitted.id,
      status: 'ok',
      bid: { status: 'recommended', recommendedPence: 50_000, decisionReferences: { board: 'Board minute 2025/14' } },
    });
    expect(conflict).toMatchObject({ bidId: stale.id, status: 'version-conflict', bid: { version: moved.version } });
    expect(invalid).toMatchObject({ status: 'invalid', problem: 'invalid-transition' });
    expect(repeated).toMatchObject({ status: 'invalid', reason: 'this bid appears more than once in the batch' });

    // The PCC rows: one over budget, one forbidden (another funder's single-area bid), one ok.
    await api.call('admin', 'PUT', '/years/2036-37/budget', { body: { fundPence: 10_000 } });
    const tooBig = await recommendedBid(api, { fy: '2036/37', requestedPence: 20_000 });
    const elsewhere = await recommendedBid(api, { scope: 'warwickshire', leadOrganisation: 'warwickshire' });
    const fine = await recommendedBid(api);
    const pcc = await decide('westMerciaPcc', [
      { bidId: tooBig.id, version: tooBig.version, action: 'approve', interestsConfirmed: true },
      { bidId: elsewhere.id, version: elsewhere.version, action: 'approve', interestsConfirmed: true },
      { bidId: fine.id, version: fine.version, action: 'approve', interestsConfirmed: true, reference: 'WPCC3-0089' },
    ]);
    expect(pcc.body.results.map((r) => r.status)).toEqual(['over-budget', 'forbidden', 'ok']);
    expect(pcc.body.results[2]?.bid?.decisionReferences).toEqual({ 'west-mercia': 'WPCC3-0089' });
    expect(pcc.body.results[0]).toMatchObject({ problem: 'over-budget' });
    expect(await ledgerViolations(api.stack.deps.store, '2036/37')).toEqual([]);

    // The references are on the audit events, in the history.
    const history = await api.call<BidHistory>('finance', 'GET', `/bids/${fine.id}/history`);
    expect(history.body.events.find((e) => e.action === 'approve')).toMatchObject({ reference: 'WPCC3-0089', funder: 'west-mercia' });
    const recommended = await api.call<BidHistory>('finance', 'GET', `/bids/${submitted.id}/history`);
    expect(recommended.body.events.find((e) => e.action === 'recommend')?.reference).toBe('Board minute 2025/14');
  });

  test('an Idempotency-Key replays the first answer and applies nothing twice', async () => {
    const bid = await createBid(api);
    const rows = [{ bidId: bid.id, version: bid.version, action: 'recommend', amountPence: 10_000 }];
    const first = await decide('board', rows, { 'idempotency-key': `decisions-${bid.id}` });
    const again = await decide('board', rows, { 'idempotency-key': `decisions-${bid.id}` });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const history = await api.call<BidHistory>('finance', 'GET', `/bids/${bid.id}/history`);
    expect(history.body.events.filter((e) => e.action === 'recommend')).toHaveLength(1);
  });

  test('a role that can decide nothing is refused the whole batch (403); a bad row is a 400 naming its field', async () => {
    const bid = await createBid(api);
    const refused = await decide('admin', [{ bidId: bid.id, version: bid.version, action: 'recommend', amountPence: 1 }]);
    expect(refused.status).toBe(403);
    const bad = await decide('board', [{ bidId: bid.id, version: bid.version, action: 'fly' }]);
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as Problem).errors?.map((e) => e.path)).toContain('decisions.0.action');
    const long = await decide('board', [{ bidId: bid.id, version: bid.version, action: 'request-info', reference: 'x'.repeat(65) }]);
    expect((long.body as unknown as Problem).errors?.map((e) => e.path)).toContain('decisions.0.reference');
  });
});

describe('the register of interests', () => {
  test('an approval without interestsConfirmed is 409, naming the field; with it, it goes through', async () => {
    const bid = await recommendedBid(api);
    const refused = await act(api, 'westMerciaPcc', bid, 'approve', { interestsConfirmed: undefined });
    expect(refused.status).toBe(409);
    expect(problemType(refused.body)).toBe('urn:fundshare:problem:interests-not-confirmed');
    expect((refused.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(['interestsConfirmed']);
    expect((await act(api, 'westMerciaPcc', bid, 'approve', { interestsConfirmed: false })).status).toBe(409);
    expect((await act(api, 'westMerciaPcc', bid, 'approve')).status).toBe(200);
    const submitted = await createBid(api);
    expect((await act(api, 'board', submitted, 'request-info', { interestsConfirmed: true })).status).toBe(400);
  });

  test('a declared interest in a bid bars that member from recommend, not-recommend and request-info on it (403 naming it)', async () => {
    const bid = await createBid(api);
    const other = await createBid(api);
    const declared = await declare('board', { member: 'bob', bidId: bid.id, nature: 'trustee of the applicant' });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ fy: FY, member: 'bob', bidId: bid.id, declaredBy: 'bob' });
    for (const action of ['recommend', 'not-recommend', 'request-info']) {
      const refused = await act(api, 'board', bid, action, action === 'recommend' ? { amountPence: 1 } : {});
      expect(refused.status).toBe(403);
      expect(refused.body as unknown as Problem).toMatchObject({
        type: 'urn:fundshare:problem:conflict-of-interest',
        declarationId: declared.body.id,
      });
      expect((refused.body as unknown as Problem).detail).toContain('trustee of the applicant');
    }
    // Another member decides; the same member may still decide on other bids.
    const colleague: Actor = { sub: 'bea', roles: ['board'] };
    expect((await act(api, colleague, bid, 'recommend', { amountPence: 1 })).status).toBe(200);
    expect((await act(api, 'board', other, 'recommend', { amountPence: 1 })).status).toBe(200);
    // The declaration shows in the bid's history and in the year's register.
    const history = await api.call<BidHistory>('finance', 'GET', `/bids/${bid.id}/history`);
    expect(history.body.declarations?.map((d) => d.id)).toEqual([declared.body.id]);
    const register = await api.call<{ declarations: Declaration[] }>('finance', 'GET', `/years/${FY_PATH}/declarations`);
    expect(register.body.declarations.map((d) => d.id)).toContain(declared.body.id);
  });

  test('an interest in a lead organisation covers all its bids; an affiliation with the lead organisation bars too', async () => {
    const member: Actor = { sub: 'nina', roles: ['board'] };
    const bid = await createBid(api, { leadOrganisation: 'herefordshire' });
    const declared = await declare('admin', { member: 'nina', leadOrganisation: 'herefordshire', nature: 'councillor' });
    expect(declared.status).toBe(201);
    const refused = await act(api, member, bid, 'request-info');
    expect(refused.status).toBe(403);
    expect((refused.body as unknown as Problem).declarationId).toBe(declared.body.id);

    const affiliated: Actor = { sub: 'otto', roles: ['board'], affiliation: 'shropshire' };
    const shropshireBid = await createBid(api, { leadOrganisation: 'shropshire' });
    const barred = await act(api, affiliated, shropshireBid, 'not-recommend');
    expect(barred.status).toBe(403);
    expect(problemType(barred.body)).toBe('urn:fundshare:problem:conflict-of-interest');
    const farmers: Actor = { sub: 'flo', roles: ['board'], affiliation: 'nfu' };
    expect((await act(api, farmers, shropshireBid, 'not-recommend')).status).toBe(200);
  });

  test('declarations: board or admin only; exactly one of bidId and leadOrganisation; the bid must be of the year', async () => {
    const bid = await createBid(api);
    expect((await declare('finance', { member: 'bob', bidId: bid.id, nature: 'x' })).status).toBe(403);
    const neither = await declare('board', { member: 'bob', nature: 'x' });
    expect(neither.status).toBe(400);
    const both = await declare('board', { member: 'bob', bidId: bid.id, leadOrganisation: 'shropshire', nature: 'x' });
    expect((both.body as unknown as Problem).errors?.map((e) => e.path)).toContain('bidId');
    expect((await declare('board', { member: 'bob', bidId: bid.id, nature: 'x' }, '2030-31')).status).toBe(400);
    expect((await declare('board', { member: 'bob', bidId: 'FS-999990', nature: 'x' })).status).toBe(404);
  });
});

describe('separation of duties', () => {
  const financeAndBoard: Actor = { sub: 'dual', roles: ['finance', 'board'] };
  const boardAndPcc: Actor = { sub: 'duo', roles: ['board', 'pcc'], funder: 'west-mercia' };

  test('whoever created a bid cannot recommend it', async () => {
    const bid = await createBid(api, {}, 'finance');
    const created = (await api.call<Bid>(financeAndBoard, 'POST', '/bids', { body: bidBody() })).body;
    const refused = await act(api, financeAndBoard, created, 'recommend', { amountPence: 1 });
    expect(refused.status).toBe(403);
    expect(problemType(refused.body)).toBe('urn:fundshare:problem:separation-of-duties');
    expect((await act(api, financeAndBoard, bid, 'recommend', { amountPence: 1 })).status).toBe(200);
  });

  test('whoever last edited a bid cannot recommend it', async () => {
    const draft = await createBid(api, { submit: false });
    const edited = (
      await api.call<Bid>(financeAndBoard, 'PATCH', `/bids/${draft.id}`, {
        body: { title: 'Edited' },
        headers: { 'if-match': `"${draft.version}"` },
      })
    ).body;
    const submitted = (await act(api, 'finance', edited, 'submit')).body;
    expect(submitted.editedBy).toBe('dual');
    expect(problemType((await act(api, financeAndBoard, submitted, 'recommend', { amountPence: 1 })).body)).toBe(
      'urn:fundshare:problem:separation-of-duties',
    );
  });

  test('whoever recommended a bid cannot approve it', async () => {
    const bid = await createBid(api);
    const recommended = (await act(api, boardAndPcc, bid, 'recommend', { amountPence: 10_000 })).body;
    expect(recommended.recommendedBy).toBe('duo');
    const refused = await act(api, boardAndPcc, recommended, 'approve');
    expect(refused.status).toBe(403);
    expect(problemType(refused.body)).toBe('urn:fundshare:problem:separation-of-duties');
    expect((await act(api, 'westMerciaPcc', recommended, 'approve')).status).toBe(200);
  });
});

describe('token bindings', () => {
  async function signed(claims: Record<string, unknown>): Promise<number> {
    const stored = JSON.parse(readFileSync(join(dataDir, 'dev-issuer-key.json'), 'utf8')) as { privateJwk: JWK };
    const key = await importJWK(stored.privateJwk, 'ES256');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('someone')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(key);
    const response = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`, { headers: { authorization: `Bearer ${token}` } });
    return response.status;
  }

  test('the role value is the binding; a separate claim may repeat it but never differ; a role bound twice is refused', async () => {
    expect(await signed({ roles: ['pcc.west-mercia'] })).toBe(200);
    expect(await signed({ roles: ['pcc.west-mercia'], funder: 'west-mercia' })).toBe(200);
    expect(await signed({ roles: ['pcc.west-mercia'], funder: 'warwickshire' })).toBe(401);
    expect(await signed({ roles: ['pcc.west-mercia', 'pcc.warwickshire'] })).toBe(401);
    expect(await signed({ roles: ['submitter.shropshire'], organisation: 'herefordshire' })).toBe(401);
    expect(await signed({ roles: ['submitter.shropshire', 'submitter.herefordshire'] })).toBe(401);
    expect(await signed({ roles: ['board.nfu'] })).toBe(200);
    // A separate claim alone binds nothing: the pcc is unbound, so refused.
    expect(await signed({ roles: ['pcc'], funder: 'west-mercia' })).toBe(403);
  });
});
