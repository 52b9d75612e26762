/**
 * dynalite (Apache-2.0, DynamoDB's API on LevelDB) embedded in this process: on disk under the
 * data folder for `npm start`, in memory for tests. Never AWS's DynamoDB Local (not open source).
 */
import dynalite from 'dynalite';
import { Level } from 'level';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** The data folder's database is held by another process (LevelDB allows one per folder). */
export class DatabaseLockedError extends Error {
  constructor(readonly path: string) {
    super(`the database in ${path} is in use by another process (another npm start or npm run sync?)`);
    this.name = 'DatabaseLockedError';
  }
}

/**
 * Open and close the folder's LevelDB once before dynalite does: dynalite opens it lazily and,
 * when another process holds the lock, throws from a callback on the first request, which no
 * caller can catch. Probing first turns that into a clear error at start-up.
 */
async function probeDatabase(path: string): Promise<void> {
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DatabaseLockedError(path);
    throw error;
  } finally {
    await db.close().catch(() => undefined);
  }
}

export interface EmbeddedDynalite {
  endpoint: string;
  close: () => Promise<void>;
}

/** How long a closing dynalite waits for requests in flight before cutting their connections. */
const CLOSE_GRACE_MS = 5_000;

/** Start dynalite on 127.0.0.1 (a free port unless one is given). `path` undefined = in memory. */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<EmbeddedDynalite> {
  if (options.path) {
    mkdirSync(options.path, { recursive: true });
    await probeDatabase(options.path);
  }
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // The SDK pools keep-alive sockets without an idle limit; Node's default 5 s server timeout
  // would close sockets under it, and a burst would then meet ECONNRESETs. Locally, keep them.
  server.keepAliveTimeout = 10 * 60_000;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return resolve();
        closed = true;
        // Let requests already inside dynalite finish before it closes LevelDB: an operation that
        // outlives the database throws from a callback, which nothing can catch. Idle keep-alive
        // sockets go at once; a client that never finishes is cut off after a grace period.
        const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        cutOff.unref();
        server.close((error) => {
          clearTimeout(cutOff);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
