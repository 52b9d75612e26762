/**
 * Property (deterministic seed): random interleavings of recommend / approve / decline / release /
 * withdraw by several actors across several bids and both funders, fired concurrently at the API.
 * After every run the invariants of docs/design.md §3 hold, and each ledger's committed total is exactly
 * the shares its funder approved on bids that are still live.
 */
import fc from 'fast-check';
import { ledgerViolations } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';
import { ACTIONS, expectLedgersMatchBids, propertyOptions, runWaves, walkScripts, walkYear } from './walks';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

/**
 * A soak picks other walks, e.g.
 * FUNDSHARE_PROPERTY_SEED=$RANDOM FUNDSHARE_PROPERTY_RUNS=200 npx jest tests/reliability/interleavings
 * (a failure prints the seed and path that reproduce it).
 */
const options = propertyOptions(20261129, 25);

test(
  'the ledger invariants hold after every concurrent interleaving',
  async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(walkScripts, fc.integer({ min: 20_000, max: 200_000 }), async (scripts, potPence) => {
        const year = await walkYear(api, potPence);
        await runWaves(api, scripts, year.bids, (attempt, response) => {
          // Refusals are fine; a server error never is.
          expect(response.status).toBeLessThan(500);
          if (response.status === 200) seen.add(attempt.action);
          if (response.status === 409 && (response.body as { type?: string }).type?.endsWith('over-budget')) seen.add('over-budget');
        });
        expect(await ledgerViolations(api.stack.deps.store, year.fy)).toEqual([]);
        await expectLedgersMatchBids(api, year);
      }),
      options,
    );
    // The walk must really have exercised every action and the pot limit.
    expect([...seen].sort()).toEqual([...ACTIONS, 'over-budget'].sort());
  },
  240_000 + options.numRuns * 2_000,
);
