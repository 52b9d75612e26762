/**
 * The stacks of one deployment (an alliance's stage) and how they connect, used by `cdk synth`/
 * `deploy` (infra/app.ts) and by the tests alike, so what is tested is what is deployed:
 *   FundshareData          table, backups, intake, export, access logs (stateful: retained, termination-protected)
 *   FundshareAddinHosting  S3 + CloudFront for the add-in              (stateless content, stable URL)
 *   FundshareService       API, Lambdas, schedule, alarms, dashboard   (stateless: safe to destroy and redeploy)
 * and, by context only, FundshareBackupCopy (a vault in a second region) and FundshareApiWaf (a
 * us-east-1 web ACL for a CloudFront in front of the API). The construct ids above are what
 * `cdk deploy` selects; the CloudFormation stack names carry the alliance and stage
 * (infra/deployment.ts), so several deployments share an account. Every stack and resource is
 * tagged with project, environment, alliance, owner, cost centre and data classification.
 * cdk-nag's AwsSolutions pack validates the whole app on every synth: an unacknowledged finding
 * fails the synth, and every acknowledgement sits next to the resource it excuses, with its reason.
 */
import { Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TABLE_SCHEMA } from '../functions/store/table-schema';
import type { AddinBuild } from './addin-build';
import type { FundshareConfig } from './config';
import { stackNames } from './deployment';
import { LAMBDA_ENTRIES } from './paths';
import { AddinHostingStack } from './stacks/addin-hosting-stack';
import { ApiWafStack } from './stacks/api-waf-stack';
import { BackupCopyStack } from './stacks/backup-copy-stack';
import { copyVaultName, DataStack } from './stacks/data-stack';
import { ServiceStack } from './stacks/service-stack';

/** Construct ids: what `cdk deploy <id>` and the cdk.out template files are named after. */
export const STACK_IDS = {
  data: 'FundshareData',
  hosting: 'FundshareAddinHosting',
  service: 'FundshareService',
  backupCopy: 'FundshareBackupCopy',
  apiWaf: 'FundshareApiWaf',
} as const;

export interface FundshareStacks {
  data: DataStack;
  hosting: AddinHostingStack;
  service: ServiceStack;
  backupCopy?: BackupCopyStack;
  apiWaf?: ApiWafStack;
}

export interface BuildOptions {
  /** The production add-in build, if one may be uploaded (infra/addin-build.ts). */
  addinBuild?: AddinBuild;
  entries?: { api: string; public: string; sync: string };
}

/** Tag keys on every stack and resource (cost allocation tags in Billing use the same keys). */
export const TAG_KEYS = {
  project: 'project',
  environment: 'environment',
  alliance: 'alliance',
  owner: 'owner',
  costCentre: 'cost-centre',
  dataClassification: 'data-classification',
} as const;

/**
 * CDK renders Tags on dashboards, but CloudFormation's published schema (what cfn-lint checks)
 * has none; a dashboard holds no data and costs next to nothing, so it goes untagged.
 */
const UNTAGGED_RESOURCE_TYPES = ['AWS::CloudWatch::Dashboard'];

export function deploymentTags(config: FundshareConfig): Record<string, string> {
  return {
    [TAG_KEYS.project]: 'fundshare',
    [TAG_KEYS.environment]: config.deployment.stage,
    [TAG_KEYS.alliance]: config.deployment.allianceId,
    [TAG_KEYS.owner]: config.tags.owner,
    [TAG_KEYS.costCentre]: config.tags.costCentre,
    [TAG_KEYS.dataClassification]: config.tags.dataClassification,
  };
}

export function buildFundshare(app: App, config: FundshareConfig, options: BuildOptions = {}): FundshareStacks {
  const account = config.account ? { account: config.account } : {};
  const env = { region: config.region, ...account };
  const entries = options.entries ?? LAMBDA_ENTRIES;
  const names = stackNames(config.deployment);
  const tags = deploymentTags(config);
  // Stack-level tags (CloudFormation applies them to every resource that takes tags), and
  // resource-level tags through Tags.of below: the explicitStackTags flag keeps the two apart.
  const common = { tags };

  const backupCopy = config.backup.copyRegion
    ? new BackupCopyStack(app, STACK_IDS.backupCopy, {
        ...common,
        env: { region: config.backup.copyRegion, ...account },
        stackName: names.backupCopy,
        description: `Fundshare ${config.deployment.allianceId} ${config.deployment.stage}: backup copy vault (retained)`,
        vaultName: copyVaultName(config.deployment),
      })
    : undefined;
  const data = new DataStack(app, STACK_IDS.data, {
    ...common,
    env,
    stackName: names.data,
    description: 'Fundshare data: DynamoDB table and its backups, intake and export buckets (retained; termination protection on)',
    deployment: config.deployment,
    backup: config.backup,
  });
  if (backupCopy) data.addStackDependency(backupCopy, 'the backup plan copies into the copy vault');

  const hosting = new AddinHostingStack(app, STACK_IDS.hosting, {
    ...common,
    env,
    stackName: names.hosting,
    description: 'Fundshare Excel add-in hosting: private S3 bucket behind CloudFront (origin access control)',
    deployment: config.deployment,
    ...(config.addinDomain ? { customDomain: config.addinDomain } : {}),
    ...(options.addinBuild ? { addinBuild: options.addinBuild } : {}),
  });

  const apiWaf = config.apiWaf.createWebAcl
    ? new ApiWafStack(app, STACK_IDS.apiWaf, {
        ...common,
        env: { region: 'us-east-1', ...account },
        stackName: names.apiWaf,
        description: 'Fundshare API web ACL (CloudFront scope, us-east-1): per-IP rate limit',
        webAclName: names.apiWaf,
        rateLimit: config.apiWaf.rateLimit,
      })
    : undefined;

  const service = new ServiceStack(app, STACK_IDS.service, {
    ...common,
    env,
    stackName: names.service,
    description: 'Fundshare service: HTTP API with JWT authorizer, API, public and sync Lambdas, schedule, alarms, dashboard (stateless)',
    deployment: config.deployment,
    tableSchema: TABLE_SCHEMA,
    extraAllowedOrigins: config.extraAllowedOrigins,
    jwtIssuer: config.jwtIssuer,
    jwtAudience: config.jwtAudience,
    apiEntry: entries.api,
    publicEntry: entries.public,
    syncEntry: entries.sync,
    syncCron: config.syncCron,
    logLevel: config.logLevel,
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    ...(config.alarmTopicArn ? { alarmTopicArn: config.alarmTopicArn } : {}),
    ...(config.apiWaf.webAclArn ? { apiWebAclArn: config.apiWaf.webAclArn } : {}),
  });
  // The references are by export name and SSM parameter, so CDK cannot infer the order: state it.
  service.addStackDependency(data, 'imports the table and bucket exports');
  service.addStackDependency(hosting, 'reads the add-in origin parameter');

  const stacks: Stack[] = [data, hosting, service, ...(backupCopy ? [backupCopy] : []), ...(apiWaf ? [apiWaf] : [])];
  for (const stack of stacks) {
    for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value, { excludeResourceTypes: UNTAGGED_RESOURCE_TYPES });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, hosting, service, ...(backupCopy ? { backupCopy } : {}), ...(apiWaf ? { apiWaf } : {}) };
}
