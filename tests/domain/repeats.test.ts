/** domain/repeats.ts: open bids that repeat the project of an earlier one, and how a person is told. */
import fc from 'fast-check';
import { changedColumns, describeRepeat, projectKey, repeatedBids, type ProjectBid } from '../../domain';

const bid = (id: string, overrides: Partial<ProjectBid> = {}): ProjectBid => ({
  id,
  fy: '2025/26',
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  status: 'submitted',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 100_001,
  ...overrides,
});

describe('projectKey', () => {
  it('is the year, lead organisation and title, ignoring case and spacing', () => {
    expect(projectKey(bid('a', { title: '  FARM   watch Cameras ' }))).toBe(projectKey(bid('b')));
    expect(projectKey(bid('a', { title: 'Farm watch cameras 2' }))).not.toBe(projectKey(bid('b')));
    expect(projectKey(bid('a', { leadOrganisation: 'herefordshire' }))).not.toBe(projectKey(bid('b')));
    expect(projectKey(bid('a', { fy: '2026/27' }))).not.toBe(projectKey(bid('b')));
  });
});

describe('changedColumns', () => {
  it('names every intake column that changed, before → after', () => {
    const earlier = bid('FS-000001', { description: 'Old words' });
    expect(changedColumns(earlier, bid('FS-000002', { description: 'Old words' }))).toEqual([]);
    expect(
      changedColumns(bid('FS-000001', { crimeTypes: ['rural', 'business'] }), bid('FS-000002', { crimeTypes: ['business', 'rural'] })),
    ).toEqual([]);
    expect(
      changedColumns(
        earlier,
        bid('FS-000002', {
          requestedPence: 250_000,
          scope: 'west-mercia',
          crimeTypes: ['cyber', 'rural'],
          cyberStrands: ['prevent'],
          description: 'New',
        }),
      ),
    ).toEqual([
      'Requested (£) £1,000.01 → £2,500.00',
      'Scope alliance → west-mercia',
      'Crime types rural → cyber, rural',
      'Cyber strands (none) → prevent',
      'Description reworded',
    ]);
  });
});

describe('repeatedBids', () => {
  it('lists each later open bid of a project with the earlier ones and what it changed; closed bids and other projects are left out', () => {
    const bids = [
      bid('FS-000005', { requestedPence: 250_00 }),
      bid('FS-000002', { requestedPence: 200_00 }),
      bid('FS-000003', { title: 'Something else' }),
      bid('FS-000004', { status: 'withdrawn' }),
      bid('FS-000007', { requestedPence: 250_00, status: 'approved' }),
    ];
    const repeats = repeatedBids(bids);
    expect(repeats.map((r) => [r.bidId, r.earlier.map((e) => e.id), r.changes])).toEqual([
      ['FS-000005', ['FS-000002'], ['Requested (£) £200.00 → £250.00']],
      ['FS-000007', ['FS-000002', 'FS-000005'], []],
    ]);
    expect(describeRepeat(repeats[0]!)).toBe(
      'same title and lead organisation as FS-000002 (submitted, £200.00); changed from FS-000002: Requested (£) £200.00 → £250.00. A corrected resubmission? Withdraw the one not wanted',
    );
    expect(describeRepeat(repeats[1]!)).toBe(
      'same title and lead organisation as FS-000002 (submitted, £200.00), FS-000005 (submitted, £250.00), and nothing else differs: a further item, or sent twice? Withdraw the one not wanted',
    );
  });

  it('for any bids: every open bid but the first of its project is listed once, in id order, and nothing else', () => {
    const bids = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 999 }).map((n) => `FS-${String(n).padStart(6, '0')}`),
        title: fc.constantFrom('Gates', 'gates ', 'Patrol', 'Kit'),
        leadOrganisation: fc.constantFrom('shropshire' as const, 'herefordshire' as const),
        status: fc.constantFrom('submitted' as const, 'approved' as const, 'withdrawn' as const, 'declined' as const),
      }),
      { selector: (b) => b.id, maxLength: 30 },
    );
    fc.assert(
      fc.property(bids, (generated) => {
        const all = generated.map((g) => bid(g.id, g));
        const repeats = repeatedBids(all);
        const open = all.filter((b) => !['withdrawn', 'declined'].includes(b.status));
        const projects = new Set(open.map(projectKey));
        expect(repeats).toHaveLength(open.length - projects.size);
        expect(repeats.map((r) => r.bidId)).toEqual([...repeats.map((r) => r.bidId)].sort());
        for (const r of repeats) {
          const self = all.find((b) => b.id === r.bidId)!;
          expect(r.earlier.length).toBeGreaterThan(0);
          for (const e of r.earlier) {
            expect(projectKey(e)).toBe(projectKey(self));
            expect(e.id < self.id).toBe(true);
          }
        }
      }),
    );
  });
});
