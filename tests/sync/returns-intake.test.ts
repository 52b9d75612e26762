/**
 * Monitoring returns through the intake (docs/sync.md): a file headed Bid ID, Quarter, Spend to
 * date (£), Measure, Actual, RAG, Narrative files one return per bid and quarter; bad rows are
 * reported beside the file like bid rows, and the same file never files twice.
 */
import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bid } from '../../domain';
import { readCsv } from '../../functions/sync/intake-table';
import { parseReturnsIntake } from '../../functions/sync/intake-returns';
import { act, createBid, setPots } from '../support/fund';
import { completed, startSyncHarness, type SyncHarness } from './harness';

const HEADER = 'Bid ID,Quarter,Spend to date (£),Measure,Actual,RAG,Narrative';
const parsed = (lines: string[]) => parseReturnsIntake([readCsv(new TextEncoder().encode([HEADER, ...lines].join('\n')))]);

describe('parsing', () => {
  test('rows of one bid and quarter make one return with an actual per measure; spend to the penny; RAG in any case', () => {
    const result = parsed([
      'FS-000001,2025-26-Q2,"£1,000.01",Farms visited,35,Amber,Behind on visits',
      'FS-000001,2025-26-Q2,"£1,000.01",Repeat victims,2,amber,Behind on visits',
      'FS-000002,2025-26-q1,0,,,green,Not started',
    ]);
    expect(result).toEqual({
      ok: true,
      parsed: {
        rows: 3,
        issues: [],
        filings: [
          {
            rows: [2, 3],
            bidId: 'FS-000001',
            quarter: '2025-26-Q2',
            input: {
              spendToDatePence: 100_001,
              actuals: [
                { measure: 'Farms visited', value: 35 },
                { measure: 'Repeat victims', value: 2 },
              ],
              rag: 'amber',
              narrative: 'Behind on visits',
            },
          },
          {
            rows: [4],
            bidId: 'FS-000002',
            quarter: '2025-26-Q1',
            input: { spendToDatePence: 0, actuals: [], rag: 'green', narrative: 'Not started' },
          },
        ],
      },
    });
  });

  test('every failing field is reported; a bad row sinks its whole return; rows of one return must agree', () => {
    const result = parsed([
      'FS-000001,2025-26-Q5,12.345,Farms visited,,purple,',
      'FS-000003,2025-26-Q2,10,Farms visited,3,red,Late',
      'FS-000003,2025-26-Q2,10,Repeat victims,-1,red,Late',
      'FS-000004,2025-26-Q3,10,Farms visited,3,red,Late',
      'FS-000004,2025-26-Q3,11,Repeat victims,4,green,Late',
    ]);
    if (!result.ok) throw new Error('file rejected');
    expect(result.parsed.filings).toEqual([]);
    expect(result.parsed.issues.map((i) => [i.row, i.field, i.reason])).toEqual([
      [2, 'Quarter', 'must be a quarter like 2026-27-Q2'],
      [2, 'Spend to date (£)', expect.stringContaining('decimal')],
      [2, 'Actual', 'is empty: a measure needs its actual'],
      [2, 'RAG', 'must be one of green, amber, red'],
      [2, 'Narrative', 'is empty'],
      [3, '(row)', 'not filed: another row of the 2025-26-Q2 return for FS-000003 has errors'],
      [4, 'Actual', 'must be a number, not negative'],
      [6, 'Spend to date (£)', 'differs from row 5, the first row of the same return: one return has one Spend to date (£)'],
      [6, 'RAG', 'differs from row 5, the first row of the same return: one return has one RAG'],
    ]);
  });

  test('a header missing a column is refused whole, naming it', () => {
    const result = parseReturnsIntake([readCsv(new TextEncoder().encode('Bid ID,Quarter,RAG\nFS-1,2025-26-Q1,green'))]);
    expect(result).toEqual({
      ok: false,
      issues: [
        {
          row: null,
          field: '(file)',
          value: '',
          reason: expect.stringContaining('missing Spend to date (£), Narrative') as unknown as string,
        },
      ],
    });
  });
});

describe('through the sync', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await startSyncHarness();
    mkdirSync(h.intakeDir, { recursive: true });
    await setPots(h.api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
  });
  afterAll(() => h.stop());

  async function approvedBid(): Promise<Bid> {
    let bid = await createBid(h.api);
    bid = (await act(h.api, 'board', bid, 'recommend', { amountPence: bid.requestedPence })).body;
    bid = (await act(h.api, 'westMerciaPcc', bid, 'approve')).body;
    return (await act(h.api, 'warwickshirePcc', bid, 'approve')).body;
  }

  test('good returns are filed by the sync as finance; bad rows and refused returns are reported beside the file; a rerun files nothing twice', async () => {
    const bid = await approvedBid();
    const notApproved = await createBid(h.api);
    const content = [
      HEADER,
      `${bid.id},2025-26-Q1,"£400.00",Farms visited,35,amber,Behind on visits`,
      `${bid.id},2025-26-Q2,500,Leaflets,3,green,Wrong measure`,
      `${notApproved.id},2025-26-Q1,0,,,green,Not started`,
      `${bid.id},2025-26-Q3,12.345,,,green,Bad amount`,
    ].join('\n');
    writeFileSync(join(h.intakeDir, 'returns-q1.csv'), content);
    const result = completed(await h.run());
    const file = result.ingest.files.find((f) => f.name === 'returns-q1.csv');
    expect(file).toMatchObject({ outcome: 'ingested', rows: 4, returnsFiled: [`${bid.id} 2025-26-Q1`], rejectedRows: 3, created: [] });

    const returns = await h.store.returnsOfBid(bid.fy, bid.id);
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({
      quarter: '2025-26-Q1',
      status: 'submitted',
      spendToDatePence: 40_000,
      actuals: [{ measure: 'Farms visited', value: 35 }],
      filedBy: 'sync',
      history: [{ action: 'file', role: 'finance' }],
    });
    const report = parse(readFileSync(join(h.intakeDir, 'done', 'returns-q1.csv.rejected.csv')), { bom: true }) as string[][];
    expect(report.slice(1).map(([row, field, , reason]) => [row, field, reason])).toEqual([
      ['3', '(return)', `actuals.0.measure: "Leaflets" is not one of the bid's outcome measures`],
      ['4', '(return)', 'returns are filed for approved or released bids; this one is submitted'],
      ['5', 'Spend to date (£)', expect.stringContaining('decimal')],
    ]);

    // The same content again (a copy under another name) files nothing.
    writeFileSync(join(h.intakeDir, 'returns-copy.csv'), content);
    completed(await h.run());
    expect((await h.store.returnsOfBid(bid.fy, bid.id)).map((r) => r.version)).toEqual([1]);
  });
});
