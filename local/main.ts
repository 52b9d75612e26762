/**
 * `npm start`: the whole local stack in one process (docs/design.md §8). Configuration from env:
 *   FUNDSHARE_DATA_DIR (default .data), FUNDSHARE_API_PORT (3001), FUNDSHARE_ADDIN_PORT (3000).
 * Ctrl-C stops cleanly; a restart keeps all data.
 */
import { resolve } from 'node:path';
import { startAddinServer } from './addin-server';
import { PortInUseError } from './api-server';
import { DatabaseLockedError } from './embedded-dynalite';
import { readRuntimeInfo } from './runtime-file';
import { startLocalStack } from './stack';
import { startLocalSync } from './sync-local';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number, apiUrl: string) {
    super(
      `Fundshare is already running with the data folder ${dataDir} (pid ${pid}, API at ${apiUrl}); stop it first, or set FUNDSHARE_DATA_DIR to another folder`,
    );
    this.name = 'DataDirInUseError';
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number from 0 to 65535, not "${raw}"`);
  return port;
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.FUNDSHARE_DATA_DIR ?? '.data');
  const apiPort = portFromEnv('FUNDSHARE_API_PORT', 3001);
  const addinPort = portFromEnv('FUNDSHARE_ADDIN_PORT', 3000);
  // LevelDB allows one process per folder; say so plainly rather than crash inside dynalite.
  const running = readRuntimeInfo(dataDir);
  if (running) throw new DataDirInUseError(dataDir, running.pid, running.apiUrl);
  const stack = await startLocalStack({
    dataDir,
    apiPort,
    seed: true,
    allowedOrigins: [`https://localhost:${addinPort}`, `http://localhost:${addinPort}`, `http://127.0.0.1:${addinPort}`],
  });
  // Scheduled sync (docs/design.md §7): intake/ and exports/ under the data folder, every FUNDSHARE_SYNC_INTERVAL_SECONDS.
  const sync = startLocalSync(stack, dataDir);
  // The add-in dev server (docs/design.md §8): builds the dev add-in for this port and serves it.
  const addin = await startAddinServer({ port: addinPort, apiUrl: stack.apiUrl }).catch(async (error: unknown) => {
    await sync.stop();
    await stack.stop();
    throw error;
  });

  const lines = [
    '',
    'Fundshare is running locally.',
    `  API          ${stack.apiUrl}   (health: ${stack.apiUrl}/health, contract: ${stack.apiUrl}/openapi.json)`,
    `  Add-in       ${addin.url}/taskpane.html   (${addin.protocol === 'https' ? 'HTTPS with the office-addin-dev-certs certificate' : 'HTTP: browser preview only; run `npx office-addin-dev-certs install` and restart for Excel'})`,
    `  Manifest     ${addin.manifestPath}   (Fundshare (dev), functions FUNDDEV.*)`,
    `  Data         ${dataDir}${stack.seeded ? `   (demo data seeded: ${stack.seeded.bids} bids in ${stack.seeded.years.join(' and ')})` : ''}`,
    '',
    'Get a dev token (demo users: GET /dev/users):',
    `  curl -s -X POST ${stack.apiUrl}/dev/token -H 'content-type: application/json' \\`,
    `       -d '{"sub":"finance.demo","roles":["finance"]}'`,
    '',
    'Sideload the add-in: Excel on the web → Home → Add-ins → More add-ins → Upload My Add-in → the manifest above;',
    '  Excel desktop (Windows/macOS): npx office-addin-debugging start <manifest> desktop',
    '',
    `Sync: drop .csv/.xlsx plans in ${dataDir}/intake; snapshots go to ${dataDir}/exports (npm run sync runs one pass now).`,
    '',
    'Press Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Fundshare…`);
    await addin.close();
    await sync.stop();
    await stack.stop();
    console.log('Stopped. Data kept in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof PortInUseError || error instanceof DataDirInUseError || error instanceof DatabaseLockedError) {
    console.error(`Fundshare cannot start: ${error.message}.`);
  } else console.error('Fundshare cannot start:', error);
  process.exit(1);
});
