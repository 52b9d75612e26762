/**
 * The concurrent walks the reliability properties share: six bids of a fresh-pot year, each with
 * a script of lifecycle steps; step k of every script runs in wave k, all attempts of a wave
 * fired at the API at once. What the walk checks afterwards is each property's own business.
 */
import fc from 'fast-check';
import {
  expectedShare,
  FIRST_FY_START,
  formatFinancialYear,
  FUNDER_IDS,
  LAST_FY_START,
  type Bid,
  type Budget,
  type FunderId,
  type Instalment,
} from '../../domain';
import { ledgerViolations } from '../support/fund';
import type { TestActorName, TestApi, ApiResponse } from '../support/stack';
import { withConfirmation } from '../support/confirmation';

export const ACTORS: TestActorName[] = [
  'board',
  'westMerciaPcc',
  'warwickshirePcc',
  'finance',
  'shropshire',
  'warwickshireSubmitter',
  'herefordshire',
];

/** One attempt of a walk: an action by an actor; `amountPence` and `pick` (1–3) feed the request. */
export interface WalkAttempt {
  action: WalkActionName;
  actor: TestActorName;
  amountPence: number;
  /** Instalment number, instalment count or quarter, by action. */
  pick: number;
  /** One of several identical attempts fired at once (two releases of the same instalment…). */
  race?: boolean;
}

interface WalkRequest {
  method: 'POST' | 'PUT';
  path: string;
  body: object;
}

/**
 * What an action sends, given the bid as read just before (its version goes in If-Match), and
 * how likely a script step is to take it, and by whom. One more action is one more entry.
 */
interface WalkAction {
  weight: number;
  /** Where in a bid's life the action belongs (0 recommend, 1 approve, 2 schedule or vary, 3 pay): scripts take it mostly then. */
  stage: 0 | 1 | 2 | 3;
  actors: readonly TestActorName[];
  request: (bid: Bid, attempt: WalkAttempt) => WalkRequest;
  /** A return has its own version: its requests go without the bid's If-Match. */
  ownVersion?: boolean;
  /**
   * A crash half-way is finished by the client's retry with the same Idempotency-Key, not by
   * reconcile (docs/design.md §3.1: payments and variation steps are reported, never rewritten).
   */
  finishedByRetry?: boolean;
}

const PCCS: readonly TestActorName[] = ['westMerciaPcc', 'warwickshirePcc'];
const lifecycle =
  (action: string, body: (a: WalkAttempt) => object = () => ({})) =>
  (bid: Bid, a: WalkAttempt): WalkRequest => ({
    method: 'POST',
    path: `/bids/${bid.id}/actions/${action}`,
    body: withConfirmation(action, body(a)),
  });
const quarter = (bid: Bid, a: WalkAttempt) => `${bid.fy.replace('/', '-')}-Q${1 + (a.pick % 2)}`;

export const WALK_ACTIONS = {
  recommend: { stage: 0, weight: 3, actors: ['board'], request: lifecycle('recommend', (a) => ({ amountPence: a.amountPence })) },
  approve: { stage: 1, weight: 8, actors: PCCS, request: lifecycle('approve') },
  decline: { stage: 1, weight: 1, actors: PCCS, request: lifecycle('decline') },
  release: { stage: 2, weight: 1, actors: PCCS, request: lifecycle('release') },
  withdraw: { stage: 2, weight: 1, actors: ['finance', 'shropshire', 'warwickshireSubmitter'], request: lifecycle('withdraw') },
  // Money after approval (docs/design.md §3.1).
  schedule: {
    stage: 2,
    weight: 6,
    actors: ['finance'],
    request: (bid, a) => ({ method: 'PUT', path: `/bids/${bid.id}/payments`, body: { instalments: instalmentsFor(bid, a.pick) } }),
  },
  pay: {
    finishedByRetry: true,
    stage: 3,
    weight: 6,
    actors: PCCS,
    request: (bid, a) => ({ method: 'POST', path: `/bids/${bid.id}/payments/${a.pick}/actions/release`, body: {} }),
  },
  vary: { stage: 2, weight: 1, actors: ['finance'], request: lifecycle('vary', (a) => ({ amountPence: a.amountPence, reason: 'walk' })) },
  'approve-variation': { finishedByRetry: true, stage: 3, weight: 4, actors: PCCS, request: lifecycle('approve-variation') },
  'withdraw-variation': {
    finishedByRetry: true,
    stage: 3,
    weight: 1,
    actors: ['finance'],
    request: lifecycle('withdraw-variation', () => ({ reason: 'walk' })),
  },
  'decline-variation': {
    finishedByRetry: true,
    stage: 3,
    weight: 1,
    actors: PCCS,
    request: lifecycle('decline-variation', () => ({ reason: 'walk' })),
  },
  'return-underspend': {
    stage: 3,
    weight: 2,
    actors: ['finance'],
    request: lifecycle('return-underspend', (a) => ({ amountPence: Math.ceil(a.amountPence / 20), reason: 'walk' })),
  },
  // Monitoring returns (docs/design.md §1.4).
  'file-return': {
    ownVersion: true,
    stage: 2,
    weight: 2,
    actors: ['finance'],
    request: (bid, a) => ({
      method: 'PUT',
      path: `/bids/${bid.id}/returns/${quarter(bid, a)}`,
      body: { spendToDatePence: a.amountPence, actuals: [{ measure: 'Farms visited', value: a.pick }], rag: 'amber', narrative: 'walk' },
    }),
  },
  'accept-return': {
    ownVersion: true,
    stage: 3,
    weight: 1,
    actors: ['finance'],
    request: (bid, a) => ({ method: 'POST', path: `/bids/${bid.id}/returns/${quarter(bid, a)}/actions/accept`, body: {} }),
  },
  'send-back-return': {
    ownVersion: true,
    stage: 3,
    weight: 1,
    actors: ['finance'],
    request: (bid, a) => ({ method: 'POST', path: `/bids/${bid.id}/returns/${quarter(bid, a)}/actions/return`, body: { reason: 'walk' } }),
  },
} satisfies Record<string, WalkAction>;
export type WalkActionName = keyof typeof WALK_ACTIONS;
export const ACTIONS = Object.keys(WALK_ACTIONS) as WalkActionName[];
export const finishedByRetry = (action: WalkActionName): boolean => (WALK_ACTIONS[action] as WalkAction).finishedByRetry === true;

/** Is every non-zero part of the instalment paid? (Such instalments stay when finance schedules again.) */
const fullyPaid = (i: Instalment) =>
  Object.entries(i.parts).some(([, p]) => (p ?? 0) > 0) &&
  Object.entries(i.parts).every(([f, p]) => (p ?? 0) === 0 || i.paid[f as FunderId] !== undefined);

/** `count` instalments over the bid's year summing to what is left to schedule (a guess from the bid as read). */
function instalmentsFor(bid: Bid, count: number): { due: string; amountPence: number }[] {
  const kept = (bid.payments ?? []).filter(fullyPaid);
  const left = FUNDER_IDS.reduce((sum, f) => {
    if (bid.shares[f] === undefined || bid.decisions[f] === 'released') return sum;
    return sum + Math.max(0, (bid.shares[f] ?? 0) - kept.reduce((s, i) => s + (i.parts[f] ?? 0), 0));
  }, 0);
  const n = Math.max(1, Math.min(count, left));
  const year = Number(bid.fy.slice(0, 4));
  const dues = [`${year}-06-30`, `${year}-09-30`, `${year}-12-31`];
  const each = Math.floor(left / n);
  return dues.slice(0, n).map((due, k) => ({ due, amountPence: k === n - 1 ? left - each * (n - 1) : each }));
}

const attemptOf = (action: WalkActionName) =>
  fc.record({
    action: fc.constant(action),
    actor: fc.constantFrom(...WALK_ACTIONS[action].actors),
    amountPence: fc.integer({ min: 1, max: 80_000 }),
    pick: fc.integer({ min: 1, max: 3 }),
  });

/** Any action by any actor: the refusals must be clean too. */
const anyAttempt = fc.record({
  action: fc.constantFrom(...ACTIONS),
  actor: fc.constantFrom(...ACTORS),
  amountPence: fc.integer({ min: 1, max: 80_000 }),
  pick: fc.integer({ min: 1, max: 3 }),
});

/**
 * A step is one to three attempts fired at once (two PCCs approving together, an approval racing
 * a decline or a withdrawal…), or one attempt fired two or three times at once (the same
 * instalment released twice, a variation approved twice…). Scripts lean towards the real
 * lifecycle by the weights above, with random actors mixed in.
 */
/** The stage each wave favours, for a bid that starts submitted and for one approved before the walk. */
const LIFECYCLE_STAGES = [0, 1, 1, 2, 2, 3, 3, 3] as const;
const APPROVED_STAGES = [2, 3, 3, 2, 3, 3, 2, 3] as const;
/** Waves per walk: enough for a bid to be recommended, approved, scheduled or varied, and paid. */
export const WAVES = LIFECYCLE_STAGES.length;

/** An attempt taking the actions of `stage` mostly, the neighbouring and earlier stages' sometimes, any action by anyone now and then. */
function attemptFor(stage: number): fc.Arbitrary<WalkAttempt> {
  const factor = (s: number) => (s === stage ? 4 : Math.abs(s - stage) === 1 || s < stage ? 1 : 0);
  return fc.oneof(
    ...ACTIONS.filter((a) => factor(WALK_ACTIONS[a].stage) > 0).map((action) => ({
      weight: WALK_ACTIONS[action].weight * factor(WALK_ACTIONS[action].stage),
      arbitrary: attemptOf(action),
    })),
    { weight: 1, arbitrary: anyAttempt },
  );
}

const stepFor = (stage: number) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(attemptFor(stage), { minLength: 1, maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(attemptFor(stage), fc.integer({ min: 2, max: 3 }))
        .map(([a, times]) => Array.from({ length: times }, () => ({ ...a, race: true }))),
    },
  );
/** A bid's script: a step per wave, the later ones dropped at random (a bid that stops early). */
const scriptOf = (stages: readonly number[]) =>
  fc
    .tuple(fc.tuple(...stages.map((stage) => stepFor(stage))), fc.integer({ min: 1, max: WAVES }))
    .map(([steps, length]): WalkAttempt[][] => steps.slice(0, length));
export const script = scriptOf(LIFECYCLE_STAGES);

/** How many of the walk's six bids are approved before it (walkYear), so most walks reach the money after approval. */
export const PRE_APPROVED = 3;

/** Six scripts, one per bid of the walk: the first three start submitted, the last three approved. */
export const walkScripts = fc
  .tuple(
    fc.array(script, { minLength: 6 - PRE_APPROVED, maxLength: 6 - PRE_APPROVED }),
    fc.array(scriptOf(APPROVED_STAGES), { minLength: PRE_APPROVED, maxLength: PRE_APPROVED }),
  )
  .map(([submitted, approved]) => [...submitted, ...approved]);

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
/** Years an earlier run left broken: never walked again, or every later run there would fail too. */
const brokenYears = new Set<string>();

/**
 * The next year whose earlier runs left it whole. While fast-check shrinks a failure it makes
 * many runs; one that came back to the failing run's year would fail for that run's bids, and
 * the shrunk counterexample would show a script that breaks nothing.
 */
async function wholeYear(api: TestApi): Promise<string> {
  const years = LAST_FY_START - FIRST_FY_START + 1;
  for (let tried = 0; tried < years; tried++) {
    const fy = nextYear();
    if (brokenYears.has(fy)) continue;
    const broken = (await paymentViolations(api, fy)).length > 0 || (await ledgerViolations(api.stack.deps.store, fy)).length > 0;
    if (!broken) return fy;
    brokenYears.add(fy);
  }
  throw new Error(`every financial year the walks may use is broken (${brokenYears.size} of ${years}): see the first failure`);
}

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
  const fy = await wholeYear(api);
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
  // The last bids are recommended and approved first (a third of the pot each at most; a pot too
  // small leaves one recommended or approved by one funder only, which the walk copes with too).
  const amountPence = Math.min(60_000, Math.floor(potPence / 3));
  for (const bid of bids.slice(bids.length - PRE_APPROVED)) {
    const recommended = await api.call<Bid>('board', 'POST', `/bids/${bid.id}/actions/recommend`, {
      body: { amountPence },
      headers: { 'if-match': `"${bid.version}"` },
    });
    expect(recommended.status).toBe(200);
    let current = recommended.body;
    for (const pcc of ['westMerciaPcc', 'warwickshirePcc'] as const) {
      if (current.decisions[pcc === 'westMerciaPcc' ? 'west-mercia' : 'warwickshire'] === undefined) continue;
      const approved = await api.call<Bid>(pcc, 'POST', `/bids/${bid.id}/actions/approve`, {
        body: withConfirmation('approve', {}),
        headers: { 'if-match': `"${current.version}"` },
      });
      if (approved.status === 200) current = approved.body;
    }
  }
  return { fy, fyPath, pots, bids };
}

export type Attempt = WalkAttempt & { bid: Bid };

/** One request as sent: a retry resends it whole, with the same Idempotency-Key. */
export interface Sent {
  attempt: Attempt;
  request: WalkRequest;
  headers: Record<string, string>;
}

export const send = (api: TestApi, sent: Sent) =>
  api.call(sent.attempt.actor, sent.request.method, sent.request.path, { body: sent.request.body, headers: sent.headers });

let keys = 0;

/**
 * Step k of every bid's script runs in wave k: all its attempts, on all bids, race each other.
 * `afterWave` runs once a wave's requests have all answered (the crash walk retries there).
 */
export async function runWaves(
  api: TestApi,
  scripts: readonly (readonly (readonly WalkAttempt[])[])[],
  bids: readonly Bid[],
  onResponse: (attempt: Attempt, response: ApiResponse, sent: Sent) => void,
  afterWave?: () => Promise<void>,
): Promise<void> {
  for (let wave = 0; wave < WAVES; wave++) {
    const attempts = scripts.flatMap((steps, index) => (steps[wave] ?? []).map((a) => ({ ...a, bid: bids[index] as Bid })));
    if (attempts.length === 0) continue;
    await Promise.all(
      attempts.map(async (attempt) => {
        const current = await api.call<Bid>('finance', 'GET', `/bids/${attempt.bid.id}`);
        const action: WalkAction = WALK_ACTIONS[attempt.action];
        const sent: Sent = {
          attempt,
          request: action.request(current.body, attempt),
          headers: {
            ...(action.ownVersion ? {} : { 'if-match': `"${current.body.version}"` }),
            'idempotency-key': `walk-${process.pid}-${++keys}`,
          },
        };
        onResponse(attempt, await send(api, sent), sent);
      }),
    );
    await afterWave?.();
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
      // A funder that approved a pending variation holds the varied share; underspend given back
      // leaves the commitment (docs/design.md §1.2, §3.1).
      .reduce((sum, b) => sum + (expectedShare(b, funder) ?? 0) - (b.returned?.[funder] ?? 0), 0);
    const ledger = budget.funders.find((f) => f.funder === funder);
    expect(ledger?.committedPence).toBe(expected);
    expect(ledger?.remainingPence).toBe(year.pots[funder] - expected);
    expect(ledger?.remainingPence).toBeGreaterThanOrEqual(0);
  }
}

/**
 * The payment invariants of docs/design.md §3.1 over every bid and ledger entry of the year, as a
 * list of what is wrong (empty when whole):
 * - every instalment's parts sum to the instalment, none negative;
 * - no funder is scheduled beyond its share (plus any clawback due), and a schedule that covers the
 *   bid gives every funder parts summing exactly to its share (plus clawback due);
 * - each entry has paid no more than its share (plus clawback due): no release beyond a share;
 * - each entry's paid total is its recorded payments' sum and the bid's paid parts for its funder,
 *   instalment by instalment.
 */
export async function paymentViolations(api: TestApi, fy: string): Promise<string[]> {
  const store = api.stack.deps.store;
  const [ledgers, bids] = await Promise.all([store.getLedgers(fy), store.bidsOfYear(fy)]);
  const violations: string[] = [];
  for (const bid of bids) {
    const payments = bid.payments ?? [];
    payments.forEach((instalment, k) => {
      const parts = Object.values(instalment.parts);
      const sum = parts.reduce<number>((a, p) => a + (p ?? 0), 0);
      if (sum !== instalment.amountPence) violations.push(`${bid.id}#${k + 1}: parts sum to ${sum}, not ${instalment.amountPence}`);
      if (parts.some((p) => (p ?? 0) < 0)) violations.push(`${bid.id}#${k + 1}: a negative part`);
    });
    if (payments.length === 0) continue;
    const scheduled = payments.reduce((a, i) => a + i.amountPence, 0);
    const covered = scheduled >= FUNDER_IDS.reduce((a, f) => a + (bid.shares[f] ?? 0), 0);
    for (const f of FUNDER_IDS) {
      if (bid.shares[f] === undefined) continue;
      const parts = payments.reduce((a, i) => a + (i.parts[f] ?? 0), 0);
      const bound = (bid.shares[f] ?? 0) + (bid.clawbackDue?.[f] ?? 0);
      if (parts > bound || (covered && parts !== bound))
        violations.push(`${bid.id}/${f}: parts sum to ${parts}, share and clawback ${bound}`);
    }
  }
  const byId = new Map(bids.map((b) => [b.id, b]));
  for (const ledger of ledgers) {
    for (const [bidId, entry] of Object.entries(ledger.allocations)) {
      const bid = byId.get(bidId);
      const paid = entry.paidPence ?? 0;
      const recorded = Object.values(entry.payments ?? {}).reduce((a, p) => a + p.partPence, 0);
      const onBid = (bid?.payments ?? []).reduce(
        (a, i) => a + (i.paid[ledger.funder] !== undefined ? (i.parts[ledger.funder] ?? 0) : 0),
        0,
      );
      const where = `${ledger.funder}/${bidId}`;
      if (paid > entry.sharePence + (bid?.clawbackDue?.[ledger.funder] ?? 0))
        violations.push(`${where}: paid ${paid} > share ${entry.sharePence}`);
      if (recorded !== paid) violations.push(`${where}: paid ${paid} but its payments sum to ${recorded}`);
      if (onBid !== paid) violations.push(`${where}: paid ${paid} on the ledger, ${onBid} on the bid`);
      // Payment by payment: the ledger keys each by its instalment's number.
      (bid?.payments ?? []).forEach((i, k) => {
        const ledgerPart = entry.payments?.[String(k + 1)]?.partPence;
        if (i.paid[ledger.funder] !== undefined && ledgerPart !== i.parts[ledger.funder])
          violations.push(`${where}#${k + 1}: the bid paid ${i.parts[ledger.funder]}, the ledger ${ledgerPart}`);
      });
    }
  }
  return violations;
}
