/** The year's report (docs/design.md §1.4): its totals against an independent sum of the bids, over random years. */
import fc from 'fast-check';
import {
  BID_STATUSES,
  buildYearReport,
  CRIME_TYPES,
  CYBER_STRANDS,
  defaultCostShare,
  DECISIONS,
  formatFinancialYear,
  FUNDER_IDS,
  LEAD_ORGANISATION_IDS,
  SCOPES,
  splitAmount,
  type AuditEvent,
  type Bid,
  type MonitoringReturn,
  type ReportTotals,
} from '../../domain';

const costShare = defaultCostShare();

const bidArbitrary = (fy: string, index: number) =>
  fc
    .record({
      status: fc.constantFrom(...BID_STATUSES),
      requestedPence: fc.integer({ min: 1, max: 50_000_000 }),
      recommendedFraction: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      scope: fc.constantFrom(...SCOPES),
      leadOrganisation: fc.constantFrom(...LEAD_ORGANISATION_IDS),
      crimeTypes: fc.subarray([...CRIME_TYPES], { minLength: 1 }),
      strands: fc.subarray([...CYBER_STRANDS], { minLength: 1 }),
      decisions: fc.array(fc.constantFrom(...DECISIONS), { minLength: FUNDER_IDS.length, maxLength: FUNDER_IDS.length }),
      returnedFraction: fc.integer({ min: 0, max: 100 }),
      // Instalments: none, or two halves of each share with some parts paid.
      schedule: fc.option(fc.array(fc.boolean(), { minLength: 2 * FUNDER_IDS.length, maxLength: 2 * FUNDER_IDS.length }), { nil: null }),
    })
    .map((r): Bid => {
      const recommendedPence = r.recommendedFraction === null ? null : Math.floor((r.requestedPence * r.recommendedFraction) / 100);
      const split = splitAmount(recommendedPence ?? r.requestedPence, r.scope, costShare);
      const shares = split.ok ? split.value : {};
      const decisions = Object.fromEntries(Object.keys(shares).map((f, i) => [f, r.decisions[i]!])) as Bid['decisions'];
      // Underspend returned from released shares (docs/design.md §3.1).
      const returned = Object.fromEntries(
        Object.entries(shares)
          .filter(([f]) => decisions[f as keyof Bid['decisions']] === 'released')
          .map(([f, share]) => [f, Math.floor(((share ?? 0) * r.returnedFraction) / 100)]),
      ) as Bid['shares'];
      const funders = Object.keys(shares) as (keyof Bid['shares'])[];
      const payments: Bid['payments'] = r.schedule
        ? [0, 1].map((n) => {
            const parts = Object.fromEntries(
              funders.map((f) => [f, n === 0 ? Math.floor((shares[f] ?? 0) / 2) : (shares[f] ?? 0) - Math.floor((shares[f] ?? 0) / 2)]),
            );
            const paid = Object.fromEntries(
              funders.filter((_, i) => r.schedule![n * FUNDER_IDS.length + i]).map((f) => [f, '2026-06-01T00:00:00.000Z']),
            );
            return { due: '2026-06-01', amountPence: Object.values(parts).reduce((a, b) => a + b, 0), parts, paid };
          })
        : [];
      return {
        ...(payments.length > 0 ? { payments } : {}),
        id: `FS-${String(index).padStart(6, '0')}`,
        fy,
        title: `Bid ${index}`,
        leadOrganisation: r.leadOrganisation,
        scope: r.scope,
        crimeTypes: r.crimeTypes,
        ...(r.crimeTypes.includes('cyber') ? { cyberStrands: r.strands } : {}),
        requestedPence: r.requestedPence,
        status: r.status,
        proposedPence: null,
        recommendedPence,
        shares,
        decisions,
        ...(Object.keys(returned).length > 0 ? { returned } : {}),
        version: 3,
        createdAt: '2026-04-02T00:00:00.000Z',
        updatedAt: '2026-04-02T00:00:00.000Z',
        createdBy: 'x',
        updatedBy: 'x',
      };
    });

const yearArbitrary = fc
  .integer({ min: 2000, max: 2098 })
  .chain((start) =>
    fc
      .integer({ min: 0, max: 25 })
      .chain((n) =>
        fc.tuple(
          fc.constant(formatFinancialYear(start)),
          fc.tuple(...Array.from({ length: n }, (_, i) => bidArbitrary(formatFinancialYear(start), i + 1))),
        ),
      ),
  );

/** The test's own sums, written from the definitions, not from the report's code. */
function independentTotals(bids: readonly Bid[], spend: ReadonlyMap<string, number>): ReportTotals {
  const t: ReportTotals = {
    bids: bids.length,
    requestedPence: 0,
    recommendedPence: 0,
    approvedPence: 0,
    paidPence: 0,
    reportedSpendPence: 0,
    returnedPence: 0,
  };
  for (const bid of bids) {
    if (!['draft', 'withdrawn'].includes(bid.status)) t.requestedPence += bid.requestedPence;
    if (['recommended', 'approved', 'released'].includes(bid.status)) t.recommendedPence += bid.recommendedPence ?? 0;
    if (['recommended', 'approved', 'released'].includes(bid.status)) {
      for (const [funder, decision] of Object.entries(bid.decisions)) {
        const share = bid.shares[funder as keyof Bid['shares']] ?? 0;
        if (decision === 'approved' || decision === 'released') t.approvedPence += share;
        t.returnedPence += bid.returned?.[funder as keyof Bid['shares']] ?? 0;
        // Paid: the paid instalment parts; a funder released with no part of its own in a schedule paid its whole share.
        const parts = (bid.payments ?? []).map((i) => ({ part: i.parts[funder as keyof Bid['shares']] ?? 0, paid: funder in i.paid }));
        const paidParts = parts.filter((p) => p.paid).reduce((a, p) => a + p.part, 0);
        const scheduled = parts.some((p) => p.part > 0);
        t.paidPence += paidParts + (decision === 'released' && !scheduled ? share : 0);
      }
    }
    t.reportedSpendPence += spend.get(bid.id) ?? 0;
  }
  return t;
}

const sumRows = (rows: { totals: ReportTotals }[]) =>
  rows.reduce(
    (s, r) => ({
      bids: s.bids + r.totals.bids,
      requestedPence: s.requestedPence + r.totals.requestedPence,
      recommendedPence: s.recommendedPence + r.totals.recommendedPence,
      approvedPence: s.approvedPence + r.totals.approvedPence,
      paidPence: s.paidPence + r.totals.paidPence,
      reportedSpendPence: s.reportedSpendPence + r.totals.reportedSpendPence,
      returnedPence: s.returnedPence + r.totals.returnedPence,
    }),
    { bids: 0, requestedPence: 0, recommendedPence: 0, approvedPence: 0, paidPence: 0, reportedSpendPence: 0, returnedPence: 0 },
  );

test('property: the totals equal an independent sum of the year’s bids; lead organisations partition them; funders split the money', () => {
  fc.assert(
    fc.property(yearArbitrary, fc.array(fc.integer({ min: 0, max: 1_000_000 })), ([fy, bids], spends) => {
      const returns: MonitoringReturn[] = bids.slice(0, spends.length).map((bid, i) => ({
        bidId: bid.id,
        fy,
        quarter: `${fy.replace('/', '-')}-Q1`,
        status: 'submitted',
        spendToDatePence: spends[i]!,
        actuals: [],
        rag: 'green',
        narrative: 'n',
        dueOn: '2026-07-30',
        version: 1,
        filedAt: '2026-07-01T00:00:00.000Z',
        filedBy: 'x',
        updatedAt: '2026-07-01T00:00:00.000Z',
        history: [],
      }));
      const spend = new Map(returns.map((r) => [r.bidId, r.spendToDatePence]));
      const report = buildYearReport({ fy, costShare, bids, returns, events: [] });
      const expected = independentTotals(bids, spend);
      expect(report.totals).toEqual(expected);
      expect(sumRows(report.byLeadOrganisation)).toEqual(expected);
      const funders = sumRows(report.byFunder);
      expect([funders.approvedPence, funders.paidPence]).toEqual([expected.approvedPence, expected.paidPence]);
      const reporting = bids.filter((b) => b.status === 'approved' || b.status === 'released');
      expect(report.outcomeRag.green + report.outcomeRag.none).toBe(reporting.length);
    }),
  );
});

test('crime types and strands count a bid under each it names; the decisions carry their references, oldest first', () => {
  const bid: Bid = {
    id: 'FS-000001',
    fy: '2026/27',
    title: 'Cyber and rural',
    leadOrganisation: 'shropshire',
    scope: 'alliance',
    crimeTypes: ['rural', 'cyber'],
    cyberStrands: ['protect', 'prepare'],
    requestedPence: 1_000,
    status: 'approved',
    proposedPence: null,
    recommendedPence: 1_000,
    shares: { 'west-mercia': 690, warwickshire: 310 },
    decisions: { 'west-mercia': 'approved', warwickshire: 'approved' },
    version: 4,
    createdAt: '2026-04-02T00:00:00.000Z',
    updatedAt: '2026-04-02T00:00:00.000Z',
    createdBy: 'x',
    updatedBy: 'x',
  };
  const event = (version: number, action: AuditEvent['action'], at: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
    bidId: bid.id,
    at,
    actor: 'a',
    role: 'pcc',
    action,
    from: 'recommended',
    to: 'approved',
    version,
    requestId: 'r',
    ...extra,
  });
  const report = buildYearReport({
    fy: '2026/27',
    costShare,
    bids: [bid],
    returns: [],
    events: [
      event(4, 'approve', '2026-05-03T00:00:00.000Z', { funder: 'warwickshire', amounts: { sharePence: 310 }, reference: 'WPCC-7' }),
      event(1, 'create', '2026-05-01T00:00:00.000Z'),
      event(2, 'recommend', '2026-05-02T00:00:00.000Z', { role: 'board', amounts: { recommendedPence: 1_000 }, reference: 'Minute 4' }),
    ],
  });
  expect(report.byCrimeType.map((r) => [r.crimeType, r.totals.approvedPence])).toEqual([
    ['rural', 1_000],
    ['business', 0],
    ['cyber', 1_000],
  ]);
  expect(report.byCyberStrand.filter((r) => r.totals.bids > 0).map((r) => r.cyberStrand)).toEqual(['prepare', 'protect']);
  expect(report.decisions).toEqual([
    expect.objectContaining({ action: 'recommend', amountPence: 1_000, reference: 'Minute 4', version: 2 }),
    expect.objectContaining({ action: 'approve', funder: 'warwickshire', amountPence: 310, reference: 'WPCC-7', version: 4 }),
  ]);
  expect(report.outcomeRag).toEqual({ green: 0, amber: 0, red: 0, none: 1 });
  expect(report.returnFindings).toEqual([]);
  // With the report's day, check 7 lists the quarters past due.
  const later = buildYearReport({ fy: '2026/27', costShare, bids: [bid], returns: [], events: [], today: '2026-11-01' });
  expect(later.returnFindings.map((f) => `${f.check} ${f.quarter}`)).toEqual(['overdue-return 2026-27-Q1', 'overdue-return 2026-27-Q2']);
});
