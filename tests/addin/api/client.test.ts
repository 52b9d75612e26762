/** The API client: idempotent retries, problem details, paging. */
import { ApiError } from '../../../addin/api/api-error';
import { FundshareClient } from '../../../addin/api/client';
import { makeBid } from '../support/bids';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

test('a POST retried after a 503 sends the same Idempotency-Key, honouring Retry-After', async () => {
  const seen: { key: string | null; auth: string | null }[] = [];
  const waits: number[] = [];
  const responses = [
    json(503, { type: 'about:blank', title: 'Unavailable', status: 503, detail: 'store unavailable' }, { 'retry-after': '2' }),
    json(200, { results: [{ bidId: 'b1', status: 'ok', bid: makeBid({ id: 'b1', proposedPence: 5, version: 2 }) }] }),
  ];
  const fetchMock = jest.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({ key: headers.get('idempotency-key'), auth: headers.get('authorization') });
    return responses.shift() as Response;
  });
  let n = 0;
  const client = new FundshareClient({
    baseUrl: 'http://api.test/',
    getToken: async () => 'tok',
    fetch: fetchMock as unknown as typeof fetch,
    newIdempotencyKey: () => `key-${++n}`,
    sleep: async (ms) => void waits.push(ms),
  });
  const results = await client.proposeAllocations([{ bidId: 'b1', version: 1, proposedPence: 5 }]);
  expect(results[0]!.status).toBe('ok');
  expect(seen).toEqual([
    { key: 'key-1', auth: 'Bearer tok' },
    { key: 'key-1', auth: 'Bearer tok' },
  ]);
  expect(waits).toEqual([2000]);
  expect(fetchMock.mock.calls[0]![0]).toBe('http://api.test/allocations/batch');
});

test('a 409 request-in-progress is retried with the same Idempotency-Key after Retry-After; other 409s are not', async () => {
  const keys: (string | null)[] = [];
  const waits: number[] = [];
  const inProgress = { type: 'urn:fundshare:problem:request-in-progress', title: 'In progress', status: 409, detail: 'still running' };
  const responses = [
    json(409, inProgress, { 'retry-after': '1' }),
    json(200, { results: [{ bidId: 'b1', status: 'ok', bid: makeBid({ id: 'b1', proposedPence: 5, version: 2 }) }] }),
    json(409, { type: 'urn:fundshare:problem:invalid-transition', title: 'No', status: 409, detail: 'not now' }),
  ];
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'tok',
    fetch: (async (_url: string, init?: RequestInit) => {
      keys.push(new Headers(init?.headers).get('idempotency-key'));
      return responses.shift() as Response;
    }) as unknown as typeof fetch,
    newIdempotencyKey: () => `key-${keys.length}`,
    sleep: async (ms) => void waits.push(ms),
  });
  expect((await client.proposeAllocations([{ bidId: 'b1', version: 1, proposedPence: 5 }]))[0]!.status).toBe('ok');
  expect(keys).toEqual(['key-0', 'key-0']);
  expect(waits).toEqual([1000]);
  const refused = await client.proposeAllocations([{ bidId: 'b1', version: 1, proposedPence: 5 }]).catch((e: unknown) => e);
  expect(refused).toMatchObject({ kind: 'conflict', status: 409 });
  expect(waits).toEqual([1000]);
});

test('problem details become an ApiError with the kind and the server detail', async () => {
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'tok',
    fetch: (async () =>
      json(403, { type: 'x', title: 'Forbidden', status: 403, detail: 'propose needs the role finance' })) as unknown as typeof fetch,
  });
  const error = await client.budget('2026/27').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ kind: 'forbidden', status: 403, message: 'propose needs the role finance' });
});

test('listBids pages until nextCursor is null and keeps the last sync token', async () => {
  const urls: string[] = [];
  const pages = [
    { bids: [makeBid({ id: 'a' })], nextCursor: 'c1', syncToken: 't1' },
    { bids: [makeBid({ id: 'b' })], nextCursor: null, syncToken: 't2' },
  ];
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'tok',
    fetch: (async (url: string) => {
      urls.push(url);
      return json(200, pages.shift());
    }) as unknown as typeof fetch,
  });
  const page = await client.listBids('2026/27', { since: 's0' });
  expect(page.bids.map((b) => b.id)).toEqual(['a', 'b']);
  expect(page.syncToken).toBe('t2');
  expect(urls[0]).toBe('http://api.test/bids?fy=2026%2F27&limit=1000&since=s0');
  expect(urls[1]).toContain('cursor=c1');
});

test('a response that does not match the schema is refused, not trusted', async () => {
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'tok',
    fetch: (async () => json(200, { fy: '2026/27' })) as unknown as typeof fetch,
  });
  await expect(client.budget('2026/27')).rejects.toMatchObject({ kind: 'bad-response' });
});

test('recordDecisions sends 1,001 rows as two batches to /decisions/batch, each with its own Idempotency-Key', async () => {
  const batches: { key: string | null; rows: number; url: string }[] = [];
  const fetchMock = jest.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { decisions: { bidId: string }[] };
    batches.push({ key: new Headers(init?.headers).get('idempotency-key'), rows: body.decisions.length, url: String(url) });
    return json(200, { results: body.decisions.map((d) => ({ bidId: d.bidId, status: 'forbidden', reason: 'not yours' })) });
  });
  let n = 0;
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'tok',
    fetch: fetchMock as unknown as typeof fetch,
    newIdempotencyKey: () => `key-${++n}`,
  });
  const rows = Array.from({ length: 1001 }, (_, i) => ({ bidId: `b${i}`, version: 1, action: 'decline' as const }));
  const progress: number[] = [];
  const results = await client.recordDecisions(rows, (done) => progress.push(done));
  expect(results).toHaveLength(1001);
  expect(results[1000]).toEqual({ bidId: 'b1000', status: 'forbidden', reason: 'not yours' });
  expect(batches).toEqual([
    { key: 'key-1', rows: 1000, url: 'http://api.test/decisions/batch' },
    { key: 'key-2', rows: 1, url: 'http://api.test/decisions/batch' },
  ]);
  expect(progress).toEqual([1000, 1001]);
});
