/**
 * functions/original-stack.ts: a logged error's frames in a minified, source-mapped bundle point
 * back at the TypeScript source; frames without a map, and everything else, stay as they were.
 * The fixture is a real esbuild bundle (minified CommonJS with its map beside it), run in a plain
 * Node process: jest maps the stacks of code it loads itself, which would hide what is tested.
 */
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { originalStack, withOriginalStack } from '../../functions/original-stack';

const SOURCE = [
  'export class StoreRefusal extends Error {', // line 1
  '  readonly $metadata = { httpStatusCode: 400 };',
  "  constructor(message: string, options?: { cause?: unknown }) { super(message, options); this.name = 'StoreRefusal'; }",
  '}',
  'export function readLedger(fy: string): never {', // line 5
  '  const key = `LEDGER#${fy}`;',
  '  throw new StoreRefusal(`refused ${key}`, { cause: new Error("socket closed") });', // line 7, column 9
  '}',
  'export function handler(fy: string): never {',
  '  return readLedger(fy);', // line 10, column 10
  '}',
].join('\n');

let dir: string;
let bundle: string;
let caught: Error;

/** An Error carrying the stacks a plain Node process printed. */
function thrownIn(stack: string, causeStack: string): Error {
  class StoreRefusal extends Error {
    readonly $metadata = { httpStatusCode: 400 };
  }
  const cause = new Error('socket closed');
  cause.stack = causeStack;
  const error = new StoreRefusal('refused LEDGER#2026-27', { cause });
  error.name = 'StoreRefusal';
  error.stack = stack;
  return error;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundshare-stack-'));
  bundle = path.join(dir, 'index.js');
  buildSync({
    stdin: { contents: SOURCE, loader: 'ts', sourcefile: '../../../ci/build/repo/functions/fake-handler.ts', resolveDir: dir },
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    format: 'cjs',
    platform: 'node',
    outfile: bundle,
    logLevel: 'error',
  });
  const script = `try { require(${JSON.stringify(bundle)}).handler('2026-27'); } catch (e) { process.stdout.write(JSON.stringify([e.stack, e.cause.stack])); }`;
  const [stack, causeStack] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as [string, string];
  caught = thrownIn(stack, causeStack);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('originalStack', () => {
  it('moves frames of a source-mapped bundle to their TypeScript lines', () => {
    expect(caught.stack).toContain(`${bundle}:1:`);
    const mapped = originalStack(caught.stack!);
    const frames = mapped.split('\n').slice(1);
    // Locations are mapped; function names stay as minified.
    expect(frames[0]).toMatch(/^ {4}at \S+ \(functions\/fake-handler\.ts:7:9\)$/);
    expect(frames[1]).toMatch(/^ {4}at \S+ \(functions\/fake-handler\.ts:10:10\)$/);
    expect(mapped).not.toContain(`${bundle}:`);
    // The message line is untouched.
    expect(mapped.split('\n')[0]).toBe('StoreRefusal: refused LEDGER#2026-27');
  });

  it('leaves frames without a map beside their file, and non-frame lines, as they were', () => {
    const stack = [
      'Error: plain',
      '    at local (/tmp/no-such-dir/thing.js:3:7)',
      '    at node:internal/process/task_queues:95:5',
      'not a frame',
    ].join('\n');
    expect(originalStack(stack)).toBe(stack);
  });

  it('accepts file:// URLs, as ESM bundles print them', () => {
    const url = `file://${bundle}`;
    const line = caught.stack!.split('\n')[1]!.replace(bundle, url);
    expect(originalStack(line)).toMatch(/functions\/fake-handler\.ts:7:9\)$/);
  });

  it('survives a broken map: the frame stays as it is', () => {
    const broken = path.join(dir, 'broken.js');
    fs.writeFileSync(broken, '');
    fs.writeFileSync(`${broken}.map`, '{ not json');
    const stack = `Error: x\n    at f (${broken}:1:1)`;
    expect(originalStack(stack)).toBe(stack);
  });
});

describe('withOriginalStack', () => {
  it('returns a copy with mapped stacks (cause included) and leaves the thrown error alone', () => {
    const copy = withOriginalStack(caught);
    expect(copy).not.toBe(caught);
    expect(copy).toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(copy)).toBe(Object.getPrototypeOf(caught));
    expect(copy.name).toBe('StoreRefusal');
    expect(copy.message).toBe('refused LEDGER#2026-27');
    expect((copy as unknown as { $metadata: unknown }).$metadata).toEqual({ httpStatusCode: 400 });
    expect(copy.stack).toMatch(/functions\/fake-handler\.ts:7:9/);
    expect((copy.cause as Error).stack).toMatch(/functions\/fake-handler\.ts:7:/);
    expect(caught.stack).toContain(`${bundle}:1:`);
  });
});
