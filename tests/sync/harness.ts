/**
 * Sync tests: the real API and store on in-memory dynalite (startTestApi), the sync store on the
 * same table, intake and export folders in a temp dir, and call counters wrapped around the
 * store ports (never an SDK mock).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../functions/store/client';
import { DynamoSyncStore } from '../../functions/store/dynamo-sync-store';
import type { SyncStore } from '../../functions/store/sync-store';
import type { FundStore } from '../../functions/store/types';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { runSync, type SyncDeps, type SyncOptions, type SyncReport } from '../../functions/sync/run-sync';
import type { UseCaseDeps } from '../../functions/use-cases/deps';
import { silentLogger, startTestApi, type TestApi } from '../support/stack';

export type CallCounts = Record<string, number>;

/** Wrap every method of a port so each call is counted (and optionally intercepted). */
export function counted<T extends object>(
  target: T,
  counts: CallCounts,
  intercept?: (method: string, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        counts[property] = (counts[property] ?? 0) + 1;
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        return intercept ? intercept(property, args, call) : call();
      };
    },
  });
}

interface Overrides {
  fund?: Partial<UseCaseDeps>;
  sync?: SyncStore;
}

export interface SyncHarness {
  api: TestApi;
  /** A document client on the same table, for tests that damage data on purpose. */
  doc: DynamoDBDocumentClient;
  /** Crash or pause hook for the API's bid-change protocol steps (set per test). */
  hooks: { checkpoint?: UseCaseDeps['checkpoint'] };
  dir: string;
  intakeDir: string;
  exportsDir: string;
  store: FundStore;
  syncStore: SyncStore;
  /** Counts of store and sync-store calls made through `deps()`. */
  storeCalls: CallCounts;
  syncCalls: CallCounts;
  metrics: Record<string, number>;
  deps: (overrides?: Overrides) => SyncDeps;
  run: (options?: SyncOptions, overrides?: Overrides, areas?: Partial<Pick<SyncDeps, 'intake' | 'exports'>>) => Promise<SyncReport>;
  resetCounts: () => void;
  stop: () => Promise<void>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const hooks: SyncHarness['hooks'] = {};
  const api = await startTestApi({ deps: { checkpoint: (step, detail) => hooks.checkpoint?.(step, detail) } });
  const client: DynamoDBClient = createDynamoClient({ endpoint: api.stack.dynamoEndpoint });
  const doc = createDocumentClient(client);
  const syncStore = new DynamoSyncStore(doc, api.stack.tableName);
  const dir = mkdtempSync(join(tmpdir(), 'fundshare-sync-'));
  const intakeDir = join(dir, 'intake');
  const exportsDir = join(dir, 'exports');
  const storeCalls: CallCounts = {};
  const syncCalls: CallCounts = {};
  const metrics: Record<string, number> = {};
  const deps: SyncHarness['deps'] = (overrides = {}) => ({
    fund: { ...api.stack.deps, store: counted(api.stack.deps.store, storeCalls), ...overrides.fund },
    sync: counted(overrides.sync ?? syncStore, syncCalls),
    intake: new LocalFileArea(intakeDir),
    exports: new LocalFileArea(exportsDir),
    logger: silentLogger,
    metrics: { count: (name, value) => (metrics[name] = value) },
  });
  return {
    api,
    doc,
    hooks,
    dir,
    intakeDir,
    exportsDir,
    store: api.stack.deps.store,
    syncStore,
    storeCalls,
    syncCalls,
    metrics,
    deps,
    run: (options = {}, overrides = {}, areas = {}) => runSync({ ...deps(overrides), ...areas }, { graceMs: 0, ...options }),
    resetCounts: () => {
      for (const counts of [storeCalls, syncCalls]) for (const key of Object.keys(counts)) delete counts[key];
    },
    stop: async () => {
      client.destroy();
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The completed report, or a failure naming what came back. */
export function completed(report: SyncReport) {
  if (report.status !== 'completed') throw new Error(`sync did not complete: ${JSON.stringify(report)}`);
  return report;
}

export const HEADER = 'Title,Lead organisation,Scope,Crime types,Cyber strands,Financial year,Requested (£),Description';
