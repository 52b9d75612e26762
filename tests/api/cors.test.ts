/**
 * CORS and the request id on every kind of answer (functions/http/cors.ts, app.ts): a preflight,
 * a JSON answer, a problem, an answer through the idempotency layer, for the add-in's origin and
 * for any other. The headers are built into each response, none is added after it.
 */
import { createApp } from '../../functions/http/app';
import { testActors } from '../support/actors';
import { createBid } from '../support/fund';
import { silentLogger, startTestApi, type TestApi } from '../support/stack';

const ADDIN = 'https://addin.example.gov.uk';
let api: TestApi;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  api = await startTestApi();
  app = createApp({
    deps: api.stack.deps,
    authenticate: async (c) =>
      c.req.header('authorization') === 'Bearer ok'
        ? { ok: true, actor: testActors.finance }
        : { ok: false, failure: { kind: 'unauthenticated', detail: 'no token' } },
    logger: silentLogger,
    allowedOrigins: [ADDIN],
  });
});
afterAll(() => api.stop());

const EXPOSED = 'etag,location,retry-after,x-request-id,idempotent-replayed';

test('a preflight from the add-in: 204 with what it may send, for 10 minutes; from elsewhere, no allowed origin', async () => {
  const ask = (origin: string) =>
    app.request('/bids', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
  const allowed = await ask(ADDIN);
  expect(allowed.status).toBe(204);
  expect(Object.fromEntries(allowed.headers)).toMatchObject({
    'access-control-allow-origin': ADDIN,
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,OPTIONS',
    'access-control-allow-headers': 'authorization,content-type,if-match,idempotency-key',
    'access-control-max-age': '600',
    'access-control-expose-headers': EXPOSED,
    vary: 'Origin, Access-Control-Request-Headers',
    'x-request-id': expect.any(String),
  });
  const other = await ask('https://evil.example');
  expect(other.status).toBe(204);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});

test('answers of every kind carry the origin (for the add-in only), the exposed headers, Vary and the request id', async () => {
  const bid = await createBid(api);
  const answers = [
    await app.request('/health', { headers: { origin: ADDIN } }),
    await app.request('/bids', { headers: { origin: ADDIN } }), // 401 problem
    await app.request(`/bids/${bid.id}`, { headers: { origin: ADDIN, authorization: 'Bearer ok' } }),
    await app.request('/no-such-route', { headers: { origin: ADDIN } }), // 404 problem
    await app.request(`/bids/${bid.id}/actions/submit`, {
      method: 'POST',
      headers: {
        origin: ADDIN,
        authorization: 'Bearer ok',
        'if-match': '"999"',
        'idempotency-key': 'cors-1',
        'content-type': 'application/json',
      },
      body: '{}',
    }), // through the idempotency layer: 412
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 401, 200, 404, 412]);
  for (const answer of answers) {
    expect(answer.headers.get('access-control-allow-origin')).toBe(ADDIN);
    expect(answer.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    expect(answer.headers.get('vary')).toBe('Origin');
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(answers[1]?.headers.get('www-authenticate')).toBe('Bearer');
  expect(answers[2]?.headers.get('etag')).toBe(`"${bid.version}"`);
  const elsewhere = await app.request('/health', { headers: { origin: 'https://evil.example' } });
  expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  expect(elsewhere.headers.get('x-request-id')).not.toBeNull();
});
