/**
 * The local backend in one process: embedded dynalite, the table, demo data on first run, and
 * the same HTTP app Lambda runs, with the dev token issuer. `npm start` and the tests use this.
 */
import { join } from 'node:path';
import { bearerAuthenticator } from '../functions/auth/authenticators';
import { createApp } from '../functions/http/app';
import { createLogger, type AppLogger } from '../functions/logger';
import { createDocumentClient, createDynamoClient } from '../functions/store/client';
import { ensureTable } from '../functions/store/create-table';
import { DynamoFundStore } from '../functions/store/dynamo-store';
import { DEFAULT_TABLE_NAME } from '../functions/store/table-schema';
import { defaultDeps, type UseCaseDeps } from '../functions/use-cases/deps';
import { serveFetch } from './api-server';
import { loopbackOnly } from './loopback-host';
import { createDevIssuer, type DevIssuer } from './dev-issuer';
import { registerDevRoutes } from './dev-routes';
import { startDynalite } from './embedded-dynalite';
import { seedDemoData, type SeedSummary } from './seed';

export interface LocalStackOptions {
  /** Where dynalite keeps its LevelDB files and the dev issuer its key; omitted = all in memory. */
  dataDir?: string;
  /** API port; 0 picks a free one. */
  apiPort?: number;
  tableName?: string;
  /** Seed demo data when the store holds no budgets yet. */
  seed?: boolean;
  logger?: AppLogger;
  /** Origins allowed to call the API from a browser (the add-in's). */
  allowedOrigins?: readonly string[];
  /** Overrides for tests: clock, crash checkpoints. */
  deps?: Partial<Pick<UseCaseDeps, 'now' | 'checkpoint'>>;
}

export interface LocalStack {
  apiUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  deps: UseCaseDeps;
  issuer: DevIssuer;
  seeded?: SeedSummary;
  /**
   * The database alone, for fault-injection tests: stop it under a running API, then start it
   * again on the same port (with a data folder, everything written before the stop is still there).
   */
  database: { stop: () => Promise<void>; restart: () => Promise<void> };
  /** Stop the API and the database, in that order. */
  stop: () => Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const logger = options.logger ?? createLogger('fundshare-local');
  const databasePath = options.dataDir ? { path: join(options.dataDir, 'dynalite') } : {};
  let database = await startDynalite(databasePath);
  const databasePort = Number(new URL(database.endpoint).port);
  const client = createDynamoClient({ endpoint: database.endpoint });
  try {
    await ensureTable(client, tableName);
    const store = new DynamoFundStore(createDocumentClient(client), tableName);
    const deps: UseCaseDeps = { ...defaultDeps(store), ...options.deps };
    const seeded = options.seed && (await store.years()).length === 0 ? await seedDemoData(deps) : undefined;
    const issuer = await createDevIssuer(options.dataDir ? join(options.dataDir, 'dev-issuer-key.json') : undefined);
    const app = createApp({
      deps,
      authenticate: bearerAuthenticator(issuer.verify),
      logger,
      allowedOrigins: options.allowedOrigins ?? [],
      registerPublicRoutes: (a) => registerDevRoutes(a, issuer),
    });
    const api = await serveFetch(loopbackOnly(app.fetch), options.apiPort ?? 0, 'FUNDSHARE_API_PORT');
    return {
      apiUrl: api.url,
      dynamoEndpoint: database.endpoint,
      tableName,
      deps,
      issuer,
      ...(seeded ? { seeded } : {}),
      database: {
        stop: () => database.close(),
        restart: async () => {
          await database.close();
          database = await startDynalite({ ...databasePath, port: databasePort });
        },
      },
      stop: async () => {
        await api.close();
        client.destroy();
        await database.close();
      },
    };
  } catch (error) {
    client.destroy();
    await database.close();
    throw error;
  }
}
