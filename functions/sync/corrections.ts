/**
 * Corrected plans: a CSP sends its action plan again with a row changed (an amount fixed, a
 * description reworded). The changed row is new content, so ingest creates a new bid; the bid
 * the first plan made stays. Nothing here changes either bid (which one stands is a person's
 * call, and the earlier one may already be recommended or approved); it finds the earlier bids
 * a new row looks like a correction of, and says so in the file's report.
 *
 * Same project, and closed bids left out, as domain/repeats.ts says (the task pane uses the same
 * rules to list repeats after a pull).
 */
import { changedColumns, describeBids, groupByProject, projectKey, type BidCreate, type ProjectBid } from '../../domain';

/** What an earlier bid needs for the comparison (a bid from the store, or one created earlier in this run). */
export type CorrectionCandidate = ProjectBid;

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
    return bucket.filter((c) => !exclude.has(c.id));
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
      loaded = this.load(fy).then((bids) => groupByProject(bids));
      // A failed load is not kept: the next file asks again.
      loaded.catch(() => this.years.delete(fy));
      this.years.set(fy, loaded);
    }
    return loaded;
  }
}

/** The report's reason for a created bid that repeats the project of `earlier` (non-empty, oldest first). */
export function correctionReason(createdId: string, row: BidCreate, earlier: readonly CorrectionCandidate[]): string {
  const latest = earlier[earlier.length - 1] as CorrectionCandidate;
  const ids = earlier.map((b) => b.id).join(', ');
  const named = describeBids(earlier);
  const changes = changedColumns(latest, row);
  const same = `created ${createdId}, which has the same title and lead organisation as ${named} in ${row.fy}`;
  if (changes.length === 0) {
    return `${same}, and nothing else differs; if it is not a further item, withdraw ${createdId}`;
  }
  return `${same}; changed from ${latest.id}: ${changes.join('; ')}. If ${createdId} replaces ${ids}, withdraw ${earlier.length > 1 ? 'them' : latest.id}`;
}
