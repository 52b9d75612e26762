/**
 * Property (deterministic seeds): the concurrent walks of interleavings.test.ts with crashes
 * injected at random steps of the change protocol (after the ledger commit, the bid write, the
 * ledger settle, the audit copy). Only a crashed request may answer 500. A crashed release of an
 * instalment or approval of a variation is retried with its Idempotency-Key once the wave has
 * answered, as the design has it finished (docs/design.md §3.1; a retry refused because the bid
 * moved on gives back what its crashed attempt paid); the rest are left to reconcile. Once every
 * request has ended, one reconcile pass (as the sync job runs it) leaves the year whole:
 * docs/design.md §3's invariants in their strict form (no half-finished allocation, no share held
 * by a closed bid), every ledger equal to the approved shares of the live bids, no drift left for
 * a person, and a second pass finds nothing to do.
 */
import fc from 'fast-check';
import { reconcileYear } from '../../functions/sync/reconcile';
import type { ProtocolStep } from '../../functions/use-cases/deps';
import { ledgerViolations } from '../support/fund';
import { prng } from '../support/prng';
import { startTestApi, type TestApi } from '../support/stack';
import {
  expectLedgersMatchBids,
  finishedByRetry,
  paymentViolations,
  propertyOptions,
  runWaves,
  send,
  walkScripts,
  walkYear,
  type Sent,
} from './walks';

let api: TestApi;
/** Whether to crash at this checkpoint; null while a run sets up or checks. */
let crashHere: ((step: ProtocolStep) => boolean) | null = null;
/** Request ids that were crashed, and where. */
const crashed = new Map<string, ProtocolStep>();

beforeAll(async () => {
  api = await startTestApi({
    deps: {
      checkpoint: (step, { requestId }) => {
        if (crashHere?.(step)) {
          crashed.set(requestId, step);
          throw new Error(`injected crash after ${step}`);
        }
      },
    },
  });
});
afterAll(() => api.stop());

const options = propertyOptions(20261130, 10);

test(
  'after crashes at random protocol steps, one reconcile leaves every ledger whole',
  async () => {
    const stepsCrashed = new Set<ProtocolStep>();
    const retriedActions = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        walkScripts,
        fc.integer({ min: 20_000, max: 200_000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0.1, 0.25, 0.5),
        async (scripts, potPence, crashSeed, crashRate) => {
          const year = await walkYear(api, potPence);
          const random = prng(crashSeed);
          const crashNow = () => random() < crashRate;
          crashHere = crashNow;
          const toRetry: Sent[] = [];
          try {
            await runWaves(
              api,
              scripts,
              year.bids,
              (attempt, response, sent) => {
                if (response.status < 500) return;
                // A crash answers 500, and only a crash does.
                expect(response.status).toBe(500);
                const step = crashed.get(response.headers.get('x-request-id') ?? '');
                expect(step).toBeDefined();
                stepsCrashed.add(step as ProtocolStep);
                if (finishedByRetry(attempt.action)) toRetry.push(sent);
              },
              async () => {
                crashHere = null;
                for (const sent of toRetry.splice(0)) {
                  const retried = await send(api, sent);
                  expect(retried.status).toBeLessThan(500);
                  retriedActions.add(sent.attempt.action);
                }
                crashHere = crashNow;
              },
            );
          } finally {
            crashHere = null;
          }

          const store = api.stack.deps.store;
          const first = await reconcileYear(api.stack.deps, year.fy, await store.bidsOfYear(year.fy), { graceMs: 0 });
          expect(first.drift.filter((d) => !d.repaired)).toEqual([]);
          expect(first.inFlight).toEqual([]);
          expect(await ledgerViolations(store, year.fy, true)).toEqual([]);
          expect(await paymentViolations(api, year.fy)).toEqual([]);
          await expectLedgersMatchBids(api, year);
          const second = await reconcileYear(api.stack.deps, year.fy, await store.bidsOfYear(year.fy), { graceMs: 0 });
          expect(second.drift).toEqual([]);
          expect(second.eventsRecorded).toBe(0);
        },
      ),
      options,
    );
    // The walks must really have crashed after every step of the protocol.
    expect([...stepsCrashed].sort()).toEqual(['audit-written', 'bid-written', 'ledger-committed', 'ledger-settled']);
    // …and crashed, then retried, releases of instalments.
    expect(retriedActions).toContain('pay');
  },
  240_000 + options.numRuns * 3_000,
);
