/** functions/sync/corrections.ts: which earlier bids a newly ingested row may correct, and how the report says it. */
import type { BidCreate } from '../../domain';
import { correctionReason, KnownBids, type CorrectionCandidate } from '../../functions/sync/corrections';
import { bidBody } from '../support/fund';

const candidate = (id: string, overrides: Partial<CorrectionCandidate> = {}): CorrectionCandidate => {
  const { fy, title, leadOrganisation, scope, crimeTypes, requestedPence } = bidBody();
  return { id, fy, title, leadOrganisation, scope, crimeTypes, requestedPence, status: 'submitted', ...overrides };
};
const row = (overrides: Partial<BidCreate> = {}): BidCreate => bidBody(overrides);
const known = (bids: CorrectionCandidate[]) => new KnownBids(async () => bids);
const none = new Set<string>();
const ids = (bids: readonly CorrectionCandidate[]) => bids.map((b) => b.id);

describe('KnownBids.earlierBidsOf', () => {
  it('matches the same project: year, lead organisation and title, ignoring case and spacing', async () => {
    const bids = known([
      candidate('FS-000003'),
      candidate('FS-000001', { title: '  farm  WATCH cameras ' }),
      candidate('FS-000004', { title: 'Farm watch cameras (phase 2)' }),
      candidate('FS-000005', { leadOrganisation: 'herefordshire' }),
      candidate('FS-000006', { fy: '2026/27' }),
    ]);
    expect(ids(await bids.earlierBidsOf(row({ requestedPence: 5 }), none))).toEqual(['FS-000001', 'FS-000003']);
    expect(ids(await bids.earlierBidsOf(row({ title: 'Something else' }), none))).toEqual([]);
  });

  it('leaves out closed bids and the row’s own file’s bids', async () => {
    const bids = known([
      candidate('FS-000001', { status: 'withdrawn' }),
      candidate('FS-000002', { status: 'declined' }),
      candidate('FS-000003', { status: 'not-recommended' }),
      candidate('FS-000004', { status: 'approved' }),
      candidate('FS-000005', { status: 'draft' }),
      candidate('FS-000006'),
    ]);
    expect(ids(await bids.earlierBidsOf(row(), new Set(['FS-000006'])))).toEqual(['FS-000004', 'FS-000005']);
  });

  it('loads each year once, keeps the bids the run adds (once each), and asks again after a failed load', async () => {
    const loads: string[] = [];
    let fail = true;
    const bids = new KnownBids(async (fy) => {
      loads.push(fy);
      if (fail) throw new Error('store unavailable');
      return [candidate('FS-000001', { fy })];
    });
    await expect(bids.earlierBidsOf(row(), none)).rejects.toThrow('store unavailable');
    fail = false;
    await bids.add(candidate('FS-000002'));
    await bids.add(candidate('FS-000002'));
    expect(ids(await bids.earlierBidsOf(row(), none))).toEqual(['FS-000001', 'FS-000002']);
    expect(ids(await bids.earlierBidsOf(row({ fy: '2026/27' }), none))).toEqual(['FS-000001']);
    expect(loads).toEqual(['2025/26', '2025/26', '2026/27']);
  });
});

describe('the report', () => {
  it('says what to withdraw: the earlier bid when something changed, the new one when nothing did', () => {
    const one = [candidate('FS-000001')];
    expect(correctionReason('FS-000009', row({ requestedPence: 90_000 }), one)).toBe(
      'created FS-000009, which has the same title and lead organisation as FS-000001 (submitted, £1,000.01) in 2025/26; changed from FS-000001: Requested (£) £1,000.01 → £900.00. If FS-000009 replaces FS-000001, withdraw FS-000001',
    );
    const two = [candidate('FS-000001'), candidate('FS-000002', { status: 'approved', requestedPence: 80_000 })];
    expect(correctionReason('FS-000009', row({ requestedPence: 90_000 }), two)).toBe(
      'created FS-000009, which has the same title and lead organisation as FS-000001 (submitted, £1,000.01), FS-000002 (approved, £800.00) in 2025/26; changed from FS-000002: Requested (£) £800.00 → £900.00. If FS-000009 replaces FS-000001, FS-000002, withdraw them',
    );
    expect(correctionReason('FS-000009', row(), one)).toBe(
      'created FS-000009, which has the same title and lead organisation as FS-000001 (submitted, £1,000.01) in 2025/26, and nothing else differs; if it is not a further item, withdraw FS-000009',
    );
  });
});
