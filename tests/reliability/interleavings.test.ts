/**
 * Property (deterministic seed): random interleavings of recommend / approve / decline / release /
 * withdraw by several actors across several bids and both funders, fired concurrently at the API.
 * After every run the invariants of DESIGN §3 hold, and each ledger's committed total is exactly
 * the shares its funder approved on bids that are still live.
 */
import fc from 'fast-check';
import { FUNDER_IDS, type Bid, type Budget } from '../../domain';
import { ledgerViolations } from '../support/fund';
import { startTestApi, type TestActorName, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const ACTIONS = ['recommend', 'approve', 'decline', 'release', 'withdraw'] as const;
const ACTORS: TestActorName[] = [
  'board',
  'westMerciaPcc',
  'warwickshirePcc',
  'finance',
  'shropshire',
  'warwickshireSubmitter',
  'herefordshire',
];

/** One attempt: an action by an actor (recommend carries an amount). */
const attempt = fc.record({
  action: fc.constantFrom(...ACTIONS),
  actor: fc.constantFrom(...ACTORS),
  amountPence: fc.integer({ min: 1, max: 80_000 }),
});

/**
 * A bid's script: steps in order; each step is one to three attempts fired at once (two PCCs
 * approving together, an approval racing a decline or a withdrawal...). Scripts lean towards the
 * real lifecycle so runs reach approvals, releases and the pot limit, with random actors mixed in.
 */
const lifecycleStep = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      action: fc.constant('recommend' as const),
      actor: fc.constant<TestActorName>('board'),
      amountPence: fc.integer({ min: 1, max: 80_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      action: fc.constant('approve' as const),
      actor: fc.constantFrom<TestActorName>('westMerciaPcc', 'warwickshirePcc'),
      amountPence: fc.constant(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constant('decline' as const),
      actor: fc.constantFrom<TestActorName>('westMerciaPcc', 'warwickshirePcc'),
      amountPence: fc.constant(1),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      action: fc.constant('release' as const),
      actor: fc.constantFrom<TestActorName>('westMerciaPcc', 'warwickshirePcc'),
      amountPence: fc.constant(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      action: fc.constant('withdraw' as const),
      actor: fc.constantFrom<TestActorName>('finance', 'shropshire', 'warwickshireSubmitter'),
      amountPence: fc.constant(1),
    }),
  },
  { weight: 1, arbitrary: attempt },
);
const script = fc.array(fc.array(lifecycleStep, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });

let year = 2040;

test('the ledger invariants hold after every concurrent interleaving', async () => {
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(
      fc.array(script, { minLength: 6, maxLength: 6 }),
      fc.integer({ min: 20_000, max: 200_000 }),
      async (scripts, potPence) => {
        // Each run gets its own year: a fresh pot per funder, a tight one so over-budget happens.
        const start = year++;
        const fy = `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
        const fyPath = fy.replace('/', '-');
        await api.call('admin', 'PUT', `/years/${fyPath}/budget`, {
          body: { fundPence: potPence * 2, pots: { 'west-mercia': potPence, warwickshire: potPence } },
        });
        const bids: Bid[] = [];
        const shapes = [
          { leadOrganisation: 'shropshire', scope: 'alliance' },
          { leadOrganisation: 'warwickshire', scope: 'alliance' },
          { leadOrganisation: 'shropshire', scope: 'west-mercia' },
          { leadOrganisation: 'warwickshire', scope: 'warwickshire' },
          { leadOrganisation: 'herefordshire', scope: 'alliance' },
          { leadOrganisation: 'warwickshire', scope: 'alliance' },
        ] as const;
        for (const shape of shapes) {
          const created = await api.call<Bid>('finance', 'POST', '/bids', {
            body: { fy, title: 'Interleaving', crimeTypes: ['rural'], requestedPence: 80_000, submit: true, ...shape },
          });
          bids.push(created.body);
        }
        // Step k of every bid's script runs in wave k: all its attempts, on all bids, race each other.
        for (let wave = 0; wave < 6; wave++) {
          const attempts = scripts.flatMap((steps, index) => (steps[wave] ?? []).map((a) => ({ ...a, bid: bids[index] as Bid })));
          await Promise.all(
            attempts.map(async (o) => {
              const current = await api.call<Bid>('finance', 'GET', `/bids/${o.bid.id}`);
              const body = o.action === 'recommend' ? { amountPence: o.amountPence } : {};
              const response = await api.call(o.actor, 'POST', `/bids/${o.bid.id}/actions/${o.action}`, {
                body,
                headers: { 'if-match': `"${current.body.version}"` },
              });
              // Refusals are fine; a server error never is.
              expect(response.status).toBeLessThan(500);
              if (response.status === 200) seen.add(o.action);
              if (response.status === 409 && (response.body as { type?: string }).type?.endsWith('over-budget')) seen.add('over-budget');
            }),
          );
        }
        expect(await ledgerViolations(api.stack.deps.store, fy)).toEqual([]);
        const budget = (await api.call<Budget>('finance', 'GET', `/years/${fyPath}/budget`)).body;
        const live = await Promise.all(bids.map(async (b) => (await api.call<Bid>('finance', 'GET', `/bids/${b.id}`)).body));
        for (const funder of FUNDER_IDS) {
          const expected = live
            .filter((b) => !['declined', 'withdrawn'].includes(b.status))
            .filter((b) => b.decisions[funder] === 'approved' || b.decisions[funder] === 'released')
            .reduce((sum, b) => sum + (b.shares[funder] ?? 0), 0);
          const ledger = budget.funders.find((f) => f.funder === funder);
          expect(ledger?.committedPence).toBe(expected);
          expect(ledger?.remainingPence).toBe(potPence - expected);
          expect(ledger?.remainingPence).toBeGreaterThanOrEqual(0);
        }
      },
    ),
    { numRuns: 25, seed: 20261129 },
  );
  // The walk must really have exercised every action and the pot limit.
  expect([...seen].sort()).toEqual([...ACTIONS, 'over-budget'].sort());
}, 240_000);
