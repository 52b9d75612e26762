/**
 * The concurrent walks the reliability properties share: six bids of a fresh-pot year, each with
 * a script of lifecycle steps; step k of every script runs in wave k, all attempts of a wave
 * fired at the API at once. What the walk checks afterwards is each property's own business.
 */
import fc from 'fast-check';
import { FIRST_FY_START, formatFinancialYear, FUNDER_IDS, LAST_FY_START, type Bid, type Budget, type FunderId } from '../../domain';
import type { TestActorName, TestApi, ApiResponse } from '../support/stack';
import { withConfirmation } from '../support/confirmation';

export const ACTIONS = ['recommend', 'approve', 'decline', 'release', 'withdraw'] as const;
export const ACTORS: TestActorName[] = [
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
export const script = fc.array(fc.array(lifecycleStep, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });

/** Six scripts, one per bid of the walk. */
export const walkScripts = fc.array(script, { minLength: 6, maxLength: 6 });

/** Deterministic in `npm test`; FUNDSHARE_PROPERTY_SEED / FUNDSHARE_PROPERTY_RUNS pick other walks for a soak. */
export function propertyOptions(defaultSeed: number, defaultRuns: number): { seed: number; numRuns: number } {
  return {
    seed: Number(process.env.FUNDSHARE_PROPERTY_SEED ?? defaultSeed),
    numRuns: Number(process.env.FUNDSHARE_PROPERTY_RUNS ?? defaultRuns),
  };
}

/**
 * Each run takes the next financial year the API accepts, round the window again after 99 runs
 * (a soak, or fast-check shrinking a failure, makes many runs): so a year may hold earlier runs'
 * bids, and the checks below are about every bid of the year.
 */
let run = 0;
export const nextYear = () => formatFinancialYear(FIRST_FY_START + (run++ % (LAST_FY_START - FIRST_FY_START + 1)));

export interface WalkYear {
  fy: string;
  fyPath: string;
  pots: Record<FunderId, number>;
  bids: Bid[];
}

const SHAPES = [
  { leadOrganisation: 'shropshire', scope: 'alliance' },
  { leadOrganisation: 'warwickshire', scope: 'alliance' },
  { leadOrganisation: 'shropshire', scope: 'west-mercia' },
  { leadOrganisation: 'warwickshire', scope: 'warwickshire' },
  { leadOrganisation: 'herefordshire', scope: 'alliance' },
  { leadOrganisation: 'warwickshire', scope: 'alliance' },
] as const;

/**
 * The next year, with a tight pot so over-budget happens (potPence left to commit per funder,
 * over whatever earlier runs in this year committed), and six submitted bids.
 */
export async function walkYear(api: TestApi, potPence: number): Promise<WalkYear> {
  const fy = nextYear();
  const fyPath = fy.replace('/', '-');
  const ledgers = await api.stack.deps.store.getLedgers(fy);
  const committedBefore = (funder: FunderId) => ledgers.find((l) => l.funder === funder)?.committedPence ?? 0;
  const pots = { 'west-mercia': committedBefore('west-mercia') + potPence, warwickshire: committedBefore('warwickshire') + potPence };
  const budgetSet = await api.call('admin', 'PUT', `/years/${fyPath}/budget`, {
    body: { fundPence: pots['west-mercia'] + pots.warwickshire, pots },
  });
  expect(budgetSet.status).toBe(200);
  const bids: Bid[] = [];
  for (const shape of SHAPES) {
    const created = await api.call<Bid>('finance', 'POST', '/bids', {
      body: {
        fy,
        title: 'Interleaving',
        crimeTypes: ['rural'],
        requestedPence: 80_000,
        outcomeMeasures: [{ measure: 'Farms visited', unit: 'visits', target: 120 }],
        submit: true,
        ...shape,
      },
    });
    expect(created.status).toBe(201);
    bids.push(created.body);
  }
  return { fy, fyPath, pots, bids };
}

export type Attempt = { action: (typeof ACTIONS)[number]; actor: TestActorName; amountPence: number; bid: Bid };

/** Step k of every bid's script runs in wave k: all its attempts, on all bids, race each other. */
export async function runWaves(
  api: TestApi,
  scripts: readonly (readonly (readonly Omit<Attempt, 'bid'>[])[])[],
  bids: readonly Bid[],
  onResponse: (attempt: Attempt, response: ApiResponse) => void,
): Promise<void> {
  for (let wave = 0; wave < 6; wave++) {
    const attempts = scripts.flatMap((steps, index) => (steps[wave] ?? []).map((a) => ({ ...a, bid: bids[index] as Bid })));
    await Promise.all(
      attempts.map(async (attempt) => {
        const current = await api.call<Bid>('finance', 'GET', `/bids/${attempt.bid.id}`);
        const body = withConfirmation(attempt.action, attempt.action === 'recommend' ? { amountPence: attempt.amountPence } : {});
        const response = await api.call(attempt.actor, 'POST', `/bids/${attempt.bid.id}/actions/${attempt.action}`, {
          body,
          headers: { 'if-match': `"${current.body.version}"` },
        });
        onResponse(attempt, response);
      }),
    );
  }
}

/** Each ledger's committed total is exactly the approved or released shares of the year's live bids (every run's). */
export async function expectLedgersMatchBids(api: TestApi, year: WalkYear): Promise<void> {
  const budget = (await api.call<Budget>('finance', 'GET', `/years/${year.fyPath}/budget`)).body;
  const live = await api.stack.deps.store.bidsOfYear(year.fy);
  expect(live.length).toBeGreaterThanOrEqual(year.bids.length);
  for (const funder of FUNDER_IDS) {
    const expected = live
      .filter((b) => !['declined', 'withdrawn'].includes(b.status))
      .filter((b) => b.decisions[funder] === 'approved' || b.decisions[funder] === 'released')
      .reduce((sum, b) => sum + (b.shares[funder] ?? 0), 0);
    const ledger = budget.funders.find((f) => f.funder === funder);
    expect(ledger?.committedPence).toBe(expected);
    expect(ledger?.remainingPence).toBe(year.pots[funder] - expected);
    expect(ledger?.remainingPence).toBeGreaterThanOrEqual(0);
  }
}
