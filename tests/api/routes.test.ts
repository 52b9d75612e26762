/** Every route of docs/design.md §4: the happy path and each error status, against the real app on dynalite. */
import type { Bid, Budget } from '../../domain';
import { contractDocument } from '../../functions/http/contract';
import { act, createBid, FY, FY_PATH, ledgerViolations, recommendedBid, setPots, bidBody } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
/** Every answer a test here gets, for the last test: each status is one the document gives its route. */
const answered: { method: string; path: string; status: number }[] = [];
beforeAll(async () => {
  api = await startTestApi();
  const call = api.call;
  api.call = async <T>(...args: Parameters<TestApi['call']>) => {
    const response = await call<T>(...args);
    answered.push({ method: args[1], path: args[2], status: response.status });
    return response;
  };
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  funder?: string;
  amounts?: Record<string, number>;
};

const expectProblem = (response: { status: number; headers: Headers; body: unknown }, status: number, path?: string) => {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:fundshare:problem:/),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|node_modules|Bearer ey/);
  if (path !== undefined) expect(problem.errors?.map((e) => e.path)).toContain(path);
  return problem;
};

describe('meta', () => {
  test('GET /health', async () => {
    expect(await api.call(null, 'GET', '/health')).toMatchObject({ status: 200, body: { ok: true } });
  });

  test('GET /openapi.json is OpenAPI 3.1 generated from the schemas, with every route', async () => {
    const { status, body } = await api.call<{
      openapi: string;
      paths: Record<string, object>;
      components: { schemas: Record<string, object> };
    }>(null, 'GET', '/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/allocations/batch',
        '/bids',
        '/bids/{id}',
        '/bids/{id}/actions/{action}',
        '/bids/{id}/history',
        '/bids/{id}/payments',
        '/bids/{id}/payments/{n}/actions/release',
        '/bids/{id}/returns',
        '/bids/{id}/returns/{quarter}',
        '/bids/{id}/returns/{quarter}/actions/{action}',
        '/decisions/batch',
        '/health',
        '/openapi.json',
        '/years/{fy}/budget',
        '/years/{fy}/budget/history',
        '/years/{fy}/close',
        '/years/{fy}/declarations',
        '/years/{fy}/report',
        '/years/{fy}/returns',
      ].sort(),
    );
    for (const schema of ['Bid', 'BidCreate', 'BidPatch', 'Budget', 'BudgetPut', 'ActionBody', 'AllocationBatch', 'Problem'])
      expect(body.components.schemas).toHaveProperty(schema);
    expect(JSON.stringify(body)).not.toMatch(/dev\/token/);
    // The document served is the one tests/api/openapi-lint.test.ts lints and npm run api:types reads.
    expect(body).toEqual(JSON.parse(JSON.stringify(contractDocument())));
  });

  test('unknown routes are problems too', async () => {
    expectProblem(await api.call('finance', 'GET', '/nowhere'), 404);
  });
});

describe('budget', () => {
  test('GET returns fund, cost share and per-funder figures', async () => {
    const { status, body } = await api.call<Budget>('board', 'GET', `/years/${FY_PATH}/budget`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ fy: FY, fundPence: 150_000_000, costShare: { 'west-mercia': 6900, warwickshire: 3100 } });
    expect(body.funders.map((f) => [f.funder, f.potPence])).toEqual([
      ['west-mercia', 103_500_000],
      ['warwickshire', 46_500_000],
    ]);
  });

  test('GET: 404 without a budget, 400 for a bad year, 401 without a token', async () => {
    expectProblem(await api.call('finance', 'GET', '/years/2030-31/budget'), 404);
    expectProblem(await api.call('finance', 'GET', '/years/2025-27/budget'), 400, 'fy');
    expectProblem(await api.call('finance', 'GET', '/years/2025%2F26/budget'), 400, 'fy');
    expectProblem(await api.call(null, 'GET', `/years/${FY_PATH}/budget`), 401);
  });

  test('PUT: admin only; a new year defaults to £1.5M at 69/31', async () => {
    expectProblem(await api.call('finance', 'PUT', '/years/2031-32/budget', { body: { fundPence: 1 } }), 403);
    const { status, body } = await api.call<Budget>('admin', 'PUT', '/years/2031-32/budget', {
      body: { costShare: { 'west-mercia': 6900, warwickshire: 3100 } },
    });
    expect(status).toBe(200);
    expect(body.funders.map((f) => f.potPence)).toEqual([103_500_000, 46_500_000]);
  });

  test('PUT: invalid bodies name the field', async () => {
    expectProblem(
      await api.call('admin', 'PUT', '/years/2031-32/budget', { body: { costShare: { 'west-mercia': 6900, warwickshire: 3000 } } }),
      400,
      'costShare',
    );
    expectProblem(
      await api.call('admin', 'PUT', '/years/2031-32/budget', { body: { pots: { 'west-mercia': 1.5 } } }),
      400,
      'pots.west-mercia',
    );
    expectProblem(
      await api.call('admin', 'PUT', '/years/2031-32/budget', { body: { fundPence: 100, pots: { 'west-mercia': 90, warwickshire: 20 } } }),
      400,
      'pots',
    );
  });

  test('every budget change is in the year’s history: who, when, from what, to what', async () => {
    await api.call('admin', 'PUT', '/years/2037-38/budget', { body: { fundPence: 1_000_000 } });
    await api.call('admin', 'PUT', '/years/2037-38/budget', { body: { pots: { warwickshire: 200_000 } } });
    const { status, body } = await api.call<{
      events: { actor: string; before: unknown; after: { fundPence: number; pots: Record<string, number> } }[];
    }>('finance', 'GET', '/years/2037-38/budget/history');
    expect(status).toBe(200);
    expect(body.events).toHaveLength(2);
    expect(body.events[0]).toMatchObject({
      actor: 'ada',
      before: null,
      after: { fundPence: 1_000_000, pots: { 'west-mercia': 690_000, warwickshire: 310_000 } },
    });
    expect(body.events[1]).toMatchObject({
      before: { pots: { warwickshire: 310_000 } },
      after: { pots: { 'west-mercia': 690_000, warwickshire: 200_000 } },
    });
    expectProblem(await api.call('finance', 'GET', '/years/2037-2038/budget/history'), 400, 'fy');
    expectProblem(await api.call(null, 'GET', '/years/2037-38/budget/history'), 401);
  });

  test('PUT: 409 when a pot would fall below what is committed', async () => {
    await api.call('admin', 'PUT', '/years/2032-33/budget', { body: { fundPence: 1_000_000 } });
    const bid = await recommendedBid(api, { fy: '2032/33', scope: 'west-mercia', requestedPence: 500_000 });
    expect((await act(api, 'westMerciaPcc', bid, 'approve')).status).toBe(200);
    const problem = expectProblem(
      await api.call('admin', 'PUT', '/years/2032-33/budget', { body: { pots: { 'west-mercia': 400_000 } } }),
      409,
    );
    expect(problem).toMatchObject({ funder: 'west-mercia', amounts: { committedPence: 500_000 } });
    const after = await api.call<Budget>('admin', 'GET', '/years/2032-33/budget');
    expect(after.body.funders[0]).toMatchObject({ potPence: 690_000, committedPence: 500_000, remainingPence: 190_000 });
    expect(await ledgerViolations(api.stack.deps.store, '2032/33')).toEqual([]);
  });
});

describe('bids', () => {
  test('POST creates: 201, Location, ETag, shares by largest remainder', async () => {
    const response = await api.call<Bid>('shropshire', 'POST', '/bids', { body: bidBody() });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/bids/${response.body.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({
      status: 'submitted',
      shares: { 'west-mercia': 69_001, warwickshire: 31_000 },
      createdBy: 'sam',
      version: 1,
    });
  });

  test('POST errors: 400 naming the field, 403 for another organisation, 401, 415', async () => {
    expectProblem(await api.call('finance', 'POST', '/bids', { body: bidBody({ requestedPence: 10.5 }) }), 400, 'requestedPence');
    expectProblem(await api.call('shropshire', 'POST', '/bids', { body: bidBody({ leadOrganisation: 'herefordshire' }) }), 403);
    expectProblem(await api.call('board', 'POST', '/bids', { body: bidBody() }), 403);
    expectProblem(await api.call(null, 'POST', '/bids', { body: bidBody() }), 401);
    expectProblem(
      await api.call('finance', 'POST', '/bids', { rawBody: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'content-type',
    );
    expectProblem(
      await api.call('finance', 'POST', '/bids', { rawBody: '{"fy":', headers: { 'content-type': 'application/json' } }),
      400,
      '(body)',
    );
  });

  test('POST: 413 for an oversize body', async () => {
    expectProblem(await api.call('finance', 'POST', '/bids', { body: { ...bidBody(), description: 'x'.repeat(300 * 1024) } }), 413);
  });

  test('GET one: ETag; 404; 400 for a malformed id', async () => {
    const bid = await createBid(api);
    const response = await api.call<Bid>('warwickshirePcc', 'GET', `/bids/${bid.id}`);
    expect(response).toMatchObject({ status: 200, body: { id: bid.id } });
    expect(response.headers.get('etag')).toBe('"1"');
    expectProblem(await api.call('finance', 'GET', '/bids/FS-999999'), 404);
    expectProblem(await api.call('finance', 'GET', '/bids/not%20an%20id'), 400, 'id');
  });

  test('GET list: pages with opaque cursors until nextCursor is null; status filter', async () => {
    const fy = '2033/34';
    await api.call('admin', 'PUT', '/years/2033-34/budget', { body: { fundPence: 1_000_000 } });
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await createBid(api, { fy, title: `Paged bid ${i}`, submit: i % 2 === 0 }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/bids?fy=${encodeURIComponent(fy)}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.call<{ bids: Bid[]; nextCursor: string | null; syncToken: string }>('board', 'GET', query);
      expect(page.status).toBe(200);
      seen.push(...page.body.bids.map((b) => b.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(created.map((b) => b.id).sort());
    const drafts = await api.call<{ bids: Bid[] }>('board', 'GET', `/bids?fy=2033-34&status=draft`);
    expect(drafts.body.bids.map((b) => b.title).sort()).toEqual(['Paged bid 1', 'Paged bid 3', 'Paged bid 5']);
  });

  test('GET list: since= returns only what changed after the sync token', async () => {
    const fy = '2034/35';
    const a = await createBid(api, { fy, title: 'Before' });
    const first = await api.call<{ bids: Bid[]; syncToken: string }>('finance', 'GET', `/bids?fy=${fy}`);
    expect(first.body.bids.map((b) => b.id)).toEqual([a.id]);
    const b = await createBid(api, { fy, title: 'After' });
    const delta = await api.call<{ bids: Bid[]; syncToken: string }>('finance', 'GET', `/bids?fy=${fy}&since=${first.body.syncToken}`);
    // The feed re-reads a short overlap window, so A may come again; B must be there.
    expect(delta.body.bids.map((x) => x.id)).toContain(b.id);
    expect(delta.body.syncToken).not.toBe('');
  });

  test('GET list errors name the parameter', async () => {
    expectProblem(await api.call('finance', 'GET', '/bids'), 400, 'fy');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&limit=0`), 400, 'limit');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&limit=abc`), 400, 'limit');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&status=lost`), 400, 'status');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&cursor=bm9wZQ`), 400, 'cursor');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&since=garbage!`), 400, 'since');
    expectProblem(await api.call('finance', 'GET', `/bids?fy=${FY}&colour=red`), 400, 'colour');
  });

  test('PATCH: If-Match required (428), stale (412), edits a draft (200)', async () => {
    const bid = await createBid(api, { submit: false }, 'shropshire');
    expectProblem(await api.call('shropshire', 'PATCH', `/bids/${bid.id}`, { body: { title: 'x' } }), 428, 'if-match');
    expectProblem(
      await api.call('shropshire', 'PATCH', `/bids/${bid.id}`, { body: { title: 'x' }, headers: { 'if-match': 'W/"1"' } }),
      400,
      'if-match',
    );
    const edited = await api.call<Bid>('shropshire', 'PATCH', `/bids/${bid.id}`, {
      body: { title: 'Renamed', requestedPence: 200_000 },
      headers: { 'if-match': '"1"' },
    });
    expect(edited).toMatchObject({
      status: 200,
      body: { title: 'Renamed', version: 2, shares: { 'west-mercia': 138_000, warwickshire: 62_000 } },
    });
    expect(edited.headers.get('etag')).toBe('"2"');
    expectProblem(
      await api.call('shropshire', 'PATCH', `/bids/${bid.id}`, { body: { title: 'Stale' }, headers: { 'if-match': '1' } }),
      412,
    );
    expectProblem(
      await api.call('herefordshire', 'PATCH', `/bids/${bid.id}`, { body: { title: 'Not mine' }, headers: { 'if-match': '2' } }),
      403,
    );
    expectProblem(
      await api.call('shropshire', 'PATCH', `/bids/${bid.id}`, { body: { scope: 'warwickshire' }, headers: { 'if-match': '2' } }),
      400,
      'scope',
    );
    expectProblem(await api.call('shropshire', 'PATCH', `/bids/FS-999998`, { body: { title: 'x' }, headers: { 'if-match': '1' } }), 404);
  });

  test('PATCH: 409 once the bid is submitted', async () => {
    const bid = await createBid(api);
    expectProblem(await api.call('finance', 'PATCH', `/bids/${bid.id}`, { body: { title: 'x' }, headers: { 'if-match': '1' } }), 409);
  });

  test('actions: the whole lifecycle, then a release', async () => {
    const bid = await recommendedBid(api);
    const first = await act(api, 'westMerciaPcc', bid, 'approve');
    expect(first).toMatchObject({
      status: 200,
      body: { status: 'recommended', decisions: { 'west-mercia': 'approved', warwickshire: 'pending' } },
    });
    const second = await act(api, 'warwickshirePcc', first.body, 'approve');
    expect(second.body.status).toBe('approved');
    const released = await act(api, 'westMerciaPcc', second.body, 'release');
    expect(released.body.decisions['west-mercia']).toBe('released');
    const history = await api.call<{ events: { action: string; version: number }[] }>('finance', 'GET', `/bids/${bid.id}/history`);
    expect(history.body.events.map((e) => e.action)).toEqual(['create', 'recommend', 'approve', 'approve', 'release']);
    expect(history.body.events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(await ledgerViolations(api.stack.deps.store)).toEqual([]);
  });

  test('actions: each error status', async () => {
    const bid = await createBid(api);
    expectProblem(await act(api, 'board', bid, 'approve'), 403);
    expectProblem(await act(api, 'westMerciaPcc', bid, 'approve'), 409);
    expectProblem(await act(api, 'board', bid, 'recommend', {}), 400, 'amountPence');
    expectProblem(await act(api, 'board', bid, 'recommend', { amountPence: bid.requestedPence + 1 }), 400, 'amountPence');
    expectProblem(await act(api, 'board', bid, 'fly'), 400, 'action');
    expectProblem(await act(api, 'board', { id: 'FS-999997', version: 1 }, 'recommend', { amountPence: 1 }), 404);
    expectProblem(await act(api, 'board', { ...bid, version: 9 }, 'recommend', { amountPence: 1 }), 412);
    expectProblem(await api.call('board', 'POST', `/bids/${bid.id}/actions/recommend`, { body: { amountPence: 1 } }), 428, 'if-match');
    const single = await recommendedBid(api, { scope: 'west-mercia' });
    expectProblem(await act(api, 'warwickshirePcc', single, 'approve'), 403);
  });

  test('actions: an approval that does not fit the pot is 409 over-budget, naming the funder, share and remainder', async () => {
    await api.call('admin', 'PUT', '/years/2035-36/budget', { body: { fundPence: 10_000 } });
    const bid = await recommendedBid(api, { fy: '2035/36', requestedPence: 20_000 });
    const problem = expectProblem(await act(api, 'warwickshirePcc', bid, 'approve'), 409);
    expect(problem).toMatchObject({
      type: 'urn:fundshare:problem:over-budget',
      funder: 'warwickshire',
      amounts: { sharePence: 6_200, remainingPence: 3_100 },
    });
    expect(problem.detail).toBe("Warwickshire's share of £62.00 does not fit: only £31.00 remains in its pot");
    expect(await ledgerViolations(api.stack.deps.store, '2035/36')).toEqual([]);
  });

  test('an approval in a year with no budget is 409 no-budget', async () => {
    const bid = await recommendedBid(api, { fy: '2040/41' });
    expect(expectProblem(await act(api, 'westMerciaPcc', bid, 'approve'), 409).type).toBe('urn:fundshare:problem:no-budget');
  });

  test('history: 404 for an unknown bid', async () => {
    expectProblem(await api.call('finance', 'GET', '/bids/FS-999996/history'), 404);
  });
});

describe('allocations batch', () => {
  test('per-row ok / version-conflict (with the server bid) / invalid', async () => {
    const a = await createBid(api);
    const b = await createBid(api);
    const c = await createBid(api);
    const recommended = await recommendedBid(api);
    const response = await api.call<{ results: { bidId: string; status: string; reason?: string; bid?: Bid }[] }>(
      'finance',
      'POST',
      '/allocations/batch',
      {
        body: {
          allocations: [
            { bidId: a.id, version: 1, proposedPence: 50_000 },
            { bidId: b.id, version: 7, proposedPence: 50_000 },
            { bidId: c.id, version: 1, proposedPence: c.requestedPence + 1 },
            { bidId: recommended.id, version: recommended.version, proposedPence: 5 },
            { bidId: 'FS-999995', version: 1, proposedPence: 5 },
          ],
        },
      },
    );
    expect(response.status).toBe(200);
    const [ok, conflict, over, late, missing] = response.body.results;
    expect(ok).toMatchObject({
      status: 'ok',
      bid: { proposedPence: 50_000, version: 2, shares: { 'west-mercia': 34_500, warwickshire: 15_500 } },
    });
    expect(conflict).toMatchObject({ status: 'version-conflict', bid: { id: b.id, version: 1 } });
    expect(over).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/more than/) });
    expect(late).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/before the board decides/) });
    expect(missing).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/does not exist/) });
  });

  test('finance only; bodies validated', async () => {
    expectProblem(
      await api.call('board', 'POST', '/allocations/batch', {
        body: { allocations: [{ bidId: 'FS-000001', version: 1, proposedPence: 1 }] },
      }),
      403,
    );
    expectProblem(await api.call('finance', 'POST', '/allocations/batch', { body: { allocations: [] } }), 400, 'allocations');
    expectProblem(
      await api.call('finance', 'POST', '/allocations/batch', {
        body: { allocations: [{ bidId: 'FS-000001', version: 1, proposedPence: -1 }] },
      }),
      400,
      'allocations.0.proposedPence',
    );
  });
});

describe('POST /years/{fy}/close', () => {
  test('admin only; the body names every funder with a pot; 409 without a budget or once closed', async () => {
    const body = { carryForward: { 'west-mercia': false, warwickshire: false } };
    expectProblem(await api.call('finance', 'POST', '/years/2043-44/close', { body }), 403);
    expectProblem(await api.call('admin', 'POST', '/years/2043-44/close', { body }), 409);
    await api.call('admin', 'PUT', '/years/2043-44/budget', { body: { fundPence: 1_000 } });
    expectProblem(await api.call('admin', 'POST', '/years/2043-44/close', { body: { carryForward: {} } }), 400, 'carryForward.west-mercia');
    expect((await api.call('admin', 'POST', '/years/2043-44/close', { body })).status).toBe(200);
    expectProblem(await api.call('admin', 'POST', '/years/2043-44/close', { body }), 409);
  });
});

describe('the OpenAPI document', () => {
  test('documents every status the tests above saw, for its route (5xx under default)', () => {
    const { paths } = contractDocument();
    const templates = Object.keys(paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    }));
    const undocumented = new Set<string>();
    for (const { method, path, status } of answered) {
      const template = templates.find(({ pattern }) => pattern.test(path.split('?')[0] ?? path))?.template;
      const operation = template === undefined ? undefined : paths[template]?.[method.toLowerCase()];
      // Unknown routes and methods: the app's not-found problem, no operation's.
      if (!operation) continue;
      const responses = operation.responses as Record<string, unknown>;
      if (!(String(status) in responses) && !(status >= 500 && 'default' in responses)) undocumented.add(`${method} ${template} ${status}`);
    }
    expect(answered.length).toBeGreaterThan(50);
    expect([...undocumented]).toEqual([]);
  });
});
