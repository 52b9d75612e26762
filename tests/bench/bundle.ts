/**
 * `bundle_kb_max` and `init_ratio`.
 *
 * Every Lambda entry (infra/paths.ts LAMBDA_ENTRIES) is built with esbuild's JS API from the very
 * options CDK's NodejsFunction is given (BUNDLING in infra/constructs/fundshare-function.ts),
 * translated the way aws-cdk-lib's bundling.js turns them into esbuild CLI flags; an option this
 * translation does not know stops the bench rather than being guessed.
 *
 * Cold import: the largest bundle vs a bare `import('@aws-sdk/client-dynamodb')` from node_modules,
 * each timed inside its own fresh Node process (performance.now() around the dynamic import),
 * interleaved, with the functions' environment and the Node flags the Lambda runs with.
 */
import { build, type BuildOptions } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { BUNDLING } from '../../infra/constructs/fundshare-function';
import { LAMBDA_ENTRIES, REPO_ROOT } from '../../infra/paths';
import type { BenchConfig } from './config';
import { progress } from './config';
import type { KeyResult } from './report';
import { interleave, ms, quartiles, round } from './stats';

const run = promisify(execFile);

/** The options of BUNDLING this translation understands; any other stops the bench. */
const KNOWN = new Set([
  'format',
  'platform',
  'target',
  'minify',
  'sourceMap',
  'sourceMapMode',
  'sourcesContent',
  'mainFields',
  'banner',
  'bundleAwsSDK',
  'externalModules',
  'forceDockerBundling',
  'esbuildArgs',
]);

/** esbuildArgs → esbuild's `alias` option; any flag other than --alias stops the bench. */
export function aliasFromEsbuildArgs(args: Record<string, string | boolean | string[]> | undefined): Record<string, string> {
  const alias: Record<string, string> = {};
  for (const [flag, value] of Object.entries(args ?? {})) {
    if (flag !== '--alias') throw new Error(`tests/bench/bundle.ts does not translate esbuildArgs ${flag} yet`);
    for (const item of Array.isArray(value) ? value : [value]) {
      const [from, to] = String(item).split('=');
      if (!from || !to) throw new Error(`esbuildArgs --alias ${String(item)} is not "package=replacement"`);
      alias[from] = to;
    }
  }
  return alias;
}

/** BUNDLING → esbuild build options, as aws-cdk-lib's Bundling.buildEsbuildArgs maps them to flags. */
export function esbuildOptionsFromCdk(entry: string, outdir: string): BuildOptions {
  const unknown = Object.keys(BUNDLING).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`tests/bench/bundle.ts does not translate BUNDLING.${unknown.join(', BUNDLING.')} yet`);
  const esm = BUNDLING.format === 'esm';
  const mode = BUNDLING.sourceMapMode ?? 'default';
  const sourceMapOn = BUNDLING.sourceMapMode !== undefined || BUNDLING.sourceMap === true;
  // CDK: externals = externalModules ?? (bundleAwsSDK ? [] : ['@aws-sdk/*']).
  const external = BUNDLING.externalModules ?? (BUNDLING.bundleAwsSDK ? [] : ['@aws-sdk/*']);
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [relative(REPO_ROOT, entry)],
    bundle: true,
    outfile: join(outdir, esm ? 'index.mjs' : 'index.js'),
    target: BUNDLING.target,
    platform: 'node',
    ...(BUNDLING.format ? { format: BUNDLING.format as 'esm' | 'cjs' } : {}),
    minify: BUNDLING.minify === true,
    ...(sourceMapOn ? { sourcemap: mode === 'default' ? true : (mode as 'inline' | 'external' | 'both') } : {}),
    sourcesContent: BUNDLING.sourcesContent ?? true,
    external,
    ...(BUNDLING.banner ? { banner: { js: BUNDLING.banner } } : {}),
    ...(BUNDLING.mainFields ? { mainFields: BUNDLING.mainFields } : {}),
    // CDK hands these to the esbuild CLI as --alias:from=to, resolved from the project root.
    alias: aliasFromEsbuildArgs(BUNDLING.esbuildArgs),
    logLevel: 'error',
  };
}

export interface BuiltBundle {
  name: string;
  file: string;
  bytes: number;
  mapBytes: number;
}

export async function buildLambdaBundles(outRoot: string): Promise<BuiltBundle[]> {
  const bundles: BuiltBundle[] = [];
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
    const outdir = join(outRoot, name);
    const options = esbuildOptionsFromCdk(entry, outdir);
    await build(options);
    const file = options.outfile as string;
    const files = readdirSync(outdir);
    const map = files.find((f) => f.endsWith('.map'));
    bundles.push({ name, file, bytes: statSync(file).size, mapBytes: map ? statSync(join(outdir, map)).size : 0 });
  }
  return bundles;
}

/** What the functions are given in AWS (fake values, and nothing that could reach AWS). */
export const FUNCTION_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-2',
  FUNDSHARE_TABLE: 'fundshare-bench',
  FUNDSHARE_ALLOWED_ORIGINS: 'https://addin.example.gov.uk',
  FUNDSHARE_INTAKE_BUCKET: 'intake-bench',
  FUNDSHARE_EXPORT_BUCKET: 'export-bench',
  POWERTOOLS_SERVICE_NAME: 'fundshare-bench',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_NAMESPACE: 'Fundshare',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Node flags the functions run with, given to both sides alike: none (FundshareFunction sets no
 * NODE_OPTIONS; source maps are applied by the logger when an error is logged, not at start-up).
 */
const LAMBDA_NODE_FLAGS: readonly string[] = [];

/** Import `specifier` in a fresh Node process and return the milliseconds the import took there. */
export async function coldImportMs(specifier: string, flags: readonly string[] = LAMBDA_NODE_FLAGS): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: FUNCTION_ENV,
    timeout: 60_000,
  });
  const value = Number(stdout.trim().split('\n').pop());
  if (!Number.isFinite(value)) throw new Error(`cold import of ${specifier} printed ${stdout}`);
  return value;
}

/** Outbound connections and DNS look-ups a module makes while it is imported (must be none). */
export async function networkAtImport(specifier: string): Promise<number> {
  const script = [
    "import net from 'node:net'; import dns from 'node:dns';",
    'let attempts = 0;',
    'const connect = net.Socket.prototype.connect;',
    'net.Socket.prototype.connect = function (...args) { attempts++; return connect.apply(this, args); };',
    'const lookup = dns.lookup; dns.lookup = function (...args) { attempts++; return lookup.apply(this, args); };',
    `await import(${JSON.stringify(specifier)});`,
    'await new Promise((r) => setTimeout(r, 200));',
    'process.stdout.write(String(attempts));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: FUNCTION_ENV,
    timeout: 60_000,
  });
  return Number(stdout.trim());
}

export async function measureBundles(config: BenchConfig): Promise<{ bundle: KeyResult; init: KeyResult }> {
  const outRoot = mkdtempSync(join(tmpdir(), 'fundshare-bench-bundles-'));
  try {
    progress('bundles: building every Lambda entry with the CDK BUNDLING options');
    const bundles = await buildLambdaBundles(outRoot);
    const largest = bundles.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const kb = (bytes: number) => bytes / 1024;
    const bundle: KeyResult = {
      key: 'bundle_kb_max',
      value: round(kb(largest.bytes), 1),
      measured: bundles.map((b) => `${b.name} ${kb(b.bytes).toFixed(1)} KB`).join(', '),
      baseline: '—',
      rounds: '1 build (deterministic)',
      details: [
        `largest: ${largest.name} (${largest.bytes} bytes, minified ESM, SDK bundled; source maps beside: ${bundles.map((b) => `${b.name} ${kb(b.mapBytes).toFixed(0)} KB`).join(', ')})`,
        `esbuild options translated from BUNDLING: ${JSON.stringify({ ...esbuildOptionsFromCdk(LAMBDA_ENTRIES.api, '<out>'), absWorkingDir: '<repo>', entryPoints: ['<entry>'], banner: '<createRequire banner>' })}`,
      ],
    };

    const connections = await networkAtImport(largest.file);
    if (connections !== 0) throw new Error(`importing the ${largest.name} bundle attempted ${connections} network connections`);
    progress(`init: cold import of the ${largest.name} bundle vs @aws-sdk/client-dynamodb, ${config.initRounds} fresh processes each`);
    const sdk = '@aws-sdk/client-dynamodb';
    const timedImports = await interleave(
      config.initRounds,
      { baseline: () => coldImportMs(sdk), measured: () => coldImportMs(largest.file) },
      { onRound: (r, b, m) => progress(`init round ${r}: SDK ${ms(b)}, ${largest.name} bundle ${ms(m)}`) },
    );
    // For comparison: what Node's --enable-source-maps would add (it parses the map at import).
    const withMaps = await interleave(Math.ceil(config.initRounds / 2), {
      baseline: () => coldImportMs(sdk, ['--enable-source-maps']),
      measured: () => coldImportMs(largest.file, ['--enable-source-maps']),
    });
    // The other bundles, for comparison (the key is the largest).
    const others: string[] = [];
    for (const other of bundles.filter((b) => b !== largest)) {
      const timed = await interleave(Math.ceil(config.initRounds / 2), {
        baseline: () => coldImportMs(sdk),
        measured: () => coldImportMs(other.file),
      });
      others.push(
        `${other.name} bundle (not the key): import ${ms(timed.measuredMedianMs)} vs SDK ${ms(timed.baselineMedianMs)}, ratio ${(timed.measuredMedianMs / timed.baselineMedianMs).toFixed(3)} (${timed.rounds} rounds)`,
      );
    }
    const ratio = timedImports.measuredMedianMs / timedImports.baselineMedianMs;
    const init: KeyResult = {
      key: 'init_ratio',
      value: round(ratio, 3),
      measured: `${largest.name} bundle import ${ms(timedImports.measuredMedianMs)}`,
      baseline: `import('${sdk}') ${ms(timedImports.baselineMedianMs)}`,
      rounds: `${config.initRounds} fresh processes each, interleaved + 1 warm-up each`,
      details: [
        `each side timed inside a fresh \`node\` with the functions' environment and their Node flags (none); the import attempted 0 network connections`,
        `with --enable-source-maps, which the functions no longer set (${withMaps.rounds} rounds): bundle ${ms(withMaps.measuredMedianMs)} vs SDK ${ms(withMaps.baselineMedianMs)}, ratio ${(withMaps.measuredMedianMs / withMaps.baselineMedianMs).toFixed(3)}`,
        `rounds (ms): SDK ${timedImports.baselineMs.map(Math.round).join(', ')}; bundle ${timedImports.measuredMs.map(Math.round).join(', ')}`,
        `spread: bundle ÷ SDK within each round, quartiles ${quartiles(timedImports.measuredMs.map((m, i) => m / (timedImports.baselineMs[i] as number)))}`,
        ...others,
      ],
    };
    return { bundle, init };
  } finally {
    rmSync(outRoot, { recursive: true, force: true });
  }
}
