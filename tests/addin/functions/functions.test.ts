/** FUND.* as Excel calls them: pounds in, pounds out via pence; #VALUE! for bad input, #N/A for service failures. */
import fc from 'fast-check';
import { defaultCostShare, FUNDER_IDS, SCOPES, splitAmount, type Budget, type CostShare, type Scope } from '../../../domain';
import { FundshareClient } from '../../../addin/api/client';
import { BudgetBatcher } from '../../../addin/functions/budget-batcher';
import * as engine from '../../../addin/functions/engine';
import { check, committed, costshare, remaining, share, split } from '../../../addin/functions/functions';
import { FUNCTION_IDS, registerCustomFunctions } from '../../../addin/functions/register';
import { setSession } from '../../../addin/session';
import { FakeCustomFunctionError, installCustomFunctionsRuntime } from '../support/custom-functions';

beforeAll(installCustomFunctionsRuntime);
afterEach(() => setSession(null));

const budget = (fy: string, costShare = defaultCostShare()): Budget => ({
  fy,
  fundPence: 150_000_000,
  costShare,
  funders: [
    {
      funder: 'west-mercia',
      potPence: 103_500_000,
      committedPence: 8_381_250,
      releasedPence: 0,
      pendingPence: 0,
      remainingPence: 95_118_750,
    },
    {
      funder: 'warwickshire',
      potPence: 46_500_000,
      committedPence: 4_368_500,
      releasedPence: 0,
      pendingPence: 0,
      remainingPence: 42_131_500,
    },
  ],
});

async function excelError(promise: Promise<unknown>): Promise<FakeCustomFunctionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FakeCustomFunctionError);
  return error as FakeCustomFunctionError;
}

test('SPLIT(1000.01, "alliance") is 690.01 / 310.00', async () => {
  expect(await split([[1000.01]], 'alliance')).toEqual([[690.01, 310]]);
});

test('SPLIT accepts a range and spills one row per amount; single-area scopes fund in full', async () => {
  expect(
    await split(
      [
        [100, 0.01],
        [1000.01, 2],
      ],
      'alliance',
    ),
  ).toEqual([
    [69, 31],
    [0.01, 0],
    [690.01, 310],
    [1.38, 0.62],
  ]);
  expect(await split([[18500]], 'warwickshire')).toEqual([[0, 18500]]);
  expect(await split([[18500]], ' West-Mercia ')).toEqual([[18500, 0]]);
});

test('property: SPLIT over a range equals each amount split on its own, for every scope and model', async () => {
  /** What one amount's row was before SPLIT resolved funders once per call: splitAmount per amount. */
  const rowOnItsOwn = (pence: number, scope: Scope, model: CostShare) => {
    const shares = splitAmount(pence, scope, model);
    if (!shares.ok) throw new Error(shares.error.message);
    return FUNDER_IDS.map((f) => (shares.value[f] ?? 0) / 100);
  };
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
      fc.constantFrom(...SCOPES),
      fc.integer({ min: 0, max: 10_000 }),
      async (pence, scope, westMercia) => {
        // A year's model, lopsided ones included (10,000/0: the alliance split has one funder).
        const model: CostShare = { 'west-mercia': westMercia, warwickshire: 10_000 - westMercia };
        const rows = await engine.split(
          pence.map((row) => row.map((p) => p / 100)),
          scope,
          '2026/27',
          async (fy) => budget(fy, model),
        );
        expect(rows).toEqual(pence.flat().map((p) => rowOnItsOwn(p, scope, model)));
      },
    ),
    { numRuns: 500 },
  );
});

test('SHARE and COSTSHARE without a year use the configured model', async () => {
  expect(await share(1000.01, 'alliance', 'west-mercia')).toBe(690.01);
  expect(await share(1000.01, 'alliance', 'warwickshire')).toBe(310);
  expect(await costshare('west-mercia')).toBe(0.69);
});

test('bad arguments give #VALUE! with a message, never a number', async () => {
  const scope = await excelError(split([[10]], 'everywhere'));
  expect(scope.code).toBe('#VALUE!');
  expect(scope.message).toBe('scope must be alliance, west-mercia or warwickshire');
  expect((await excelError(split([[10.001]], 'alliance'))).message).toBe('amount: amount has more than 2 decimal places');
  expect((await excelError(share(-5, 'alliance', 'west-mercia'))).message).toContain('must not be negative');
  expect((await excelError(share(5, 'alliance', 'devon'))).message).toBe('funder must be west-mercia or warwickshire');
  expect((await excelError(costshare('west-mercia', '2026/28'))).code).toBe('#VALUE!');
});

test('REMAINING and COMMITTED read the service; signed out they give #N/A with a message', async () => {
  const error = await excelError(remaining('west-mercia', '2026/27'));
  expect(error.code).toBe('#N/A');
  expect(error.message).toContain('sign in to Fundshare in the task pane first');

  const fetchMock = jest.fn(
    async () => new Response(JSON.stringify(budget('2026/27')), { status: 200, headers: { 'content-type': 'application/json' } }),
  );
  const client = new FundshareClient({
    baseUrl: 'http://api.test',
    getToken: async () => 'token',
    fetch: fetchMock as unknown as typeof fetch,
  });
  setSession({ apiUrl: 'http://api.test', client, user: { sub: 'fiona', name: 'Fiona', roles: ['finance'] } });
  const results = await Promise.all([
    remaining('west-mercia', '2026/27'),
    committed('warwickshire', '2026-27'),
    remaining('warwickshire', '2026/27'),
  ]);
  expect(results).toEqual([951_187.5, 43_685, 421_315]);
  // Three calls in one window: one request.
  expect(fetchMock).toHaveBeenCalledTimes(1);
});

test('CHECK reports the proposal above the request and a scope the lead cannot file', async () => {
  expect(await check(1000, 'alliance', 'shropshire', 900)).toBe('OK');
  expect(await check(1000, 'alliance', 'shropshire')).toBe('OK');
  expect(await check(1000, 'warwickshire', 'shropshire', 1200.5)).toBe(
    'proposed £1,200.50 is more than the £1,000.00 requested; Shropshire CSP cannot lead a bid for Warwickshire only',
  );
  expect((await excelError(check(1000, 'alliance', 'nowhere'))).code).toBe('#VALUE!');
});

test('every function is registered with the runtime under its metadata id', () => {
  expect(registerCustomFunctions()).toBe(true);
  const associate = (globalThis as unknown as { CustomFunctions: { associate: jest.Mock } }).CustomFunctions.associate;
  expect(associate.mock.calls.map((c) => c[0])).toEqual([...FUNCTION_IDS]);
});

describe('batching', () => {
  test('calls within a window share one request per year; a failed request rejects every waiting call', async () => {
    let calls = 0;
    const load = jest.fn(async (fy: string) => {
      calls++;
      if (fy === '2025/26') throw new Error('503 service unavailable');
      return budget(fy);
    });
    const batcher = new BudgetBatcher(load, { windowMs: 5 });
    const source = (fy: string) => batcher.get(fy);
    const waiting = [
      engine.remaining('west-mercia', '2025/26', source, () => '2026/27'),
      engine.committed('warwickshire', '2025/26', source, () => '2026/27'),
      engine.share(100, 'alliance', 'west-mercia', '2025/26', source),
      engine.remaining('west-mercia', '2026/27', source, () => '2026/27'),
    ];
    const settled = await Promise.allSettled(waiting);
    expect(calls).toBe(2);
    expect(settled.slice(0, 3).map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const s of settled.slice(0, 3)) {
      const reason = (s as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(engine.ServiceUnavailableError);
      expect(reason.message).toBe('Fundshare could not read the 2025/26 budget: 503 service unavailable');
    }
    expect(settled[3]).toEqual({ status: 'fulfilled', value: 951_187.5 });
    // A failure is not cached: the next call tries again; a success is cached.
    await expect(batcher.get('2025/26')).rejects.toThrow('503');
    await batcher.get('2026/27');
    expect(calls).toBe(3);
  });

  test('a failed batch surfaces in Excel as #N/A on every waiting cell, never #BUSY! forever', async () => {
    const fetchMock = jest.fn(async () => {
      throw new TypeError('fetch failed');
    });
    const client = new FundshareClient({
      baseUrl: 'http://api.test',
      getToken: async () => 't',
      fetch: fetchMock as unknown as typeof fetch,
      sleep: async () => undefined,
    });
    setSession({ apiUrl: 'http://api.test', client, user: { sub: 'f', name: 'F', roles: ['finance'] } });
    const errors = await Promise.all([
      excelError(remaining('west-mercia', '2024/25')),
      excelError(committed('warwickshire', '2024/25')),
      excelError(split([[1]], 'alliance', '2024/25')),
    ]);
    expect(errors.map((e) => e.code)).toEqual(['#N/A', '#N/A', '#N/A']);
    expect(errors[0]!.message).toContain('Cannot reach the Fundshare service');
    // One batched request (plus the client's own retries of it), not one per cell.
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });
});
