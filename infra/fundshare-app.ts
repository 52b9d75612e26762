/**
 * The three stacks and how they connect, used by `cdk synth`/`deploy` (infra/app.ts) and by the
 * tests alike, so what is tested is what is deployed:
 *   FundshareData          table, intake, export, access logs  (stateful: retained, termination-protected)
 *   FundshareAddinHosting  S3 + CloudFront for the add-in     (stateless content, stable URL)
 *   FundshareService       API, Lambdas, schedule, alarms      (stateless: safe to destroy and redeploy)
 * cdk-nag's AwsSolutions pack validates the whole app on every synth: an unacknowledged finding
 * fails the synth, and every acknowledgement sits next to the resource it excuses, with its reason.
 */
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { AddinBuild } from './addin-build';
import type { FundshareConfig } from './config';
import { LAMBDA_ENTRIES } from './paths';
import { AddinHostingStack } from './stacks/addin-hosting-stack';
import { DataStack } from './stacks/data-stack';
import { ServiceStack } from './stacks/service-stack';

export const STACK_NAMES = {
  data: 'FundshareData',
  hosting: 'FundshareAddinHosting',
  service: 'FundshareService',
} as const;

export interface FundshareStacks {
  data: DataStack;
  hosting: AddinHostingStack;
  service: ServiceStack;
}

export interface BuildOptions {
  /** The production add-in build, if one may be uploaded (infra/addin-build.ts). */
  addinBuild?: AddinBuild;
  entries?: { api: string; sync: string };
}

export function buildFundshare(app: App, config: FundshareConfig, options: BuildOptions = {}): FundshareStacks {
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const entries = options.entries ?? LAMBDA_ENTRIES;

  const data = new DataStack(app, STACK_NAMES.data, {
    env,
    description: 'Fundshare data: DynamoDB table, intake and export buckets (retained; termination protection on)',
  });
  const hosting = new AddinHostingStack(app, STACK_NAMES.hosting, {
    env,
    description: 'Fundshare Excel add-in hosting: private S3 bucket behind CloudFront (origin access control)',
    ...(config.addinDomain ? { customDomain: config.addinDomain } : {}),
    ...(options.addinBuild ? { addinBuild: options.addinBuild } : {}),
  });
  const service = new ServiceStack(app, STACK_NAMES.service, {
    env,
    description: 'Fundshare service: HTTP API with JWT authorizer, API and sync Lambdas, schedule, alarms (stateless)',
    table: data.table,
    tableSchema: data.tableSchema,
    intakeBucket: data.intakeBucket,
    exportBucket: data.exportBucket,
    allowedOrigins: [hosting.origin, ...config.extraAllowedOrigins],
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    apiEntry: entries.api,
    syncEntry: entries.sync,
    syncCron: config.syncCron,
    logLevel: config.logLevel,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
  });

  Tags.of(app).add('project', 'fundshare');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, hosting, service };
}
