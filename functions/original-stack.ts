/**
 * Stack traces that point at the TypeScript source, paid for only when an error is logged.
 *
 * The Lambda bundles are minified, with the source map beside them (index.mjs.map). Node's
 * `--enable-source-maps` would read and parse that map (about 1 MB) at every cold start, a
 * quarter of the start-up time, to improve stack traces most invocations never print. Instead the
 * logger (functions/logger.ts) rewrites the frames of an error it is about to log: a frame in a
 * file with a `.map` beside it becomes `functions/store/dynamo-store.ts:123:9`; any other frame
 * (tsx, jest, node internals) is left as it is. Maps are read once per file, on first need.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map !== undefined) return map;
  map = null;
  try {
    const mapFile = `${file}.map`;
    if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    // An unreadable map leaves the frame as it is: a log line must never fail over its stack.
  }
  maps.set(file, map);
  return map;
}

/**
 * A source as the map names it (relative to wherever the bundle was built, e.g.
 * "../../../work/repo/functions/store/x.ts") → "functions/store/x.ts" or "node_modules/p/x.js".
 */
function readableSource(source: string): string {
  const path = source.startsWith('file://') ? fileURLToPath(source) : source;
  const fromPackages = path.lastIndexOf('node_modules/');
  if (fromPackages >= 0) return path.slice(fromPackages);
  const ours = /(?:^|\/)((?:functions|domain)\/.*)$/.exec(path);
  return ours ? (ours[1] as string) : path.replace(/^(\.\.?\/)+/, '');
}

// "    at fn (file:///var/task/index.mjs:1:2345)" or "    at file:///var/task/index.mjs:1:2345"
const FRAME_LOCATION = /((?:file:\/\/)?\/[^\s()]+\.m?js):(\d+):(\d+)(?=\)?$)/;

/** The stack with every frame of a source-mapped file moved to its original source position. */
export function originalStack(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const match = FRAME_LOCATION.exec(line);
      if (!match) return line;
      const [location, fileOrUrl, lineText, columnText] = match as unknown as [string, string, string, string];
      const file = fileOrUrl.startsWith('file://') ? fileURLToPath(fileOrUrl) : fileOrUrl;
      const map = sourceMapOf(file);
      if (!map) return line;
      const entry = map.findEntry(Number(lineText) - 1, Number(columnText) - 1) as Partial<{
        originalSource: string;
        originalLine: number;
        originalColumn: number;
      }>;
      if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return line;
      return line.replace(location, `${readableSource(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
    })
    .join('\n');
}

/**
 * A copy of the error (same prototype, same own properties) whose stack, and its causes' stacks,
 * point at the original source. The error itself is not changed: callers may still rethrow it.
 */
export function withOriginalStack(error: Error, depth = 0): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as Error;
  if (typeof error.stack === 'string') {
    Object.defineProperty(copy, 'stack', { value: originalStack(error.stack), writable: true, configurable: true, enumerable: false });
  }
  if (error.cause instanceof Error && depth < 5) {
    Object.defineProperty(copy, 'cause', { value: withOriginalStack(error.cause, depth + 1), writable: true, configurable: true });
  }
  return copy;
}
