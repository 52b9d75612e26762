/**
 * Demo data for a first `npm start`: two financial years at £1.5M split 69/31, and twenty clearly
 * fictional bids across every CSP, Warwickshire, crime type, cyber strand and status. Everything
 * goes through the real use-cases, so ledgers, audit trails and versions are genuine.
 */
import {
  financialYearOf,
  formatFinancialYear,
  parseFinancialYear,
  type Actor,
  type Bid,
  type BidAction,
  type BidCreate,
  type FunderId,
} from '../domain';
import { actOnBid, createBid, proposeAllocations } from '../functions/use-cases/bid-commands';
import { setBudget } from '../functions/use-cases/budget';
import type { UseCaseDeps } from '../functions/use-cases/deps';
import { DEMO_USERS } from './dev-routes';

const user = (sub: string): Actor => {
  const found = DEMO_USERS.find((u) => u.sub === sub);
  if (!found) throw new Error(`no demo user ${sub}`);
  const { name: _name, ...actor } = found;
  return actor;
};

/** A lifecycle action (funder decisions name the funder), or a finance proposal in pence. */
type Step = BidAction | `${'approve' | 'decline' | 'release'}:${FunderId}` | { propose: number };

interface DemoBid {
  bid: Omit<BidCreate, 'fy'>;
  previousYear?: boolean;
  /** Actions after submission, in order; recommend uses the amount given. */
  steps: Step[];
  submit?: boolean;
  recommendPence?: number;
}

const pounds = (value: number) => Math.round(value * 100);

/** Outcome measures a demo bid states when it goes on to approval (docs/design.md §1.4: required then). */
const demoMeasures = (demo: DemoBid): BidCreate['outcomeMeasures'] =>
  demo.bid.crimeTypes.includes('cyber')
    ? [{ measure: 'Businesses given cyber advice', unit: 'businesses', target: 60 }]
    : [
        { measure: 'Premises visited', unit: 'visits', target: 120 },
        { measure: 'Repeat victims', unit: 'victims', target: 10 },
      ];
const approves = (demo: DemoBid) => demo.steps.some((step) => typeof step === 'string' && step.startsWith('approve'));

const DEMO_BIDS: DemoBid[] = [
  {
    bid: {
      title: 'Farm Watch trail cameras (demo)',
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: pounds(18_500),
    },
    steps: ['recommend', 'approve:west-mercia', 'approve:warwickshire'],
  },
  {
    bid: {
      title: 'Quad bike marking days (demo)',
      leadOrganisation: 'herefordshire',
      scope: 'west-mercia',
      crimeTypes: ['rural'],
      requestedPence: pounds(6_200),
    },
    steps: ['recommend', 'approve:west-mercia', 'release:west-mercia'],
  },
  {
    bid: {
      title: 'Cyber Choices schools roadshow (demo)',
      leadOrganisation: 'warwickshire',
      scope: 'warwickshire',
      crimeTypes: ['cyber'],
      cyberStrands: ['prevent'],
      requestedPence: pounds(24_000),
    },
    steps: ['recommend', 'approve:warwickshire'],
  },
  {
    bid: {
      title: 'Small business cyber health checks (demo)',
      description: 'Free cyber health checks for 120 small firms, delivered with the regional cyber crime unit.',
      leadOrganisation: 'telford-and-wrekin',
      scope: 'alliance',
      crimeTypes: ['business', 'cyber'],
      cyberStrands: ['protect', 'prepare'],
      requestedPence: pounds(32_750),
      costLines: [
        { item: 'Assessor days', pence: pounds(27_000) },
        { item: 'Venue and materials', pence: pounds(5_750) },
      ],
    },
    steps: ['recommend', 'approve:west-mercia'],
  },
  {
    bid: {
      title: 'Rural shop CCTV grants (demo)',
      leadOrganisation: 'north-worcestershire',
      scope: 'west-mercia',
      crimeTypes: ['business', 'rural'],
      requestedPence: pounds(15_000),
    },
    steps: ['recommend'],
    recommendPence: pounds(12_000),
  },
  {
    bid: {
      title: 'Heritage crime patrols (demo)',
      leadOrganisation: 'south-worcestershire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: pounds(9_800),
    },
    steps: [],
  },
  {
    bid: {
      title: 'Fuel theft tank alarms (demo)',
      leadOrganisation: 'warwickshire',
      scope: 'alliance',
      crimeTypes: ['rural', 'business'],
      requestedPence: 1_234_567,
    },
    steps: [{ propose: 1_000_000 }],
  },
  {
    bid: {
      title: 'Ransomware tabletop exercises (demo)',
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['cyber'],
      cyberStrands: ['prepare'],
      requestedPence: pounds(21_000),
    },
    steps: ['request-info'],
  },
  {
    bid: {
      title: 'Shop Watch radio scheme (demo)',
      leadOrganisation: 'herefordshire',
      scope: 'west-mercia',
      crimeTypes: ['business'],
      requestedPence: pounds(7_500),
    },
    submit: false,
    steps: [],
  },
  {
    bid: {
      title: 'Hare coursing signage (demo)',
      leadOrganisation: 'warwickshire',
      scope: 'warwickshire',
      crimeTypes: ['rural'],
      requestedPence: pounds(3_250),
    },
    steps: ['not-recommend'],
  },
  {
    bid: {
      title: 'Romance fraud awareness (demo)',
      leadOrganisation: 'telford-and-wrekin',
      scope: 'west-mercia',
      crimeTypes: ['cyber'],
      cyberStrands: ['prevent', 'protect'],
      requestedPence: pounds(4_800),
    },
    steps: ['recommend', 'decline:west-mercia'],
  },
  {
    bid: {
      title: 'Equine tack marking (demo)',
      leadOrganisation: 'north-worcestershire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: 290_050,
    },
    steps: ['withdraw'],
  },
  {
    bid: {
      title: 'Business crime partnership coordinator (demo)',
      leadOrganisation: 'warwickshire',
      scope: 'alliance',
      crimeTypes: ['business'],
      requestedPence: pounds(45_000),
    },
    steps: ['recommend', 'approve:warwickshire', 'approve:west-mercia'],
  },
  {
    bid: {
      title: 'Cyber pursue investigator training (demo)',
      leadOrganisation: 'south-worcestershire',
      scope: 'alliance',
      crimeTypes: ['cyber'],
      cyberStrands: ['pursue'],
      requestedPence: pounds(28_000),
    },
    steps: ['recommend'],
  },
  {
    bid: {
      title: 'Livestock worrying campaign (demo)',
      leadOrganisation: 'shropshire',
      scope: 'west-mercia',
      crimeTypes: ['rural'],
      requestedPence: pounds(5_600),
    },
    steps: [],
  },
  {
    bid: {
      title: 'Retail crime banning orders (demo)',
      leadOrganisation: 'telford-and-wrekin',
      scope: 'west-mercia',
      crimeTypes: ['business'],
      requestedPence: pounds(11_200),
    },
    steps: ['recommend', 'approve:west-mercia'],
  },
  {
    bid: {
      title: 'SmartWater kits for farms (demo)',
      leadOrganisation: 'herefordshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: pounds(19_990),
    },
    steps: [{ propose: pounds(15_000) }],
  },
  {
    bid: {
      title: 'Phishing simulation for charities (demo)',
      leadOrganisation: 'warwickshire',
      scope: 'warwickshire',
      crimeTypes: ['cyber'],
      cyberStrands: ['protect'],
      requestedPence: pounds(8_400),
    },
    submit: false,
    steps: [],
  },
  {
    bid: {
      title: 'Rural crime officer vehicle (demo)',
      leadOrganisation: 'shropshire',
      scope: 'alliance',
      crimeTypes: ['rural'],
      requestedPence: pounds(40_000),
    },
    previousYear: true,
    steps: ['recommend', 'approve:west-mercia', 'approve:warwickshire', 'release:west-mercia', 'release:warwickshire'],
  },
  {
    bid: {
      title: 'Cyber protect webinars (demo)',
      leadOrganisation: 'north-worcestershire',
      scope: 'west-mercia',
      crimeTypes: ['cyber'],
      cyberStrands: ['protect'],
      requestedPence: pounds(6_000),
    },
    previousYear: true,
    steps: ['recommend', 'approve:west-mercia', 'release:west-mercia'],
  },
];

export interface SeedSummary {
  years: string[];
  bids: number;
}

/** The financial years the demo uses: the current one and the one before. */
export function demoYears(now: Date): [string, string] {
  const current = financialYearOf(now);
  const start = parseFinancialYear(current);
  const previous = start.ok ? formatFinancialYear(start.value - 1) : current;
  return [current, previous];
}

export async function seedDemoData(deps: UseCaseDeps): Promise<SeedSummary> {
  const [current, previous] = demoYears(deps.now());
  const admin = user('admin.demo');
  for (const fy of [previous, current]) {
    const budget = await setBudget(deps, fy, { fundPence: 150_000_000 }, admin);
    if (!budget.ok) throw new Error(`seeding the ${fy} budget failed: ${budget.error.message}`);
  }
  let count = 0;
  for (const demo of DEMO_BIDS) {
    const submitter = user(`bids.${demo.bid.leadOrganisation}.demo`);
    const created = await createBid(
      deps,
      {
        ...demo.bid,
        ...(approves(demo) && !demo.bid.outcomeMeasures ? { outcomeMeasures: demoMeasures(demo) } : {}),
        fy: demo.previousYear ? previous : current,
        submit: demo.submit ?? true,
      },
      {
        actor: submitter,
        requestId: deps.newRequestId(),
      },
    );
    if (!created.ok) throw new Error(`seeding "${demo.bid.title}" failed: ${created.error.message}`);
    let bid: Bid = created.value;
    for (const step of demo.steps) {
      bid = await applyStep(deps, bid, step, demo, submitter);
    }
    count++;
  }
  return { years: [previous, current], bids: count };
}

async function applyStep(deps: UseCaseDeps, bid: Bid, step: Step, demo: DemoBid, submitter: Actor): Promise<Bid> {
  const requestId = deps.newRequestId();
  if (typeof step === 'object') {
    const [result] = await proposeAllocations(deps, [{ bidId: bid.id, version: bid.version, proposedPence: step.propose }], {
      actor: user('finance.demo'),
      requestId,
    });
    if (result?.status !== 'ok' || !result.bid) throw new Error(`seeding a proposal on ${bid.id} failed: ${result?.reason}`);
    return result.bid;
  }
  const [action, funder] = step.split(':') as [BidAction, FunderId | undefined];
  const actor = funder ? user(`pcc.${funder}.demo`) : action === 'withdraw' ? submitter : user('board.demo');
  // Approvals confirm the register of interests, as the PCC's decision notice does.
  const body =
    action === 'recommend'
      ? { amountPence: demo.recommendPence ?? bid.requestedPence }
      : action === 'approve'
        ? { interestsConfirmed: true }
        : {};
  const result = await actOnBid(deps, bid.id, action, body, bid.version, { actor, requestId });
  if (!result.ok) throw new Error(`seeding ${action} on ${bid.id} failed: ${result.error.message}`);
  return result.value;
}
