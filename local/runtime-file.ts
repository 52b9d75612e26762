/**
 * `npm start` publishes where its dynalite listens in $FUNDSHARE_DATA_DIR/runtime.json, so
 * `npm run sync` can use the running process's database (LevelDB allows one process per folder).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuntimeInfo {
  pid: number;
  dynamoEndpoint: string;
  tableName: string;
  apiUrl: string;
  startedAt: string;
  /** Which command holds the folder: a long-lived `npm start` (the default) or a one-off `npm run sync`. */
  holder?: 'npm start' | 'npm run sync';
}

const FILE = 'runtime.json';

export function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): void {
  writeFileSync(join(dataDir, FILE), JSON.stringify(info, null, 2) + '\n');
}

/** The running process's info, or undefined when there is none or its process is gone. */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | undefined {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
  if (!Number.isInteger(info.pid) || typeof info.dynamoEndpoint !== 'string') return undefined;
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return info;
}

export function removeRuntimeInfo(dataDir: string, pid = process.pid): void {
  if (readRuntimeInfo(dataDir)?.pid === pid) rmSync(join(dataDir, FILE), { force: true });
}
