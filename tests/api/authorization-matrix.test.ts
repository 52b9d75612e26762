/**
 * Every role × every route (docs/design.md §4–§5), written out here independently of the code's matrix:
 * allowed roles get past authorization; every other role gets 403; no token gets 401.
 * Bindings narrow roles: a PCC acts only for their own funder, a submitter only for their own
 * organisation.
 */
import type { Actor, Bid } from '../../domain';
import { act, createBid, FY_PATH, recommendedBid, setPots } from '../support/fund';
import { startTestApi, testActors, type TestActorName, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

/** The people of the matrix: one per role, bids are Shropshire's and alliance-wide unless noted. */
const roles: Record<string, TestActorName> = {
  finance: 'finance',
  board: 'board',
  pcc: 'westMerciaPcc',
  admin: 'admin',
  submitter: 'shropshire',
};
type Role = keyof typeof roles;
const ALL: Role[] = ['finance', 'board', 'pcc', 'admin', 'submitter'];

interface RouteCase {
  name: string;
  allowed: Role[];
  /** Prepare fresh state and make the call as the actor. */
  call: (actor: TestActorName | Actor | null) => Promise<{ status: number; headers: Headers }>;
}

const draft = () => createBid(api, { submit: false });
const submitted = () => createBid(api);
const approvedBid = async () => {
  const bid = await recommendedBid(api);
  const one = await act(api, 'westMerciaPcc', bid, 'approve');
  return (await act(api, 'warwickshirePcc', one.body, 'approve')).body;
};
const withAction = (name: string, allowed: Role[], setup: () => Promise<Bid>, body: object = {}): RouteCase => ({
  name: `POST /bids/{id}/actions/${name}`,
  allowed,
  call: async (actor) => act(api, actor, await setup(), name, body),
});

const CASES: RouteCase[] = [
  { name: 'GET /years/{fy}/budget', allowed: ALL, call: (a) => api.call(a, 'GET', `/years/${FY_PATH}/budget`) },
  { name: 'GET /years/{fy}/budget/history', allowed: ALL, call: (a) => api.call(a, 'GET', `/years/${FY_PATH}/budget/history`) },
  {
    name: 'PUT /years/{fy}/budget',
    allowed: ['admin'],
    call: (a) => api.call(a, 'PUT', `/years/${FY_PATH}/budget`, { body: { pots: { 'west-mercia': 103_500_000 } } }),
  },
  {
    name: 'POST /bids',
    allowed: ['finance', 'submitter'],
    call: (a) =>
      api.call(a, 'POST', '/bids', {
        body: { fy: '2025/26', title: 't', leadOrganisation: 'shropshire', scope: 'alliance', crimeTypes: ['rural'], requestedPence: 100 },
      }),
  },
  { name: 'GET /bids', allowed: ALL, call: (a) => api.call(a, 'GET', '/bids?fy=2025/26') },
  { name: 'GET /bids/{id}', allowed: ALL, call: async (a) => api.call(a, 'GET', `/bids/${(await submitted()).id}`) },
  { name: 'GET /bids/{id}/history', allowed: ALL, call: async (a) => api.call(a, 'GET', `/bids/${(await submitted()).id}/history`) },
  {
    name: 'PATCH /bids/{id}',
    allowed: ['finance', 'submitter'],
    call: async (a) => api.call(a, 'PATCH', `/bids/${(await draft()).id}`, { body: { title: 'Edited' }, headers: { 'if-match': '1' } }),
  },
  withAction('submit', ['finance', 'submitter'], draft),
  withAction('request-info', ['board'], submitted),
  withAction('recommend', ['board'], submitted, { amountPence: 100 }),
  withAction('not-recommend', ['board'], submitted),
  withAction('approve', ['pcc'], () => recommendedBid(api)),
  withAction('decline', ['pcc'], () => recommendedBid(api)),
  withAction('release', ['pcc'], approvedBid),
  withAction('withdraw', ['finance', 'submitter'], submitted),
  {
    name: 'POST /allocations/batch',
    allowed: ['finance'],
    call: async (a) => {
      const bid = await submitted();
      return api.call(a, 'POST', '/allocations/batch', {
        body: { allocations: [{ bidId: bid.id, version: bid.version, proposedPence: 10 }] },
      });
    },
  },
];

describe.each(CASES)('$name', ({ allowed, call }) => {
  test.each(ALL)('as %s', async (role) => {
    const response = await call(roles[role] as TestActorName);
    if (allowed.includes(role)) expect(response.status).toBeLessThan(300);
    else expect(response.status).toBe(403);
  });

  test('without a token: 401', async () => {
    expect((await call(null)).status).toBe(401);
  });
});

describe('reads', () => {
  const READS = CASES.filter((c) => c.name.startsWith('GET '));
  // A signed-in token whose roles are none of Fundshare's: the matrix's read row refuses it.
  const roleless = { sub: 'nobody', roles: [] } as unknown as Actor;

  test('every read route is open to every role', () => {
    expect(READS.map((c) => c.name)).toEqual([
      'GET /years/{fy}/budget',
      'GET /years/{fy}/budget/history',
      'GET /bids',
      'GET /bids/{id}',
      'GET /bids/{id}/history',
    ]);
    for (const read of READS) expect(read.allowed).toEqual(ALL);
  });

  test.each(READS.map((c) => [c.name, c] as const))('%s with a token that holds no role: 403 problem', async (_name, { call }) => {
    const response = (await call(roleless)) as { status: number; headers?: Headers };
    expect(response.status).toBe(403);
    expect(response.headers?.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('bindings', () => {
  const otherOrganisation: Actor = testActors.herefordshire;

  test('a submitter cannot create, edit, submit or withdraw another organisation’s bid', async () => {
    expect(
      (
        await api.call(otherOrganisation, 'POST', '/bids', {
          body: {
            fy: '2025/26',
            title: 't',
            leadOrganisation: 'shropshire',
            scope: 'alliance',
            crimeTypes: ['rural'],
            requestedPence: 100,
          },
        })
      ).status,
    ).toBe(403);
    const bid = await draft();
    expect(
      (await api.call(otherOrganisation, 'PATCH', `/bids/${bid.id}`, { body: { title: 'x' }, headers: { 'if-match': '1' } })).status,
    ).toBe(403);
    expect((await act(api, 'herefordshire', bid, 'submit')).status).toBe(403);
    expect((await act(api, 'herefordshire', bid, 'withdraw')).status).toBe(403);
  });

  test('a PCC can approve, decline or release only their own funder’s share', async () => {
    const wmOnly = await recommendedBid(api, { scope: 'west-mercia' });
    expect((await act(api, 'warwickshirePcc', wmOnly, 'approve')).status).toBe(403);
    expect((await act(api, 'warwickshirePcc', wmOnly, 'decline')).status).toBe(403);
    const approved = (await act(api, 'westMerciaPcc', wmOnly, 'approve')).body;
    expect((await act(api, 'warwickshirePcc', approved, 'release')).status).toBe(403);
    expect((await act(api, 'westMerciaPcc', approved, 'release')).status).toBe(200);
  });

  test('a PCC approving an alliance bid commits only their own share', async () => {
    const bid = await recommendedBid(api);
    const response = await act(api, 'warwickshirePcc', bid, 'approve');
    expect(response.body.decisions).toEqual({ 'west-mercia': 'pending', warwickshire: 'approved' });
  });

  test('a token with no Fundshare role is refused with 403; a pcc token without a funder too', async () => {
    const issued = await api.stack.issuer.issue({ sub: 'x', roles: ['finance'] });
    expect(issued.token.split('.')).toHaveLength(3);
    const noRole = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`, {
      headers: { authorization: `Bearer ${await signed({ sub: 'nobody', roles: ['visitor'] })}` },
    });
    expect(noRole.status).toBe(403);
    const unbound = await fetch(`${api.stack.apiUrl}/bids?fy=2025/26`, {
      headers: { authorization: `Bearer ${await signed({ sub: 'p', roles: ['pcc'] })}` },
    });
    expect(unbound.status).toBe(403);
  });
});

/** Sign arbitrary claims with the dev issuer's key, bypassing the actor validation of /dev/token. */
async function signed(claims: { sub: string; roles: string[] }): Promise<string> {
  return (await api.stack.issuer.issue(claims as unknown as Actor)).token;
}
