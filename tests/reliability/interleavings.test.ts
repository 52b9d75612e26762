/**
 * Property (deterministic seed): random interleavings of recommend / approve / decline / release /
 * withdraw, payment schedules and instalment releases (the same instalment released at once
 * included), variations and their approvals, underspend returned, and monitoring returns filed,
 * accepted and sent back, by several actors across several bids and both funders, fired
 * concurrently at the API. After every run the invariants of docs/design.md §3 and §3.1 hold,
 * and each ledger's committed total is exactly the shares its funder approved on bids that are
 * still live.
 */
import fc from 'fast-check';
import { ledgerViolations } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';
import {
  ACTIONS,
  expectLedgersMatchBids,
  paymentViolations,
  propertyOptions,
  runWaves,
  walkScripts,
  walkYear,
  type Attempt,
} from './walks';

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
/** Two identical releases in one wave race for the same part (a wave runs each bid's step once). */
const raceKey = (a: Attempt) => `${a.bid.id}:${a.pick}:${a.actor}`;

const options = propertyOptions(20261129, 25);

test(
  'the ledger invariants hold after every concurrent interleaving',
  async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(walkScripts, fc.integer({ min: 20_000, max: 200_000 }), async (scripts, potPence) => {
        const year = await walkYear(api, potPence);
        // Identical releases fired at once: at most one pays (keyed by bid, instalment and funder).
        const racedPays = new Map<string, number[]>();
        await runWaves(api, scripts, year.bids, (attempt, response) => {
          // Refusals are fine; a server error never is.
          expect(response.status).toBeLessThan(500);
          if (response.status < 300) seen.add(attempt.action);
          if (response.status === 409 && (response.body as { type?: string }).type?.endsWith('over-budget')) seen.add('over-budget');
          if (attempt.race && attempt.action === 'pay')
            racedPays.set(raceKey(attempt), [...(racedPays.get(raceKey(attempt)) ?? []), response.status]);
        });
        for (const statuses of racedPays.values()) {
          expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
          if (statuses.includes(200) && statuses.length > 1) seen.add('pay-race');
        }
        expect(await ledgerViolations(api.stack.deps.store, year.fy)).toEqual([]);
        expect(await paymentViolations(api, year.fy)).toEqual([]);
        await expectLedgersMatchBids(api, year);
      }),
      options,
    );
    // The walk must really have exercised every action, the pot limit and a race to release one part.
    expect([...seen].sort()).toEqual([...ACTIONS, 'over-budget', 'pay-race'].sort());
  },
  240_000 + options.numRuns * 2_000,
);
