/** FUND.INSTALMENTS and FUND.CLAWBACK: exact pence by the running-total rule (docs/design.md §3.1); errors, never a wrong number. */
import fc from 'fast-check';
import { defaultCostShare, FUNDER_IDS, SCOPES, splitAmount, type Budget, type CostShare } from '../../../domain';
import * as engine from '../../../addin/functions/engine';
import { clawback, instalments } from '../../../addin/functions/functions';
import { FakeCustomFunctionError, installCustomFunctionsRuntime } from '../support/custom-functions';

beforeAll(installCustomFunctionsRuntime);

const yearWith =
  (costShare: CostShare) =>
  async (fy: string): Promise<Budget> => ({ fy, fundPence: 0, costShare, funders: [] });

async function excelError(promise: Promise<unknown>): Promise<FakeCustomFunctionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FakeCustomFunctionError);
  return error as FakeCustomFunctionError;
}

const toPence = (pounds: number) => Math.round(pounds * 100);

test('INSTALMENTS(1000.01, "alliance", 3) spills 3 rows × funders summing to the instalments and the shares', async () => {
  const rows = await instalments(1000.01, 'alliance', 3);
  expect(rows).toEqual([
    [230.01, 103.33],
    [230, 103.34],
    [230, 103.33],
  ]);
  expect(rows.map((r) => r.reduce((a, b) => a + toPence(b), 0))).toEqual([33334, 33334, 33333]);
  expect(FUNDER_IDS.map((_, c) => rows.reduce((a, r) => a + toPence(r[c]!), 0))).toEqual([69001, 31000]);
});

test("INSTALMENTS for a single-funder scope puts everything in that funder's column", async () => {
  expect(await instalments(100, 'warwickshire', 4)).toEqual([
    [0, 25],
    [0, 25],
    [0, 25],
    [0, 25],
  ]);
});

test("property: each INSTALMENTS row sums to its instalment, each column to the funder's share, no part negative", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 10_000_000_000 }),
      fc.constantFrom(...SCOPES),
      fc.integer({ min: 1, max: engine.MAX_INSTALMENTS }),
      fc.integer({ min: 0, max: 10_000 }),
      async (pence, scope, wanted, westMercia) => {
        const n = Math.min(wanted, pence);
        const model: CostShare = { 'west-mercia': westMercia, warwickshire: 10_000 - westMercia };
        const rows = await engine.instalments(pence / 100, scope, n, '2026/27', yearWith(model));
        const shares = splitAmount(pence, scope, model);
        if (!shares.ok) throw new Error(shares.error.message);
        const cents = rows.map((r) => r.map(toPence));
        expect(cents).toHaveLength(n);
        const perInstalment = cents.map((r) => r.reduce((a, b) => a + b, 0));
        expect(perInstalment.reduce((a, b) => a + b, 0)).toBe(pence);
        // Equal instalments: they differ by at most a penny, the larger first.
        expect(Math.max(...perInstalment) - Math.min(...perInstalment)).toBeLessThanOrEqual(1);
        expect([...perInstalment].sort((a, b) => b - a)).toEqual(perInstalment);
        FUNDER_IDS.forEach((f, c) => expect(cents.reduce((a, r) => a + r[c]!, 0)).toBe(shares.value[f] ?? 0));
        expect(cents.flat().every((p) => p >= 0)).toBe(true);
      },
    ),
    { numRuns: 300 },
  );
});

test('INSTALMENTS refuses bad arguments with #VALUE! and a message', async () => {
  expect((await excelError(instalments(100, 'alliance', 0))).message).toBe('n must be a whole number of instalments from 1 to 120');
  expect((await excelError(instalments(100, 'alliance', 2.5))).code).toBe('#VALUE!');
  expect((await excelError(instalments(100, 'alliance', 121))).code).toBe('#VALUE!');
  expect((await excelError(instalments(0.02, 'alliance', 3))).message).toBe('n: 3 instalments of £0.02 would leave one at £0');
  expect((await excelError(instalments(0, 'alliance', 3))).message).toBe('amount must be more than £0 to pay in instalments');
  expect((await excelError(instalments(100, 'everywhere', 3))).message).toBe('scope must be alliance, west-mercia or warwickshire');
  expect((await excelError(instalments(100.001, 'alliance', 3))).message).toBe('amount: amount has more than 2 decimal places');
});

test('CLAWBACK is what was paid beyond the share of the final amount, else 0', async () => {
  // Final £1,000.01 for the alliance: shares £690.01 / £310.00.
  expect(await clawback(700, 1000.01, 'alliance', 'west-mercia')).toBe(9.99);
  expect(await clawback(310, 1000.01, 'alliance', 'warwickshire')).toBe(0);
  expect(await clawback(200, 1000.01, 'alliance', 'warwickshire')).toBe(0);
  // A funder outside the scope has no share: everything it paid is due back.
  expect(await clawback(50, 1000, 'warwickshire', 'west-mercia')).toBe(50);
});

test("property: CLAWBACK = max(0, paid − the funder's share), to the penny", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000_000_000 }),
      fc.integer({ min: 0, max: 10_000_000_000 }),
      fc.constantFrom(...SCOPES),
      fc.constantFrom(...FUNDER_IDS),
      async (paid, final, scope, funder) => {
        const shares = splitAmount(final, scope, defaultCostShare());
        if (!shares.ok) throw new Error(shares.error.message);
        const owed = await engine.clawback(paid / 100, final / 100, scope, funder, undefined, yearWith(defaultCostShare()));
        expect(toPence(owed)).toBe(Math.max(0, paid - (shares.value[funder] ?? 0)));
      },
    ),
    { numRuns: 300 },
  );
});

test('CLAWBACK refuses bad arguments naming them', async () => {
  expect((await excelError(clawback(-1, 100, 'alliance', 'west-mercia'))).message).toContain('paid:');
  expect((await excelError(clawback(1, 'x' as unknown as number, 'alliance', 'west-mercia'))).message).toContain('final:');
  expect((await excelError(clawback(1, 100, 'alliance', 'devon'))).message).toBe('funder must be west-mercia or warwickshire');
});
