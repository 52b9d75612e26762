/**
 * Builds the real Fundshare CDK app for tests: the same feature flags as `cdk synth` (cdk.json),
 * the same buildFundshare, placeholder identity settings unless a test passes real ones, and
 * Lambda bundling skipped unless a test needs the bundle.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConfig } from '../../infra/config';
import { buildFundshare, type BuildOptions, type FundshareStacks } from '../../infra/fundshare-app';
import { REPO_ROOT } from '../../infra/paths';

export interface FixtureOptions extends BuildOptions {
  context?: Record<string, unknown>;
  /** Stack names whose assets are bundled (esbuild); none by default, which keeps tests fast. */
  bundleStacks?: string[];
}

export interface Fixture {
  app: App;
  stacks: FundshareStacks;
  outdir: string;
  data: Template;
  hosting: Template;
  service: Template;
}

export const FIXTURE_ALARM_EMAIL = 'fundshare-alerts@example.gov.uk';

/** The deployment every fixture is unless a test says otherwise: the West Mercia and Warwickshire alliance's dev stage. */
export const DEPLOYMENT_CONTEXT: Record<string, string> = {
  'fundshare:stage': 'dev',
  'fundshare:allianceId': 'wmw',
  'fundshare:owner': 'finance-systems@example.gov.uk',
  'fundshare:costCentre': 'CC-4521',
};

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

export function newApp(options: Pick<FixtureOptions, 'context' | 'bundleStacks'> = {}): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundshare-cdk-'));
  const given = options.context ?? {};
  const alarmKeys = ['fundshare:alarmEmail', 'fundshare:alarmTopicArn', 'fundshare:allowNoAlarmDestination'];
  const context: Record<string, unknown> = {
    ...cdkJsonContext(),
    'aws:cdk:bundling-stacks': options.bundleStacks ?? [],
    ...DEPLOYMENT_CONTEXT,
    ...(alarmKeys.some((key) => key in given) ? {} : { 'fundshare:alarmEmail': FIXTURE_ALARM_EMAIL }),
    ...given,
  };
  if (!('fundshare:jwtIssuer' in context)) context['fundshare:placeholders'] = 'true';
  return { app: new App({ outdir, context }), outdir };
}

export function buildFixture(options: FixtureOptions = {}): Fixture {
  const { app, outdir } = newApp(options);
  try {
    const stacks = buildFundshare(app, readConfig(app.node, {}), options);
    if (!options.addinBuild) {
      // Expected when a test gives no add-in build; keeps the synth report out of the test output.
      Validations.of(stacks.hosting).acknowledge({
        id: 'fundshare:addinContentNotDeployed',
        reason: 'this test does not upload add-in content',
      });
    }
    // The first Template.fromStack synthesises the whole app, cdk-nag included: an unacknowledged
    // finding throws here, so every test built on a fixture also proves the app passes cdk-nag.
    return {
      app,
      stacks,
      outdir,
      data: Template.fromStack(stacks.data),
      hosting: Template.fromStack(stacks.hosting),
      service: Template.fromStack(stacks.service),
    };
  } catch (error) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

export function removeOutdir(fixture: { outdir: string } | undefined): void {
  if (fixture) fs.rmSync(fixture.outdir, { recursive: true, force: true });
}

/** Every acknowledgement recorded anywhere in the tree: construct path, rule id, reason. */
export function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id, reason });
      }
    }
  }
  return found;
}

export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Sid?: string; Condition?: unknown };

export function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** The policy statements attached to the role whose logical id starts with rolePrefix. */
export function roleStatements(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const statements: Statement[] = [];
  for (const policy of Object.values(policies)) {
    const roles = (policy.Properties.Roles as { Ref: string }[]).map((r) => r.Ref);
    if (roles.some((r) => r.startsWith(rolePrefix))) statements.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  return statements;
}

export function allStatements(template: Template): Statement[] {
  const statements: Statement[] = [];
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    statements.push(...(policy.Properties.PolicyDocument.Statement as Statement[]));
  }
  for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
    for (const inline of (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]) {
      statements.push(...inline.PolicyDocument.Statement);
    }
  }
  return statements;
}

export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** A stand-in for `npm run build`'s production output, with its manifest pointing at baseUrl. */
export function writeProductionBuild(baseUrl: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundshare-addin-build-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'manifest.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<OfficeApp><DefaultSettings><SourceLocation DefaultValue="${baseUrl}/taskpane.html"/></DefaultSettings></OfficeApp>\n`,
  );
  fs.writeFileSync(path.join(dir, 'taskpane.html'), '<!doctype html><title>Fundshare</title>');
  fs.writeFileSync(path.join(dir, 'taskpane.js'), 'void 0;');
  fs.writeFileSync(path.join(dir, 'functions.json'), '{"functions":[]}');
  fs.writeFileSync(path.join(dir, 'assets', 'icon-32.png'), '');
  return dir;
}

/** A CloudFront-style domain, the shape AddinBaseUrl has once deployed. */
export const DEPLOYED_ADDIN_BASE_URL = 'https://d111111abcdef8.cloudfront.net';
