/**
 * The bad-input corpus (tests/corpus/bad-input.json, kept as data): every case answers 4xx
 * application/problem+json naming the field, never 5xx, and the store is byte-for-byte unchanged.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBid, setPots } from '../support/fund';
import { startTestApi, type TestActorName, type TestApi } from '../support/stack';
import { dumpTable } from '../support/table-dump';

interface BadInputCase {
  name: string;
  actor: TestActorName;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  expectStatus: number;
  expectPath: string;
}

const corpus = JSON.parse(readFileSync(join(__dirname, '..', 'corpus', 'bad-input.json'), 'utf8')) as { cases: BadInputCase[] };

let api: TestApi;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 1_000_000, warwickshire: 1_000_000 }, 2_000_000);
  ids.draftId = (await createBid(api, { submit: false, requestedPence: 10_000 })).id;
  ids.submittedId = (await createBid(api, { requestedPence: 10_000 })).id;
});
afterAll(() => api.stop());

const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);
const fillDeep = (value: unknown): unknown =>
  typeof value === 'string'
    ? fill(value)
    : Array.isArray(value)
      ? value.map(fillDeep)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v)]))
        : value;

test('the corpus covers every route with at least 100 cases', () => {
  expect(corpus.cases.length).toBeGreaterThanOrEqual(100);
  const routes = new Set(
    corpus.cases.map(
      (c) =>
        `${c.method} ${c.path
          .replace(/\?.*$/, '')
          .replace(/\/bids\/[^/]+/, '/bids/{id}')
          .replace(/\/years\/[^/]+/, '/years/{fy}')
          .replace(/actions\/[^/]+/, 'actions/{action}')}`,
    ),
  );
  for (const route of [
    'POST /bids',
    'GET /bids',
    'GET /bids/{id}',
    'PATCH /bids/{id}',
    'POST /bids/{id}/actions/{action}',
    'POST /allocations/batch',
    'GET /bids/{id}/history',
    'GET /years/{fy}/budget',
    'PUT /years/{fy}/budget',
    'GET /years/{fy}/budget/history',
  ]) {
    expect(routes).toContain(route);
  }
});

test.each(corpus.cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
  const before = await dumpTable(api.stack);
  const response = await api.call<{ status: number; errors?: { path: string; message: string }[]; detail: string }>(
    testCase.actor,
    testCase.method,
    fill(testCase.path),
    {
      ...(testCase.body !== undefined ? { body: fillDeep(testCase.body) } : {}),
      ...(testCase.rawBody !== undefined ? { rawBody: testCase.rawBody } : {}),
      ...(testCase.headers ? { headers: testCase.headers } : {}),
    },
  );
  expect(response.status).toBe(testCase.expectStatus);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body.status).toBe(testCase.expectStatus);
  expect(response.body.errors?.map((e) => e.path)).toContain(testCase.expectPath);
  for (const error of response.body.errors ?? []) expect(error.message.length).toBeGreaterThan(3);
  expect(JSON.stringify(response.body)).not.toMatch(/\.ts:\d+|node_modules|Bearer ey/);
  expect(await dumpTable(api.stack)).toBe(before);
});
