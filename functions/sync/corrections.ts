/**
 * Corrected plans: a CSP sends its action plan again with a row changed (an amount fixed, a
 * description reworded). The changed row is new content, so ingest creates a new bid; the bid
 * the first plan made stays. Nothing here changes either bid (which one stands is a person's
 * call, and the earlier one may already be recommended or approved); it finds the earlier bids
 * a new row looks like a correction of, and says so in the file's report.
 *
 * Same project = same financial year, same lead organisation, same title (ignoring case and
 * spacing). Closed bids (withdrawn, declined, not recommended) are not counted: they hold no money.
 */
import { formatPounds, type Bid, type BidCreate } from '../../domain';

/** Bids that are over: a later row repeating one of them is a new bid, not a correction to flag. */
const CLOSED_STATUSES: ReadonlySet<Bid['status']> = new Set(['withdrawn', 'declined', 'not-recommended']);

/** What an earlier bid needs for the comparison (a bid from the store, or one created earlier in this run). */
export type CorrectionCandidate = Pick<
  Bid,
  'id' | 'fy' | 'title' | 'leadOrganisation' | 'status' | 'scope' | 'crimeTypes' | 'cyberStrands' | 'requestedPence' | 'description'
>;

/** Bids of one project share this key: financial year, lead organisation, title ignoring case and spacing. */
export function projectKey(bid: Pick<Bid, 'fy' | 'leadOrganisation' | 'title'>): string {
  return [bid.fy, bid.leadOrganisation, bid.title.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()].join('\u0000');
}

/**
 * The bids of each year a run has looked at, by project key: loaded from the store once per year
 * and run, then kept up to date with the bids the run creates (so a plan and its correction
 * dropped together are still compared).
 */
export class KnownBids {
  private readonly years = new Map<string, Promise<Map<string, CorrectionCandidate[]>>>();

  constructor(private readonly load: (fy: string) => Promise<readonly CorrectionCandidate[]>) {}

  /** The open bids `row` repeats the project of, oldest first, leaving out `exclude` (the row's own file's bids). */
  async earlierBidsOf(row: BidCreate, exclude: ReadonlySet<string>): Promise<CorrectionCandidate[]> {
    const bucket = (await this.year(row.fy)).get(projectKey(row)) ?? [];
    return bucket.filter((c) => !exclude.has(c.id) && !CLOSED_STATUSES.has(c.status));
  }

  /** A bid this run created (or found created by an interrupted run). */
  async add(bid: CorrectionCandidate): Promise<void> {
    const byKey = await this.year(bid.fy);
    const key = projectKey(bid);
    const bucket = byKey.get(key) ?? [];
    if (!bucket.some((c) => c.id === bid.id)) byKey.set(key, [...bucket, bid]);
  }

  private year(fy: string): Promise<Map<string, CorrectionCandidate[]>> {
    let loaded = this.years.get(fy);
    if (!loaded) {
      loaded = this.load(fy).then((bids) => {
        const byKey = new Map<string, CorrectionCandidate[]>();
        // Bid ids count up, so id order is creation order.
        for (const bid of [...bids].sort((a, b) => a.id.localeCompare(b.id))) {
          const key = projectKey(bid);
          byKey.set(key, [...(byKey.get(key) ?? []), bid]);
        }
        return byKey;
      });
      // A failed load is not kept: the next file asks again.
      loaded.catch(() => this.years.delete(fy));
      this.years.set(fy, loaded);
    }
    return loaded;
  }
}

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');
const list = (values: readonly string[] = []) => (values.length > 0 ? values.join(', ') : '(none)');

/** The intake columns in which the row differs from the earlier bid, with before → after. */
export function changedColumns(earlier: CorrectionCandidate, row: BidCreate): string[] {
  const changes: string[] = [];
  if (earlier.requestedPence !== row.requestedPence) {
    changes.push(`Requested (£) ${formatPounds(earlier.requestedPence)} → ${formatPounds(row.requestedPence)}`);
  }
  if (earlier.scope !== row.scope) changes.push(`Scope ${earlier.scope} → ${row.scope}`);
  if (!sameSet(earlier.crimeTypes, row.crimeTypes)) changes.push(`Crime types ${list(earlier.crimeTypes)} → ${list(row.crimeTypes)}`);
  if (!sameSet(earlier.cyberStrands, row.cyberStrands)) {
    changes.push(`Cyber strands ${list(earlier.cyberStrands)} → ${list(row.cyberStrands)}`);
  }
  if ((earlier.description ?? '') !== (row.description ?? '')) changes.push('Description reworded');
  return changes;
}

/** The report's reason for a created bid that repeats the project of `earlier` (non-empty, oldest first). */
export function correctionReason(createdId: string, row: BidCreate, earlier: readonly CorrectionCandidate[]): string {
  const latest = earlier[earlier.length - 1] as CorrectionCandidate;
  const ids = earlier.map((b) => b.id).join(', ');
  const named = earlier.map((b) => `${b.id} (${b.status}, ${formatPounds(b.requestedPence)})`).join(', ');
  const changes = changedColumns(latest, row);
  const same = `created ${createdId}, which has the same title and lead organisation as ${named} in ${row.fy}`;
  if (changes.length === 0) {
    return `${same}, and nothing else differs; if it is not a further item, withdraw ${createdId}`;
  }
  return `${same}; changed from ${latest.id}: ${changes.join('; ')}. If ${createdId} replaces ${ids}, withdraw ${earlier.length > 1 ? 'them' : latest.id}`;
}
