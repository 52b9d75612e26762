/**
 * The sync job on one machine: the intake and export areas are folders under the data folder
 * ($FUNDSHARE_DATA_DIR/intake, $FUNDSHARE_DATA_DIR/exports), the store is the local dynalite.
 * Used by `npm start`'s timer and by `npm run sync`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type AppLogger } from '../functions/logger';
import { createDocumentClient, createDynamoClient } from '../functions/store/client';
import { DynamoSyncStore } from '../functions/store/dynamo-sync-store';
import type { IngestReport } from '../functions/sync/ingest';
import { LocalFileArea } from '../functions/sync/local-file-area';
import { runSync, type SyncDeps, type SyncOptions } from '../functions/sync/run-sync';
import type { UseCaseDeps } from '../functions/use-cases/deps';
import { removeRuntimeInfo, writeRuntimeInfo } from './runtime-file';
import type { LocalStack } from './stack';
import { startSyncTimer } from './sync-timer';

/**
 * "3 bid(s) created (FS-…), 2 row(s) rejected[, 1 row(s) already ingested from another file][, 1
 * possible correction(s) of earlier bids: see the report]", as both local sync commands print it.
 */
export function rowCounts(
  counts: Pick<IngestReport, 'rejectedRows' | 'duplicateRows' | 'possibleCorrections'> & { created: number | readonly string[] },
): string {
  const { created, rejectedRows, duplicateRows, possibleCorrections } = counts;
  const made =
    typeof created === 'number'
      ? `${created} bid(s) created`
      : `${created.length} bid(s) created${created.length ? ` (${created.join(', ')})` : ''}`;
  const duplicates = duplicateRows ? `, ${duplicateRows} row(s) already ingested from another file` : '';
  const corrections = possibleCorrections ? `, ${possibleCorrections} possible correction(s) of earlier bids: see the report` : '';
  return `${made}, ${rejectedRows} row(s) rejected${duplicates}${corrections}`;
}

export const INTAKE_DIR = 'intake';
export const EXPORTS_DIR = 'exports';

export function localSyncDeps(options: {
  fund: UseCaseDeps;
  doc: ReturnType<typeof createDocumentClient>;
  tableName: string;
  dataDir: string;
  logger: AppLogger;
}): SyncDeps {
  const intake = join(options.dataDir, INTAKE_DIR);
  const exportsDir = join(options.dataDir, EXPORTS_DIR);
  mkdirSync(intake, { recursive: true });
  mkdirSync(exportsDir, { recursive: true });
  return {
    fund: options.fund,
    sync: new DynamoSyncStore(options.doc, options.tableName),
    intake: new LocalFileArea(intake),
    exports: new LocalFileArea(exportsDir),
    logger: options.logger,
    metrics: { count: (name, value) => options.logger.debug('metric', { name, value }) },
  };
}

function secondsFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`${name} must be a number of seconds, not "${raw}"`);
  return seconds;
}

/**
 * Local run options from env: FUNDSHARE_SYNC_GRACE_SECONDS (300), FUNDSHARE_SYNC_LEASE_SECONDS
 * (120: a stopped local run blocks the next one only this long), FUNDSHARE_INTAKE_SETTLE_MS
 * (1000: a file still being copied into intake/ is left for the next run).
 */
export function localSyncOptions(): SyncOptions {
  return {
    graceMs: secondsFromEnv('FUNDSHARE_SYNC_GRACE_SECONDS', 300) * 1000,
    leaseTtlMs: secondsFromEnv('FUNDSHARE_SYNC_LEASE_SECONDS', 120) * 1000,
    intakeSettleMs: secondsFromEnv('FUNDSHARE_INTAKE_SETTLE_MS', 1000),
  };
}

export function syncIntervalMs(): number {
  return secondsFromEnv('FUNDSHARE_SYNC_INTERVAL_SECONDS', 60) * 1000;
}

/**
 * Inside `npm start`: publish the database endpoint for `npm run sync` and run the sync timer.
 * Stop it before the stack (the timer's last pass still needs the database).
 */
export function startLocalSync(stack: LocalStack, dataDir: string): { stop: () => Promise<void> } {
  const logger = createLogger('fundshare-sync');
  const client = createDynamoClient({ endpoint: stack.dynamoEndpoint });
  const doc = createDocumentClient(client);
  const deps = localSyncDeps({ fund: stack.deps, doc, tableName: stack.tableName, dataDir, logger });
  writeRuntimeInfo(dataDir, {
    pid: process.pid,
    dynamoEndpoint: stack.dynamoEndpoint,
    tableName: stack.tableName,
    apiUrl: stack.apiUrl,
    startedAt: new Date().toISOString(),
    holder: 'npm start',
  });
  const options = localSyncOptions();
  const timer = startSyncTimer({
    run: () => runSync(deps, options),
    intervalMs: syncIntervalMs(),
    logger,
    onReport: (report) => {
      if (report.status !== 'completed') return;
      const exported = report.years.filter((y) => y.exported).map((y) => y.fy);
      const busy = report.ingest.files.length > 0 || exported.length > 0 || report.driftFound.count > 0;
      if (!busy) return;
      console.log(
        `[sync] ${rowCounts(report.ingest)}; drift found ${report.driftFound.count}, remaining ${report.driftRemaining.count}; exported ${exported.join(', ') || 'nothing'}`,
      );
    },
  });
  return {
    stop: async () => {
      await timer.stop();
      removeRuntimeInfo(dataDir);
      client.destroy();
    },
  };
}
