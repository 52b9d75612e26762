/**
 * The bench's bids: a deterministic, realistic financial year (titles and descriptions, cost
 * lines, crime types with cyber strands, every status with its decisions and ledger entries,
 * changes spread over months), seeded straight through the store port with some concurrency.
 * Every bid is checked against the domain's bid schema before it is written.
 */
import {
  bidSchema,
  FUNDER_IDS,
  fundedAmount,
  LEAD_ORGANISATIONS,
  organisationName,
  splitAmount,
  type AuditEvent,
  type Bid,
  type BidStatus,
  type CostShare,
  type CrimeType,
  type CyberStrand,
  type FunderId,
  type LeadOrganisationId,
  type Scope,
} from '../../domain';
import { inParallel } from '../../functions/concurrency';
import { formatBidId } from '../../functions/store/keys';
import type { FundStore } from '../../functions/store/types';
import { prng } from '../support/prng';

const PROJECTS = [
  'Farm watch cameras',
  'Rural crime patrol fuel and overtime',
  'Quad bike and trailer marking',
  'Heritage crime awareness',
  'Fly-tipping hotspot CCTV',
  'Shop theft radio scheme',
  'Business crime reduction partnership',
  'Cyber resilience workshops for SMEs',
  'Scam awareness for older people',
  'Fuel theft prevention & alarms',
  'Livestock worrying signage',
  'Equine crime tack marking',
  "Retailers' safety training",
  'Ransomware table-top exercises',
  'Dark-sky poaching drone',
  'Night-time economy business watch',
  'Café & pub cyber hygiene checks',
  'Agricultural machinery GPS trackers',
];
const PLACES = [
  'Ludlow',
  'Leominster',
  'Bridgnorth',
  'Oswestry',
  'Wellington',
  'Kidderminster',
  'Evesham',
  'Malvern',
  'Stratford',
  'Rugby',
];
const COST_ITEMS = ['Equipment', 'Staff time', 'Training', 'Printing and signage', 'Licences', 'Installation', 'Evaluation', 'Venue hire'];
const STRANDS: readonly CyberStrand[] = ['pursue', 'prevent', 'prepare', 'protect'];

/** Share of bids in each status: an oversubscribed fund, most bids still in play, a few in a hundred funded. */
const STATUS_MIX: readonly [BidStatus, number][] = [
  ['draft', 0.08],
  ['submitted', 0.32],
  ['info-requested', 0.08],
  ['recommended', 0.14],
  ['not-recommended', 0.12],
  ['approved', 0.05],
  ['declined', 0.05],
  ['released', 0.02],
  ['withdrawn', 0.14],
];
const VERSION_OF: Record<BidStatus, number> = {
  draft: 1,
  submitted: 2,
  'info-requested': 3,
  recommended: 4,
  'not-recommended': 4,
  approved: 6,
  declined: 5,
  released: 8,
  withdrawn: 3,
};

export interface LedgerEntry {
  bidId: string;
  funder: FunderId;
  sharePence: number;
  released: boolean;
  at: string;
  requestId: string;
}

export interface SeededBid {
  bid: Bid;
  /** The audit event of the bid's latest version (written with the bid and copied to the trail). */
  event: AuditEvent;
}

export interface BenchDataset {
  fy: string;
  bids: SeededBid[];
  entries: LedgerEntry[];
  /** What the year's ledgers must hold for every entry to fit. */
  committedByFunder: Record<FunderId, number>;
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

function pickStatus(rnd: () => number): BidStatus {
  let x = rnd();
  for (const [status, share] of STATUS_MIX) {
    if (x < share) return status;
    x -= share;
  }
  return 'submitted';
}

/** Amounts a CSP asks for: mostly a few thousand pounds, now and then tens of thousands. */
function requestedPence(rnd: () => number): number {
  const pounds = Math.round(Math.exp(Math.log(250) + rnd() * (Math.log(40_000) - Math.log(250))));
  return rnd() < 0.7 ? pounds * 100 : pounds * 100 + Math.floor(rnd() * 100);
}

function costLines(rnd: () => number, total: number): { item: string; pence: number }[] | undefined {
  if (rnd() < 0.45) return undefined;
  const count = 1 + Math.floor(rnd() * 5);
  const lines: { item: string; pence: number }[] = [];
  let left = total;
  for (let i = 0; i < count && left > 0; i++) {
    const pence = i === count - 1 ? left : Math.min(left, Math.max(1, Math.floor(left * (0.2 + rnd() * 0.5))));
    lines.push({ item: `${pick(rnd, COST_ITEMS)} ${i + 1}`, pence });
    left -= pence;
  }
  if (left > 0) (lines[lines.length - 1] as { pence: number }).pence += left;
  return lines;
}

/**
 * One year of bids. Statuses from recommended on carry the board's amount and its split; approved,
 * released and some half-decided alliance bids hold ledger entries. Changes are spread over the
 * `spreadDays` before `now`, so the change feed orders them as a real year would.
 */
export function makeDataset(options: {
  count: number;
  fy: string;
  now: Date;
  costShare: CostShare;
  seed?: number;
  spreadDays?: number;
}): BenchDataset {
  const rnd = prng(options.seed ?? 20_261_129);
  const spreadMs = (options.spreadDays ?? 200) * 86_400_000;
  const end = options.now.getTime() - 3_600_000;
  const bids: SeededBid[] = [];
  const entries: LedgerEntry[] = [];
  const committedByFunder = Object.fromEntries(FUNDER_IDS.map((f) => [f, 0])) as Record<FunderId, number>;
  for (let n = 1; n <= options.count; n++) {
    const id = formatBidId(n);
    const lead = pick(rnd, LEAD_ORGANISATIONS);
    const leadId = lead.id as LeadOrganisationId;
    const scope: Scope = rnd() < 0.35 ? 'alliance' : lead.funder;
    const types = new Set<CrimeType>([pick(rnd, ['rural', 'business', 'cyber'] as const)]);
    if (rnd() < 0.3) types.add(pick(rnd, ['rural', 'business', 'cyber'] as const));
    const crimeTypes = [...types];
    const cyberStrands = crimeTypes.includes('cyber') ? [...new Set([pick(rnd, STRANDS), pick(rnd, STRANDS)])] : undefined;
    const requested = requestedPence(rnd);
    const status = pickStatus(rnd);
    const decided = ['recommended', 'approved', 'declined', 'released'].includes(status);
    const recommendedPence = decided ? Math.max(100, Math.floor((requested * (0.6 + rnd() * 0.4)) / 100) * 100) : null;
    const proposedPence = !decided && status !== 'draft' && rnd() < 0.25 ? Math.floor((requested * (0.5 + rnd() * 0.5)) / 100) * 100 : null;
    const split = splitAmount(fundedAmount({ recommendedPence, proposedPence, requestedPence: requested }), scope, options.costShare);
    if (!split.ok) throw new Error(split.error.message);
    const shares = split.value;
    const funders = FUNDER_IDS.filter((f) => shares[f] !== undefined);
    const decisions: Bid['decisions'] = {};
    let held: FunderId[] = [];
    let released = false;
    if (status === 'recommended') {
      for (const f of funders) decisions[f] = 'pending';
      // Some alliance bids have one funder's approval in already: its share is held.
      if (funders.length > 1 && rnd() < 0.25) {
        decisions[funders[0] as FunderId] = 'approved';
        held = [funders[0] as FunderId];
      }
    } else if (status === 'approved') {
      for (const f of funders) decisions[f] = 'approved';
      held = funders;
    } else if (status === 'released') {
      for (const f of funders) decisions[f] = 'released';
      held = funders;
      released = true;
    } else if (status === 'declined') {
      for (const f of funders) decisions[f] = 'pending';
      decisions[pick(rnd, funders)] = 'declined';
    }
    const updatedMs = end - Math.floor(rnd() * spreadMs);
    const createdMs = updatedMs - Math.floor(rnd() * 30 * 86_400_000);
    const updatedAt = new Date(updatedMs).toISOString();
    const version = VERSION_OF[status];
    const description =
      rnd() < 0.6
        ? `${pick(rnd, PROJECTS)} across ${pick(rnd, PLACES)} and surrounding parishes, worked up with the local policing superintendent. `.repeat(
            1 + Math.floor(rnd() * 4),
          )
        : undefined;
    const bid = bidSchema.parse({
      id,
      fy: options.fy,
      title: `${pick(rnd, PROJECTS)} — ${pick(rnd, PLACES)} (${organisationName(leadId)}) ${n}`,
      ...(description ? { description: description.trim() } : {}),
      leadOrganisation: leadId,
      scope,
      crimeTypes,
      ...(cyberStrands ? { cyberStrands } : {}),
      requestedPence: requested,
      ...(() => {
        const lines = costLines(rnd, requested);
        return lines ? { costLines: lines } : {};
      })(),
      status,
      proposedPence,
      recommendedPence,
      shares,
      decisions,
      version,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt,
      createdBy: 'bench-submitter',
      updatedBy: held.length > 0 ? 'bench-pcc' : 'bench-finance',
    });
    const requestId = `bench-${id}-v${version}`;
    const event: AuditEvent = {
      bidId: id,
      at: updatedAt,
      actor: bid.updatedBy,
      role: held.length > 0 ? 'pcc' : 'finance',
      action: status === 'draft' ? 'create' : status === 'approved' ? 'approve' : status === 'released' ? 'release' : 'submit',
      from: null,
      to: status,
      version,
      requestId,
    };
    bids.push({ bid, event });
    for (const funder of held) {
      const sharePence = shares[funder] as number;
      entries.push({ bidId: id, funder, sharePence, released, at: updatedAt, requestId });
      committedByFunder[funder] += sharePence;
    }
  }
  return { fy: options.fy, bids, entries, committedByFunder };
}

/**
 * Write the dataset through the store port: each bid with its audit event in the outbox, the event
 * copied to the trail, and each ledger entry committed (and released) by the store's own
 * conditional ledger writes. The year's budget and ledgers must exist, with room for the entries.
 */
export async function seedDataset(store: FundStore, dataset: BenchDataset, concurrency = 8): Promise<void> {
  await inParallel(dataset.bids, concurrency, async ({ bid, event }) => {
    if ((await store.insertBid(bid, event, event.requestId)) !== 'created') throw new Error(`bid ${bid.id} already exists`);
    await store.recordEvents([event]);
  });
  // One writer per ledger: writes to one item serialise anyway.
  await Promise.all(
    FUNDER_IDS.map(async (funder) => {
      for (const entry of dataset.entries.filter((e) => e.funder === funder)) {
        const outcome = await store.commitShare(dataset.fy, funder, entry.bidId, {
          sharePence: entry.sharePence,
          state: 'committed',
          by: 'bench-pcc',
          at: entry.at,
          requestId: entry.requestId,
        });
        if (outcome.kind !== 'committed') throw new Error(`seeding ${entry.bidId} on ${funder}: ${outcome.kind}`);
        if (entry.released && (await store.releaseShare(dataset.fy, funder, entry.bidId)).kind !== 'released') {
          throw new Error(`releasing ${entry.bidId} on ${funder} failed`);
        }
      }
    }),
  );
}
