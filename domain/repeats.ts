/**
 * Repeated projects: two open bids of one financial year with the same lead organisation and
 * the same title (ignoring case and spacing). Most often a corrected plan sent again, whose
 * changed row became a new bid beside the first; sometimes a genuine further item. Nothing
 * here decides which bid stands: ingest reports it beside the file, the task pane lists it
 * after a pull, and a person withdraws the one not wanted.
 */
import { CLOSED_STATUSES } from './ledger';
import { formatPounds } from './money';
import type { Bid } from './schemas/bid';

/** What comparing two bids of a project needs. */
export type ProjectBid = Pick<
  Bid,
  'id' | 'fy' | 'title' | 'leadOrganisation' | 'status' | 'scope' | 'crimeTypes' | 'cyberStrands' | 'requestedPence' | 'description'
>;

/** Bids of one project share this key: financial year, lead organisation, title ignoring case and spacing. */
export function projectKey(bid: Pick<Bid, 'fy' | 'leadOrganisation' | 'title'>): string {
  return [bid.fy, bid.leadOrganisation, bid.title.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()].join('\u0000');
}

/**
 * The open bids of each project, each list in id order (bid ids count up, so that is the order
 * they were made in). Closed bids (over without being funded: CLOSED_STATUSES, domain/ledger.ts)
 * are left out: one repeating them is a new bid, not a repeat to flag.
 */
export function groupByProject<T extends Pick<ProjectBid, 'id' | 'fy' | 'leadOrganisation' | 'title' | 'status'>>(
  bids: Iterable<T>,
): Map<string, T[]> {
  const byProject = new Map<string, T[]>();
  for (const bid of [...bids].filter((b) => !CLOSED_STATUSES.has(b.status)).sort((a, b) => a.id.localeCompare(b.id))) {
    const key = projectKey(bid);
    byProject.set(key, [...(byProject.get(key) ?? []), bid]);
  }
  return byProject;
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
const list = (values: readonly string[] = []) => (values.length > 0 ? values.join(', ') : '(none)');

/** The intake columns in which `later` differs from `earlier`, with before → after. */
export function changedColumns(
  earlier: Pick<ProjectBid, 'requestedPence' | 'scope' | 'crimeTypes' | 'cyberStrands' | 'description'>,
  later: Pick<ProjectBid, 'requestedPence' | 'scope' | 'crimeTypes' | 'cyberStrands' | 'description'>,
): string[] {
  const changes: string[] = [];
  if (earlier.requestedPence !== later.requestedPence) {
    changes.push(`Requested (£) ${formatPounds(earlier.requestedPence)} → ${formatPounds(later.requestedPence)}`);
  }
  if (earlier.scope !== later.scope) changes.push(`Scope ${earlier.scope} → ${later.scope}`);
  if (!sameSet(earlier.crimeTypes, later.crimeTypes)) changes.push(`Crime types ${list(earlier.crimeTypes)} → ${list(later.crimeTypes)}`);
  if (!sameSet(earlier.cyberStrands, later.cyberStrands)) {
    changes.push(`Cyber strands ${list(earlier.cyberStrands)} → ${list(later.cyberStrands)}`);
  }
  if ((earlier.description ?? '') !== (later.description ?? '')) changes.push('Description reworded');
  return changes;
}

/** "FS-000002 (submitted, £200.00), FS-000003 (approved, £250.00)" */
export function describeBids(bids: readonly Pick<ProjectBid, 'id' | 'status' | 'requestedPence'>[]): string {
  return bids.map((b) => `${b.id} (${b.status}, ${formatPounds(b.requestedPence)})`).join(', ');
}

export interface RepeatedBid {
  bidId: string;
  title: string;
  /** The open bids of the same project made before it (lower ids), oldest first. */
  earlier: ProjectBid[];
  /** What it changes from the latest of those. */
  changes: string[];
}

/**
 * Every open bid that repeats the project of an earlier open bid (bid ids count up, so a lower
 * id is an earlier bid), in id order. The first bid of a project is never listed.
 */
export function repeatedBids(bids: Iterable<ProjectBid>): RepeatedBid[] {
  const repeats: RepeatedBid[] = [];
  for (const project of groupByProject(bids).values()) {
    project.forEach((bid, i) => {
      if (i === 0) return;
      const earlier = project.slice(0, i);
      repeats.push({ bidId: bid.id, title: bid.title, earlier, changes: changedColumns(earlier[i - 1] as ProjectBid, bid) });
    });
  }
  return repeats.sort((a, b) => a.bidId.localeCompare(b.bidId));
}

/** One line for a person: what it repeats, what changed, what to do. */
export function describeRepeat(repeat: RepeatedBid): string {
  const same = `same title and lead organisation as ${describeBids(repeat.earlier)}`;
  if (repeat.changes.length === 0) return `${same}, and nothing else differs: a further item, or sent twice? Withdraw the one not wanted`;
  const latest = repeat.earlier[repeat.earlier.length - 1] as ProjectBid;
  return `${same}; changed from ${latest.id}: ${repeat.changes.join('; ')}. A corrected resubmission? Withdraw the one not wanted`;
}
