/**
 * `npm run sync`: one pass of the scheduled sync against the local data folder
 * ($FUNDSHARE_DATA_DIR, default .data). While `npm start` runs it uses that process's database
 * (from runtime.json); otherwise it opens the folder's dynalite itself. When another pass holds
 * the lease (the timer in `npm start`), it waits for it (FUNDSHARE_SYNC_WAIT_SECONDS, default
 * 120) and then runs its own, so a file dropped just before is always taken.
 */
import { join, resolve } from 'node:path';
import { printableText } from '../domain';
import { createLogger } from '../functions/logger';
import { createDocumentClient, createDynamoClient } from '../functions/store/client';
import { ensureTable, tableAnswers } from '../functions/store/create-table';
import { DynamoFundStore } from '../functions/store/dynamo-store';
import { DEFAULT_TABLE_NAME } from '../functions/store/table-schema';
import { SyncIncompleteError } from '../functions/sync/errors';
import { runSync, type SyncReport } from '../functions/sync/run-sync';
import { defaultDeps } from '../functions/use-cases/deps';
import { startDynalite, type EmbeddedDynalite } from './embedded-dynalite';
import { readRuntimeInfo, removeRuntimeInfo, writeRuntimeInfo } from './runtime-file';
import { localSyncDeps, localSyncOptions, rowCounts } from './sync-local';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const dataDir = resolve(process.env.FUNDSHARE_DATA_DIR ?? '.data');
  const waitMs = Number(process.env.FUNDSHARE_SYNC_WAIT_SECONDS ?? 120) * 1000;
  const logger = createLogger('fundshare-sync');

  let database: EmbeddedDynalite | undefined;
  let endpoint: string | undefined;
  let tableName = DEFAULT_TABLE_NAME;
  const deadline = Date.now() + waitMs;
  let running = readRuntimeInfo(dataDir);
  // Another one-off pass holds the folder only briefly: wait for it rather than borrow its database.
  if (running?.holder === 'npm run sync') console.log(`Another npm run sync (pid ${running.pid}) is using ${dataDir}; waiting for it…`);
  while (running?.holder === 'npm run sync' && Date.now() < deadline) {
    await sleep(250);
    running = readRuntimeInfo(dataDir);
  }
  if (running?.holder === 'npm run sync') {
    console.log(`Another npm run sync (pid ${running.pid}) is still using ${dataDir}; nothing done.`);
    return 0;
  }
  // When the running process's database does not answer, the folder is treated as free.
  if (running && (await tableAnswers(running.dynamoEndpoint, running.tableName))) {
    endpoint = running.dynamoEndpoint;
    tableName = running.tableName;
    console.log(`Using the database of the running Fundshare process (pid ${running.pid}).`);
  }
  if (!endpoint) {
    try {
      database = await startDynalite({ path: join(dataDir, 'dynalite') });
    } catch (error) {
      console.error(
        `Cannot open the data folder ${dataDir}: ${(error as Error).message}. If Fundshare is running, it has not published its endpoint (${join(dataDir, 'runtime.json')}).`,
      );
      return 1;
    }
    endpoint = database.endpoint;
    // While this pass holds the folder, a second `npm run sync` uses its database (and waits for
    // the lease) and `npm start` says the folder is in use, instead of failing inside dynalite.
    writeRuntimeInfo(dataDir, {
      pid: process.pid,
      dynamoEndpoint: endpoint,
      tableName,
      apiUrl: '(none: npm run sync holds the folder)',
      startedAt: new Date().toISOString(),
      holder: 'npm run sync',
    });
  }

  const client = createDynamoClient({ endpoint });
  try {
    await ensureTable(client, tableName);
    const doc = createDocumentClient(client);
    const deps = localSyncDeps({ fund: defaultDeps(new DynamoFundStore(doc, tableName)), doc, tableName, dataDir, logger });
    const options = localSyncOptions();
    let report: SyncReport = await runSync(deps, options);
    while (report.status === 'skipped' && Date.now() < deadline) {
      console.log(`Another sync is running (${report.heldBy}); waiting for it to finish…`);
      await sleep(1_000);
      report = await runSync(deps, options);
    }
    // A file dropped a moment ago is left to settle; take it now rather than next time.
    if (report.status === 'completed' && report.ingest.files.some((f) => f.outcome === 'waiting')) {
      await sleep(options.intakeSettleMs ?? 0);
      const again = await runSync(deps, options);
      if (again.status === 'completed') report = mergeIngest(report, again);
    }
    print(report, dataDir);
    return 0;
  } finally {
    client.destroy();
    if (database) {
      removeRuntimeInfo(dataDir);
      await database.close();
    }
  }
}

function mergeIngest(first: Extract<SyncReport, { status: 'completed' }>, second: Extract<SyncReport, { status: 'completed' }>) {
  return {
    ...second,
    ingest: {
      files: [...first.ingest.files.filter((f) => f.outcome !== 'waiting'), ...second.ingest.files],
      created: first.ingest.created + second.ingest.created,
      rejectedRows: first.ingest.rejectedRows + second.ingest.rejectedRows,
      duplicateRows: first.ingest.duplicateRows + second.ingest.duplicateRows,
      possibleCorrections: first.ingest.possibleCorrections + second.ingest.possibleCorrections,
    },
    years: [...first.years.filter((y) => !second.years.some((s) => s.fy === y.fy && s.outcome === 'reconciled')), ...second.years],
  };
}

function print(report: SyncReport, dataDir: string): void {
  if (report.status === 'skipped') {
    console.log(`Another sync is running (${report.heldBy}, lease until ${report.until}); nothing done.`);
    return;
  }
  const lines = [`Sync finished (${dataDir}).`];
  if (report.ingest.files.length === 0) lines.push(`  Intake: no files in ${join(dataDir, 'intake')}.`);
  for (const f of report.ingest.files) {
    const what =
      f.outcome === 'failed'
        ? `FAILED (${f.error ?? 'unknown error'}); it stays in intake/ for the next run`
        : f.outcome === 'waiting'
          ? 'still being written; taken next run'
          : f.outcome === 'duplicate'
            ? 'same content as a file already ingested: nothing created'
            : f.outcome === 'already-ingested'
              ? 'already ingested: nothing created'
              : f.outcome === 'rejected-file'
                ? 'rejected as a whole'
                : rowCounts(f);
    lines.push(
      `  Intake ${printableText(f.name)}: ${what}${f.report ? `; report: intake/${f.report}` : ''}${f.movedTo ? `; moved to intake/${f.movedTo}` : ''}${f.note ? ` (${f.note})` : ''}`,
    );
  }
  for (const y of report.years) {
    if (y.outcome === 'unchanged') {
      lines.push(`  ${y.fy}: no changes since the last sync.`);
      continue;
    }
    if (y.outcome === 'failed') {
      lines.push(`  ${JSON.stringify(y.fy)}: FAILED (${y.error ?? 'unknown error'}); the other years went on; tried again next run.`);
      continue;
    }
    const drift = y.drift.length
      ? `${y.drift.length} drift(s): ${y.drift.map((d) => `${d.kind}${d.repaired ? ' (repaired)' : ' (NOT repaired)'}`).join(', ')}`
      : 'no drift';
    const exported = y.exported ? `exported ${y.exported.files.length} file(s) to exports/` : 'export unchanged';
    const inFlight = y.inFlight.length ? `, ${y.inFlight.length} approval(s) in flight` : '';
    lines.push(`  ${y.fy}: reconciled (${y.reason}): ${drift}${inFlight}; ${exported}.`);
  }
  lines.push(
    `  Drift found ${report.driftFound.count} (${report.driftFound.pence}p), remaining ${report.driftRemaining.count} (${report.driftRemaining.pence}p).`,
  );
  console.log(lines.join('\n'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SyncIncompleteError) {
      print(error.report as SyncReport, resolve(process.env.FUNDSHARE_DATA_DIR ?? '.data'));
      console.error(`Sync incomplete: ${error.message}`);
    } else console.error('Sync failed:', error);
    process.exit(1);
  },
);
