/**
 * dynalite (Apache-2.0, DynamoDB's API on LevelDB) embedded in this process: on disk under the
 * data folder for `npm start`, in memory for tests. Never AWS's DynamoDB Local (not open source).
 */
import dynalite from 'dynalite';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface EmbeddedDynalite {
  endpoint: string;
  close: () => Promise<void>;
}

/** Start dynalite on 127.0.0.1 (a free port unless one is given). `path` undefined = in memory. */
export async function startDynalite(options: { path?: string; port?: number } = {}): Promise<EmbeddedDynalite> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
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
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
