/**
 * `npm run synth` as a fresh clone runs it: the CDK CLI, offline, with a bare environment (no
 * AWS credentials, no region, no CDK variables), bundling with the locally installed esbuild (no
 * Docker) into one minified ESM file per function with a source map and the AWS SDK inside. The
 * templates it writes are checked for the properties the deployment is accepted on, and each
 * bundle is loaded in a fresh Node process; the API bundle answers API Gateway events, proving the
 * ESM/CJS interop holds (no "Dynamic require of …" at import) and the dev token issuer stayed out.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { execFile, execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../../infra/paths';

let outdir: string;
let synthOutput: string;
const templates: Record<string, Template> = {};
beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundshare-synth-'));
  synthOutput = execFileSync('npm', ['run', 'synth', '--', '--output', outdir], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.homedir() },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  for (const name of ['FundshareData', 'FundshareAddinHosting', 'FundshareService']) {
    templates[name] = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, `${name}.template.json`), 'utf8')));
  }
}, 300_000);
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

const service = () => templates.FundshareService!;

/** The bundle directory of the function whose logical id starts with prefix. */
function bundleDir(prefix: string): string {
  const [, fn] = Object.entries(service().findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix))!;
  const zip = fn.Properties.Code.S3Key as string;
  return path.join(outdir, `asset.${zip.replace(/\.zip$/, '')}`);
}

describe('npm run synth in a bare environment', () => {
  it('writes all three templates with no context look-ups', () => {
    expect(synthOutput).toContain('cdk synth');
    expect(fs.existsSync(path.join(REPO_ROOT, 'cdk.context.json'))).toBe(false);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { missing?: unknown[] };
    expect(manifest.missing ?? []).toEqual([]);
  });

  it('gives a retained table with point-in-time recovery and deletion protection', () => {
    templates.FundshareData!.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true },
    });
  });

  it('gives an API with a JWT authorizer, arm64 Node.js 24 functions and a Europe/London schedule', () => {
    service().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    for (const fn of Object.values(service().findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
    service().hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpressionTimezone: 'Europe/London' });
  });
});

const FUNCTION_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-2',
  FUNDSHARE_TABLE: 'fundshare-test',
  FUNDSHARE_ALLOWED_ORIGINS: 'https://addin.example.gov.uk',
  FUNDSHARE_INTAKE_BUCKET: 'intake-test',
  FUNDSHARE_EXPORT_BUCKET: 'export-test',
  POWERTOOLS_SERVICE_NAME: 'bundling-test',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_NAMESPACE: 'Fundshare',
  // Never reach AWS from a test, whatever a bundle tries at import time.
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** Runs an ES module script in a fresh Node process with the functions' environment (and, like them, no Node flags); returns its stdout. */
function runModule(script: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: FUNCTION_ENV,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

/** runModule without blocking this process, for a test that serves the bundle's requests meanwhile; stdout and stderr. */
function runModuleAsync(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { ...FUNCTION_ENV, ...env }, encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })),
    );
  });
}

function httpEvent(method: string, rawPath: string, headers: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'api.example', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Apr/2025:09:00:00 +0000',
      timeEpoch: 1743498000000,
    },
    isBase64Encoded: false,
  };
}

/** docs/design.md §9 `bundle_kb_max`: every Lambda bundle, minified with the SDK inside, at most 1024 KB. */
const MAX_BUNDLE_KB = { ApiFunction: 1024, SyncSyncFunction: 1024 } as const;

describe.each([
  ['API', 'ApiFunction'],
  ['sync', 'SyncSyncFunction'],
] as const)('the %s bundle', (_name, prefix) => {
  it('is one minified ESM file with a source map and the SDK inside, within its size bound', () => {
    const dir = bundleDir(prefix);
    expect(fs.readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const code = fs.readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    expect(code.startsWith("import { createRequire as __fundshareCreateRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b/);
    expect(fs.statSync(path.join(dir, 'index.mjs')).size).toBeLessThanOrEqual(MAX_BUNDLE_KB[prefix] * 1024);
    // Minified: long lines (only template literals keep their line breaks). The SDK is bundled,
    // not left for the runtime to provide.
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).not.toContain('aws-cdk-lib');
    const map = JSON.parse(fs.readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.includes('functions/'))).toBe(true);
    // Only the environment credential provider (functions/lambda-credentials.ts): none of the
    // default chain's SSO, profile, process, web identity or container providers.
    expect(map.sources.some((s) => s.endsWith('functions/lambda-credentials.ts'))).toBe(true);
    expect(
      map.sources.filter((s) => /credential-provider-(node|ini|sso|process|web-identity|http|login)\/|nested-clients/.test(s)),
    ).toEqual([]);
    for (const text of ['AssumeRoleWithWebIdentity', 'sso-oidc', 'credential_process', 'AWS_CONTAINER_CREDENTIALS'])
      expect(code).not.toContain(text);
    // zod/mini with the English messages only: not zod's classic API, not its 40-odd other locales.
    expect(map.sources.some((s) => s.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(map.sources.filter((s) => /node_modules\/zod\/v4\/(classic\/|locales\/(?!en\.js))/.test(s))).toEqual([]);
    expect(code).not.toContain('Ungültige Eingabe');
  });

  it('loads in a fresh Node process and exports a handler function', () => {
    const file = path.join(bundleDir(prefix), 'index.mjs');
    expect(runModule(`const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`).trim()).toBe('function');
  });
});

/** The public routes' function: no store, no SDK, so a fraction of the API's size and cold start. */
const MAX_PUBLIC_BUNDLE_KB = 256;

describe('the public bundle', () => {
  it('is small, carries no AWS SDK, and answers GET /health and GET /openapi.json', () => {
    const file = path.join(bundleDir('PublicFunction'), 'index.mjs');
    expect(fs.statSync(file).size).toBeLessThanOrEqual(MAX_PUBLIC_BUNDLE_KB * 1024);
    const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources.filter((s) => s.includes('@aws-sdk/'))).toEqual([]);
    const events = [httpEvent('GET', '/health'), httpEvent('GET', '/openapi.json'), httpEvent('GET', '/bids')];
    const out = runModule(`
      const { handler } = await import(${JSON.stringify(file)});
      const results = [];
      for (const event of ${JSON.stringify(events)}) results.push(await handler(event, { awsRequestId: 'req-1' }));
      console.log(JSON.stringify(results));
    `);
    const [health, openapi, bids] = JSON.parse(out.trim().split('\n').pop()!) as { statusCode: number; body: string }[];
    expect(health!.statusCode).toBe(200);
    expect(JSON.parse(health!.body)).toEqual({ ok: true });
    expect(openapi!.statusCode).toBe(200);
    expect((JSON.parse(openapi!.body) as { openapi: string; paths: Record<string, unknown> }).paths).toHaveProperty('/health');
    // Never routed here by API Gateway; were it, no use-case would run.
    expect(bids!.statusCode).toBe(401);
  });
});

describe('the API bundle', () => {
  it('answers API Gateway events: public /health, 401 without verified claims, CORS for the add-in', () => {
    const file = path.join(bundleDir('ApiFunction'), 'index.mjs');
    const events = [httpEvent('GET', '/health'), httpEvent('GET', '/bids', { origin: 'https://addin.example.gov.uk' })];
    const out = runModule(`
      const { handler } = await import(${JSON.stringify(file)});
      const results = [];
      for (const event of ${JSON.stringify(events)}) results.push(await handler(event, { awsRequestId: 'req-1' }));
      console.log(JSON.stringify(results));
    `);
    const [health, unauthenticated] = JSON.parse(out.trim().split('\n').pop()!) as {
      statusCode: number;
      body: string;
      headers: Record<string, string>;
    }[];
    expect(health!.statusCode).toBe(200);
    expect(JSON.parse(health!.body)).toEqual({ ok: true });
    expect(unauthenticated!.statusCode).toBe(401);
    expect(unauthenticated!.headers['content-type']).toContain('application/problem+json');
    expect(unauthenticated!.headers['access-control-allow-origin']).toBe('https://addin.example.gov.uk');
  });

  it('signs store calls with the environment credentials, and logs a store failure with TypeScript frames', async () => {
    // A stand-in DynamoDB endpoint that refuses every call with a client error the API does not expect.
    const authorizations: string[] = [];
    const server = http.createServer((req, res) => {
      authorizations.push(String(req.headers.authorization));
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'refused by the test' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const event = httpEvent('GET', '/years/2026-27/budget');
      const withClaims = {
        ...event,
        requestContext: { ...event.requestContext, authorizer: { jwt: { claims: { sub: 'finance-1', roles: 'finance' }, scopes: null } } },
      };
      const file = path.join(bundleDir('ApiFunction'), 'index.mjs');
      const { stdout, stderr } = await runModuleAsync(
        `const { handler } = await import(${JSON.stringify(file)});
         const result = await handler(${JSON.stringify(withClaims)}, { awsRequestId: 'req-1' });
         console.log(JSON.stringify({ result }));`,
        { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`, AWS_SESSION_TOKEN: 'test-session' },
      );
      const { result } = JSON.parse(stdout.trim().split('\n').pop()!) as { result: { statusCode: number; body: string } };
      expect(result.statusCode).toBe(500);
      expect(result.body).not.toContain('refused by the test');
      expect(authorizations.length).toBeGreaterThan(0);
      expect(authorizations[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/eu-west-2\/dynamodb\/aws4_request/);
      // Powertools writes ERROR lines to stderr, one JSON object each.
      const logLines = stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const logged = logLines.find((line) => line.message === 'unhandled error') as {
        error: { name: string; location: string; stack: string };
      };
      expect(logged.error.name).toBe('ValidationException');
      // The Lambda context is on every line (logger.addContext in the traced handler).
      expect(logLines.every((line) => line.function_request_id === 'req-1')).toBe(true);
      // Frames of the minified bundle are mapped through index.mjs.map beside it.
      expect(logged.error.stack).toMatch(/\((functions|node_modules)\/[^)]+\.(ts|js):\d+:\d+\)/);
      expect(logged.error.stack).not.toMatch(/index\.mjs:\d+:\d+/);
      expect(logged.error.location).not.toContain('index.mjs');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('carries the Powertools tracer, idle outside Lambda (the bundle ran above without X-Ray)', () => {
    const map = JSON.parse(fs.readFileSync(path.join(bundleDir('ApiFunction'), 'index.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.includes('@aws-lambda-powertools/tracer/'))).toBe(true);
    expect(map.sources.some((s) => s.endsWith('functions/tracing.ts'))).toBe(true);
  });

  it('does not contain the local dev token issuer', () => {
    const code = fs.readFileSync(path.join(bundleDir('ApiFunction'), 'index.mjs'), 'utf8');
    expect(code).not.toContain('/dev/token');
  });
});
