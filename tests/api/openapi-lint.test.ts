/**
 * The OpenAPI document the API serves lints clean with Redocly's recommended rules
 * (redocly.yaml): the locally installed CLI, offline, no telemetry or update check.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { contractDocument } from '../../functions/http/contract';

const ROOT = resolve(__dirname, '../..');
const REDOCLY = join(ROOT, 'node_modules', '.bin', 'redocly');
const DENY_NETWORK = join(ROOT, 'tests', 'support', 'deny-network.cjs');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

const run = promisify(execFile);

async function lint(file: string): Promise<{ report: LintReport; stderr: string }> {
  const env = {
    ...process.env,
    // The CLI's documented switches: no usage data, no "new version" check against npm.
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    NO_COLOR: '1',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${DENY_NETWORK}`.trim(),
  };
  const args = ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'];
  // Exit status 1 means problems were found; the report on stdout says which.
  const { stdout, stderr } = await run(REDOCLY, args, { cwd: ROOT, env, timeout: 60_000 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  return { report: JSON.parse(stdout) as LintReport, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fundshare-openapi-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('GET /openapi.json lints with 0 errors and 0 warnings, offline', async () => {
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(contractDocument(), null, 2));
  const { report, stderr } = await lint(file);
  const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  expect(stderr).not.toContain('NETWORK_ATTEMPT');
});
