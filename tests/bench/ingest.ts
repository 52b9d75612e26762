/**
 * `ingest_ratio`: bids created per second by the sync's ingest (functions/sync/ingest.ts, the real
 * code with a real intake folder and the DynamoDB sync store) from one intake CSV of N rows, each
 * round a fresh file of new content in a fresh year. Baseline, each round: N conditional PutItems
 * (attribute_not_exists) of bid-sized items on the same engine through a DocumentClient, as many
 * in flight as ingest keeps rows in flight. Ratio = bids/s ÷ puts/s.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFinancialYear, LAST_FY_START } from '../../domain';
import { inParallel } from '../../functions/concurrency';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import { INGEST_ROWS_IN_FLIGHT, ingestIntake } from '../../functions/sync/ingest';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { HEADER } from '../sync/harness';
import type { BenchConfig } from './config';
import { progress } from './config';
import { discardingLogger, refreshConnections, type BenchEnvironment } from './environment';
import type { KeyResult } from './report';
import { grouped, interleave, ms, perSecond, round } from './stats';

/** The ingest part's fresh years start here and run to the last valid one; the race takes those before (tests/bench/race.ts). */
export const INGEST_FIRST_FY_START = 2080;

const LEADS = ['Herefordshire CSP', 'Shropshire CSP', 'telford-and-wrekin', 'north-worcestershire', 'Warwickshire'];

/** N rows of a costed action plan, each a different project (content claims would refuse repeats). */
function intakeCsv(rows: number, fy: string, tag: string): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const lead = LEADS[i % LEADS.length] as string;
    const scope = lead === 'Warwickshire' ? 'warwickshire' : 'alliance';
    const pounds = 500 + ((i * 7919) % 45_000);
    lines.push(
      `Ingest ${tag} row ${i} rural patrol kit,${lead},${scope},rural;business,,${fy},"£${pounds}.${String(i % 100).padStart(2, '0')}",Kit and training for row ${i}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function measureIngest(env: BenchEnvironment, config: BenchConfig): Promise<KeyResult> {
  const n = config.ingestRows;
  const dir = mkdtempSync(join(tmpdir(), 'fundshare-bench-ingest-'));
  const sync = new DynamoSyncStore(env.doc, env.stack.tableName);
  let roundIndex = 0;
  let putIndex = 0;
  // The seeded year took ids FS-000001… through the store port, past the id counter: move it on.
  if (env.dataset.bids.length > 0) await env.stack.deps.store.reserveBidIds(env.dataset.bids.length);
  try {
    /** One intake file of `rows` rows in a fresh year, ingested; returns the ingest's milliseconds. */
    const ingestRound = async (rows: number): Promise<number> => {
      const index = roundIndex++;
      const fyStart = INGEST_FIRST_FY_START + index;
      if (fyStart > LAST_FY_START) throw new Error(`the ingest part ran out of fresh years (${INGEST_FIRST_FY_START}–${LAST_FY_START})`);
      const fy = formatFinancialYear(fyStart);
      const intakeDir = join(dir, `intake-${index}`);
      mkdirSync(intakeDir, { recursive: true });
      writeFileSync(join(intakeDir, 'plan.csv'), intakeCsv(rows, fy, `r${index}`));
      const deps = {
        fund: env.stack.deps,
        sync,
        intake: new LocalFileArea(intakeDir),
        logger: discardingLogger,
        keepLease: async () => {},
      };
      const start = performance.now();
      const report = await ingestIntake(deps);
      const elapsed = performance.now() - start;
      if (report.created !== rows)
        throw new Error(`ingest created ${report.created} bids of ${rows} rows: ${JSON.stringify(report.files)}`);
      const bids = await env.stack.deps.store.bidsOfYear(fy);
      if (bids.length !== rows || bids.some((b) => b.status !== 'submitted'))
        throw new Error(`${fy} holds ${bids.length} bids after ingest, not ${rows}`);
      return elapsed;
    };
    /** `count` conditional PutItems of bid-sized items, INGEST_ROWS_IN_FLIGHT at a time. */
    const rawPuts = async (count: number): Promise<number> => {
      const batch = putIndex++;
      const item = (i: number) => ({
        pk: `RAWPUT#${batch}#${i}`,
        sk: 'BID',
        title: `Ingest raw row ${i} rural patrol kit`,
        description: `Kit and training for row ${i}`,
        leadOrganisation: 'shropshire',
        scope: 'alliance',
        crimeTypes: ['rural', 'business'],
        requestedPence: 50_000 + i,
        status: 'submitted',
        version: 1,
      });
      await refreshConnections(env.doc, env.stack.tableName, INGEST_ROWS_IN_FLIGHT);
      const start = performance.now();
      await inParallel(
        Array.from({ length: count }, (_, i) => i),
        INGEST_ROWS_IN_FLIGHT,
        async (i) => {
          await env.doc.send(
            new PutCommand({ TableName: env.stack.tableName, Item: item(i), ConditionExpression: 'attribute_not_exists(pk)' }),
          );
        },
      );
      return performance.now() - start;
    };

    progress(`ingest: a ${grouped(n)}-row intake CSV vs ${grouped(n)} raw conditional PutItems, ${config.ingestRounds} rounds`);
    const warm = Math.max(1, Math.floor(n / 10));
    const result = await interleave(
      config.ingestRounds,
      { baseline: () => rawPuts(n), measured: () => ingestRound(n) },
      {
        warmUp: { baseline: () => rawPuts(warm), measured: () => ingestRound(warm) },
        onRound: (r, b, m) => progress(`ingest round ${r}: raw puts ${ms(b)}, ingest ${ms(m)}`),
      },
    );
    const bidsPerSecond = perSecond(n, result.measuredMedianMs);
    const putsPerSecond = perSecond(n, result.baselineMedianMs);
    return {
      key: 'ingest_ratio',
      value: round(bidsPerSecond / putsPerSecond, 3),
      measured: `${grouped(bidsPerSecond)} bids/s (${ms(result.measuredMedianMs)} for ${grouped(n)} rows)`,
      baseline: `conditional PutItem ${grouped(putsPerSecond)}/s (${ms(result.baselineMedianMs)})`,
      rounds: `${config.ingestRounds} interleaved + 1 warm-up each (a tenth of the rows)`,
      details: [
        `one intake CSV of ${grouped(n)} good rows per round, each a new project in a fresh year; ${INGEST_ROWS_IN_FLIGHT} rows in flight, and as many puts in flight in the baseline`,
        `rounds (ms): raw puts ${result.baselineMs.map(Math.round).join(', ')}; ingest ${result.measuredMs.map(Math.round).join(', ')}`,
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
