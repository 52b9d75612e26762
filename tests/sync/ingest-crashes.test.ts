/**
 * Property (deterministic seed): plans sent as several files, with rows repeated inside a file,
 * across files and changed between them, and a crash at a random call to the stores during the
 * first sync. However far that run got, the runs after it finish the intake, and then every
 * distinct row (its parsed content and its occurrence in its file) is exactly one bid with
 * exactly one create event naming a file and row that asked for it; nothing else was created.
 */
import fc from 'fast-check';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncStore } from '../../functions/store/sync-store';
import type { FundStore } from '../../functions/store/types';
import { SyncIncompleteError } from '../../functions/sync/errors';
import { counted, HEADER, startSyncHarness, type SyncHarness } from './harness';

const options = {
  seed: Number(process.env.FUNDSHARE_PROPERTY_SEED ?? 20261130),
  numRuns: Number(process.env.FUNDSHARE_PROPERTY_RUNS ?? 15),
};

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
  mkdirSync(h.intakeDir, { recursive: true });
});
afterAll(() => h.stop());

/** The lease is left out: a real crash lets it expire, which a test cannot wait for. */
const NEVER_CRASH = new Set(['acquireLease', 'renewLease', 'releaseLease']);

/** A row: one of three projects, one of two amounts (so rows repeat, and some are corrections). */
const row = fc.record({ project: fc.integer({ min: 0, max: 2 }), amount: fc.constantFrom(100, 250) });
const plan = fc.array(row, { minLength: 1, maxLength: 5 });

let runNumber = 0;
let crashes = 0;

test('a crash anywhere in the first sync: the next runs finish, and every distinct row is exactly one bid', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(plan, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 60 }), async (files, crashAt) => {
      const prefix = `Crash walk ${runNumber++} `;
      const line = (r: { project: number; amount: number }) =>
        `${prefix}project ${r.project},shropshire,alliance,rural,,2025/26,${r.amount},`;
      files.forEach((rows, i) => writeFileSync(join(h.intakeDir, `crash-${runNumber}-${i}.csv`), [HEADER, ...rows.map(line)].join('\n')));

      // The rows that must become bids: each (content, occurrence in its file) once, first file wins.
      const expected = new Map<string, number>();
      for (const rows of files) {
        const seen = new Map<string, number>();
        for (const r of rows) {
          const content = line(r);
          const occurrence = (seen.get(content) ?? 0) + 1;
          seen.set(content, occurrence);
          expected.set(`${content}#${occurrence}`, r.amount * 100);
        }
      }

      let calls = 0;
      const crashing = <T extends object>(target: T): T =>
        counted(target, {}, async (method, _args, call) => {
          if (!NEVER_CRASH.has(method) && ++calls === crashAt) {
            crashes++;
            throw new Error(`injected crash at call ${crashAt} (${method})`);
          }
          return call();
        });
      await h
        .run({ intakeSettleMs: 0 }, { fund: { store: crashing<FundStore>(h.store) }, sync: crashing<SyncStore>(h.syncStore) })
        .catch((error: unknown) => {
          if (!(error instanceof SyncIncompleteError) && !String(error).includes('injected crash')) throw error;
        });
      // Then the scheduler's next runs: at least one (a crash after the last file moved leaves
      // create events in outboxes for the next reconcile to copy), until the intake is empty.
      for (let again = 0; again < 3 && (again === 0 || readdirSync(h.intakeDir).some((f) => f.startsWith('crash-'))); again++) {
        await h.run({ intakeSettleMs: 0 });
      }
      expect(readdirSync(h.intakeDir).filter((f) => f.startsWith('crash-'))).toEqual([]);

      const bids = (await h.store.bidsOfYear('2025/26')).filter((b) => b.title.startsWith(prefix));
      expect(bids).toHaveLength(expected.size);
      const perContent = new Map<string, number[]>();
      for (const bid of bids) {
        const history = await h.store.history(bid.id);
        expect(history.map((e) => e.action)).toEqual(['create']);
        expect(history[0]?.source?.file).toMatch(/^crash-\d+-\d+\.csv$/);
        const key = `${bid.title},shropshire,alliance,rural,,2025/26,${bid.requestedPence / 100},`;
        perContent.set(key, [...(perContent.get(key) ?? []), bid.requestedPence]);
      }
      // As many bids of each content as its most-repeated file asked for.
      for (const [key, pence] of expected) {
        const [content, occurrence] = key.split('#') as [string, string];
        expect(perContent.get(content)?.length).toBeGreaterThanOrEqual(Number(occurrence));
        expect(perContent.get(content)?.every((p) => p === pence)).toBe(true);
      }
    }),
    options,
  );
  // Most first runs really crashed (a crash point past a short run's last call is no crash).
  expect(crashes).toBeGreaterThanOrEqual(Math.ceil(options.numRuns / 2));
}, 240_000);
