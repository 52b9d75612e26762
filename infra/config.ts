/**
 * Deployment settings, read once from CDK context (`-c key=value` or cdk.json). Nothing here looks
 * anything up in AWS, so synth stays offline. The identity provider settings have no sensible
 * default: without them the app refuses to build, unless `fundshare:placeholders=true` asks for
 * clearly fake values (what `npm run synth` and the tests use). An API deployed with placeholders
 * fails closed: no real token has the placeholder issuer, so every protected route answers 401.
 * A real build also needs the deployment's stage and alliance (they name the stacks), the owner
 * and cost centre tags, and somewhere for alarms to go (an email or an SNS topic), unless
 * fundshare:allowNoAlarmDestination=true waives the last explicitly (refused for prod).
 */
import type { Node } from 'constructs';
import { ALLIANCE_ID_PATTERN, STAGES, type Deployment, type Stage } from './deployment';

export const CONTEXT_KEYS = {
  placeholders: 'fundshare:placeholders',
  region: 'fundshare:region',
  jwtIssuer: 'fundshare:jwtIssuer',
  jwtAudience: 'fundshare:jwtAudience',
  alarmEmail: 'fundshare:alarmEmail',
  addinDomainName: 'fundshare:addinDomainName',
  addinCertificateArn: 'fundshare:addinCertificateArn',
  extraAllowedOrigins: 'fundshare:extraAllowedOrigins',
  syncCron: 'fundshare:syncCron',
  logLevel: 'fundshare:logLevel',
  stage: 'fundshare:stage',
  allianceId: 'fundshare:allianceId',
  owner: 'fundshare:owner',
  costCentre: 'fundshare:costCentre',
  dataClassification: 'fundshare:dataClassification',
  alarmTopicArn: 'fundshare:alarmTopicArn',
  allowNoAlarmDestination: 'fundshare:allowNoAlarmDestination',
  backupVaultLock: 'fundshare:backupVaultLock',
  backupCopyRegion: 'fundshare:backupCopyRegion',
  apiWaf: 'fundshare:apiWaf',
  apiWafRateLimit: 'fundshare:apiWafRateLimit',
  apiWebAclArn: 'fundshare:apiWebAclArn',
} as const;

/** UK Government Security Classifications this system may hold (no SECRET data belongs here). */
export const DATA_CLASSIFICATIONS = ['OFFICIAL', 'OFFICIAL-SENSITIVE'] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/** Bid files and ledgers name people, organisations and crime types: OFFICIAL-SENSITIVE unless told otherwise. */
export const DEFAULT_DATA_CLASSIFICATION: DataClassification = 'OFFICIAL-SENSITIVE';

/** What the synth-only placeholders use for the deployment settings (never a real alliance). */
export const PLACEHOLDER_DEPLOYMENT: Deployment = { stage: 'dev', allianceId: 'example' };
export const PLACEHOLDER_TAG_VALUE = 'placeholder';

export const BACKUP_VAULT_LOCK_MODES = ['governance', 'compliance'] as const;
export type BackupVaultLockMode = (typeof BACKUP_VAULT_LOCK_MODES)[number];

/** Requests per five minutes from one IP before the WAF blocks it: far above what one person's Excel sends. */
export const DEFAULT_API_WAF_RATE_LIMIT = 1000;

/** A tenant id and client id of all zeros: no Entra ID tenant or app registration has them. */
export const PLACEHOLDER_TENANT_ID = '00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_ISSUER = `https://login.microsoftonline.com/${PLACEHOLDER_TENANT_ID}/v2.0`;
export const PLACEHOLDER_AUDIENCE = '00000000-0000-0000-0000-000000000000';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** EventBridge Scheduler cron fields (minute hour day-of-month month day-of-week year), Europe/London. */
export interface SyncCron {
  minute: string;
  hour: string;
  day?: string;
  month?: string;
  weekDay?: string;
}

export interface FundshareConfig {
  /** True when the identity settings are the documented placeholders (synth and tests only). */
  placeholders: boolean;
  /** UK data stays in the UK: London unless told otherwise. */
  region: string;
  /** The account, when the CLI knows one (credentials present); otherwise the stacks are account-agnostic. */
  account?: string;
  jwtIssuer: string;
  jwtAudience: string[];
  /** Where alarms go: an email subscribed to the stack's topic, an existing topic, or both. */
  alarmEmail?: string;
  alarmTopicArn?: string;
  /** True only when fundshare:allowNoAlarmDestination=true waives the alarm destination (say, a throwaway dev stage). */
  alarmDestinationWaived: boolean;
  deployment: Deployment;
  /** Cost and governance tags on every stack and resource. */
  tags: { owner: string; costCentre: string; dataClassification: DataClassification };
  backup: {
    /** AWS Backup vault lock: governance (removable with permission) or compliance (immutable after 3 days). */
    vaultLock?: BackupVaultLockMode;
    /** A second region that receives a copy of every backup. */
    copyRegion?: string;
  };
  apiWaf: {
    /** Create the WAF web ACL stack (us-east-1) for a CloudFront distribution in front of the API. */
    createWebAcl: boolean;
    rateLimit: number;
    /** The web ACL (its ARN, from the WAF stack's output) that a CloudFront distribution in front of the API uses. */
    webAclArn?: string;
  };
  /** A custom domain for the add-in (needs a certificate in us-east-1); else the CloudFront domain. */
  addinDomain?: { domainName: string; certificateArn: string };
  /** Origins allowed by the API's CORS besides the add-in's own (for example a staging host). */
  extraAllowedOrigins: string[];
  syncCron: SyncCron;
  logLevel: LogLevel;
}

/** Every hour on the hour from 06:00 to 20:00 London time: well clear of the 01:00–02:00 clock changes. */
export const DEFAULT_SYNC_CRON: SyncCron = { minute: '0', hour: '6-20' };

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(
      `Fundshare CDK configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        `Pass values with -c, for example:\n` +
        `  npx cdk deploy --all -c ${CONTEXT_KEYS.jwtIssuer}=https://login.microsoftonline.com/<tenant-id>/v2.0 ` +
        `-c ${CONTEXT_KEYS.jwtAudience}=<api-client-id> -c ${CONTEXT_KEYS.stage}=prod -c ${CONTEXT_KEYS.allianceId}=<alliance> ` +
        `-c ${CONTEXT_KEYS.owner}=<team> -c ${CONTEXT_KEYS.costCentre}=<code> -c ${CONTEXT_KEYS.alarmEmail}=<address>\n` +
        `(docs/deploy-production.md lists every setting)\n` +
        `or synthesise with documented placeholders: -c ${CONTEXT_KEYS.placeholders}=true (what npm run synth does).`,
    );
    this.name = 'ConfigError';
  }
}

type ContextReader = Pick<Node, 'tryGetContext'>;

function text(node: ContextReader, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s.length > 0 ? s : undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

function flag(node: ContextReader, key: string): boolean {
  const value: unknown = node.tryGetContext(key);
  return value === true || value === 'true';
}

function checkIssuer(issuer: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    problems.push(`${CONTEXT_KEYS.jwtIssuer} must be a URL, got "${issuer}"`);
    return;
  }
  if (url.protocol !== 'https:') problems.push(`${CONTEXT_KEYS.jwtIssuer} must be an https URL (API Gateway fetches its keys over TLS)`);
  // The usual slip with Entra ID: v1 tokens carry https://sts.windows.net/<tenant>/, v2 tokens the URL below.
  if (url.hostname === 'login.microsoftonline.com' && !/^\/[^/]+\/v2\.0\/?$/.test(url.pathname)) {
    problems.push(
      `${CONTEXT_KEYS.jwtIssuer} for Microsoft Entra ID is https://login.microsoftonline.com/<tenant-id>/v2.0 (got "${issuer}")`,
    );
  }
}

function checkOrigin(origin: string, key: string, problems: string[]): void {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:' || url.origin !== origin) {
    problems.push(`${key}: "${origin}" is not an https origin (scheme and host only, no path or trailing slash)`);
  }
}

function readSyncCron(node: ContextReader, problems: string[]): SyncCron {
  const raw = text(node, CONTEXT_KEYS.syncCron);
  if (!raw) return DEFAULT_SYNC_CRON;
  const fields = raw.split(/\s+/);
  if (fields.length !== 5) {
    problems.push(`${CONTEXT_KEYS.syncCron} takes five cron fields "minute hour day-of-month month day-of-week", got "${raw}"`);
    return DEFAULT_SYNC_CRON;
  }
  const [minute, hour, day, month, weekDay] = fields as [string, string, string, string, string];
  return {
    minute,
    hour,
    ...(day === '*' || day === '?' ? {} : { day }),
    ...(month === '*' ? {} : { month }),
    ...(weekDay === '*' || weekDay === '?' ? {} : { weekDay }),
  };
}

/** A tag value AWS accepts (letters, digits, spaces and _ . : / = + - @; at most 256 characters). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function readDeployment(node: ContextReader, placeholders: boolean, problems: string[]): Deployment {
  const stage = text(node, CONTEXT_KEYS.stage) ?? (placeholders ? PLACEHOLDER_DEPLOYMENT.stage : undefined);
  const allianceId = text(node, CONTEXT_KEYS.allianceId) ?? (placeholders ? PLACEHOLDER_DEPLOYMENT.allianceId : undefined);
  if (!stage) problems.push(`${CONTEXT_KEYS.stage} is required: one of ${STAGES.join(', ')}`);
  else if (!(STAGES as readonly string[]).includes(stage)) {
    problems.push(`${CONTEXT_KEYS.stage} must be one of ${STAGES.join(', ')}, got "${stage}"`);
  }
  if (!allianceId) problems.push(`${CONTEXT_KEYS.allianceId} is required: a short lowercase id of the alliance, e.g. wmw`);
  else if (!ALLIANCE_ID_PATTERN.test(allianceId)) {
    problems.push(
      `${CONTEXT_KEYS.allianceId}: "${allianceId}" must be 2-20 lowercase letters, digits or hyphens, starting with a letter (it goes into stack names)`,
    );
  }
  return { stage: (stage ?? PLACEHOLDER_DEPLOYMENT.stage) as Stage, allianceId: allianceId ?? PLACEHOLDER_DEPLOYMENT.allianceId };
}

function readTags(node: ContextReader, placeholders: boolean, problems: string[]): FundshareConfig['tags'] {
  const tagValue = (key: string, what: string): string => {
    const value = text(node, key) ?? (placeholders ? PLACEHOLDER_TAG_VALUE : undefined);
    if (!value) problems.push(`${key} is required: ${what} (tagged on every resource)`);
    else if (!TAG_VALUE.test(value))
      problems.push(`${key}: "${value}" is not a valid tag value (letters, digits, spaces, _ . : / = + - @)`);
    return value ?? PLACEHOLDER_TAG_VALUE;
  };
  const owner = tagValue(CONTEXT_KEYS.owner, 'the team answerable for this deployment, e.g. finance-systems@wmw.police.uk');
  const costCentre = tagValue(CONTEXT_KEYS.costCentre, 'the cost centre billed for it');
  const dataClassification = (text(node, CONTEXT_KEYS.dataClassification) ?? DEFAULT_DATA_CLASSIFICATION).toUpperCase();
  if (!(DATA_CLASSIFICATIONS as readonly string[]).includes(dataClassification)) {
    problems.push(`${CONTEXT_KEYS.dataClassification} must be one of ${DATA_CLASSIFICATIONS.join(', ')}, got "${dataClassification}"`);
  }
  return { owner, costCentre, dataClassification: dataClassification as DataClassification };
}

function readBackup(node: ContextReader, problems: string[]): FundshareConfig['backup'] {
  const vaultLock = text(node, CONTEXT_KEYS.backupVaultLock)?.toLowerCase();
  if (vaultLock && !(BACKUP_VAULT_LOCK_MODES as readonly string[]).includes(vaultLock)) {
    problems.push(`${CONTEXT_KEYS.backupVaultLock} must be one of ${BACKUP_VAULT_LOCK_MODES.join(', ')}, got "${vaultLock}"`);
  }
  const copyRegion = text(node, CONTEXT_KEYS.backupCopyRegion);
  if (copyRegion && !REGION.test(copyRegion)) problems.push(`${CONTEXT_KEYS.backupCopyRegion}: "${copyRegion}" is not an AWS region`);
  return {
    ...(vaultLock ? { vaultLock: vaultLock as BackupVaultLockMode } : {}),
    ...(copyRegion ? { copyRegion } : {}),
  };
}

function readApiWaf(node: ContextReader, problems: string[]): FundshareConfig['apiWaf'] {
  const raw = text(node, CONTEXT_KEYS.apiWafRateLimit);
  const rateLimit = raw === undefined ? DEFAULT_API_WAF_RATE_LIMIT : Number(raw);
  // WAF's own bounds for a rate-based rule's limit (requests per 5 minutes).
  if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
    problems.push(`${CONTEXT_KEYS.apiWafRateLimit} is requests per five minutes per IP, a whole number from 10, got "${raw}"`);
  }
  const webAclArn = text(node, CONTEXT_KEYS.apiWebAclArn);
  if (webAclArn && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[0-9a-f-]+$/.test(webAclArn)) {
    problems.push(
      `${CONTEXT_KEYS.apiWebAclArn} must be the ARN of a CloudFront-scope WAF web ACL (us-east-1, global/webacl/…), got "${webAclArn}"`,
    );
  }
  return { createWebAcl: flag(node, CONTEXT_KEYS.apiWaf), rateLimit, ...(webAclArn ? { webAclArn } : {}) };
}

/** Reads and checks every setting; throws one ConfigError naming every problem at once. */
export function readConfig(node: ContextReader, env: NodeJS.ProcessEnv = process.env): FundshareConfig {
  const problems: string[] = [];
  const placeholders = flag(node, CONTEXT_KEYS.placeholders);

  let jwtIssuer = text(node, CONTEXT_KEYS.jwtIssuer);
  let jwtAudience = list(text(node, CONTEXT_KEYS.jwtAudience));
  if (placeholders) {
    if (jwtIssuer || jwtAudience.length > 0) {
      problems.push(`${CONTEXT_KEYS.placeholders}=true cannot be combined with real identity settings: drop one or the other`);
    }
    jwtIssuer = PLACEHOLDER_ISSUER;
    jwtAudience = [PLACEHOLDER_AUDIENCE];
  } else {
    if (!jwtIssuer) problems.push(`${CONTEXT_KEYS.jwtIssuer} is required: https://login.microsoftonline.com/<tenant-id>/v2.0`);
    else checkIssuer(jwtIssuer, problems);
    if (jwtAudience.length === 0) {
      problems.push(`${CONTEXT_KEYS.jwtAudience} is required: the API app registration's client id (or Application ID URI)`);
    }
    if (jwtIssuer?.includes(PLACEHOLDER_TENANT_ID) || jwtAudience.includes(PLACEHOLDER_AUDIENCE)) {
      problems.push('the all-zero placeholder tenant or client id is not a real identity provider setting');
    }
  }

  const alarmEmail = text(node, CONTEXT_KEYS.alarmEmail);
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.push(`${CONTEXT_KEYS.alarmEmail}: "${alarmEmail}" is not an email address`);
  }
  const alarmTopicArn = text(node, CONTEXT_KEYS.alarmTopicArn);
  if (alarmTopicArn && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(alarmTopicArn)) {
    problems.push(`${CONTEXT_KEYS.alarmTopicArn}: "${alarmTopicArn}" is not an SNS topic ARN`);
  }
  const alarmDestinationWaived = flag(node, CONTEXT_KEYS.allowNoAlarmDestination);
  if (!alarmEmail && !alarmTopicArn && !alarmDestinationWaived) {
    problems.push(
      `alarms must reach someone: set ${CONTEXT_KEYS.alarmEmail}=<address> or ${CONTEXT_KEYS.alarmTopicArn}=<sns-topic-arn>, ` +
        `or waive it explicitly with ${CONTEXT_KEYS.allowNoAlarmDestination}=true (never for prod)`,
    );
  }

  const deployment = readDeployment(node, placeholders, problems);
  if (alarmDestinationWaived && deployment.stage === 'prod' && !placeholders) {
    problems.push(
      `${CONTEXT_KEYS.allowNoAlarmDestination}=true is refused for ${CONTEXT_KEYS.stage}=prod: production alarms must reach someone`,
    );
  }
  const tags = readTags(node, placeholders, problems);
  const backup = readBackup(node, problems);
  const apiWaf = readApiWaf(node, problems);

  const domainName = text(node, CONTEXT_KEYS.addinDomainName);
  const certificateArn = text(node, CONTEXT_KEYS.addinCertificateArn);
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    problems.push(`${CONTEXT_KEYS.addinDomainName} and ${CONTEXT_KEYS.addinCertificateArn} go together: set both or neither`);
  }
  if (certificateArn && !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/.test(certificateArn)) {
    problems.push(
      `${CONTEXT_KEYS.addinCertificateArn} must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)`,
    );
  }
  if (domainName && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i.test(domainName)) {
    problems.push(`${CONTEXT_KEYS.addinDomainName}: "${domainName}" is not a DNS name`);
  }

  const extraAllowedOrigins = list(text(node, CONTEXT_KEYS.extraAllowedOrigins));
  for (const origin of extraAllowedOrigins) checkOrigin(origin, CONTEXT_KEYS.extraAllowedOrigins, problems);

  const logLevel = (text(node, CONTEXT_KEYS.logLevel) ?? 'INFO').toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`${CONTEXT_KEYS.logLevel} must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const region = text(node, CONTEXT_KEYS.region) ?? 'eu-west-2';
  if (!REGION.test(region)) problems.push(`${CONTEXT_KEYS.region}: "${region}" is not an AWS region`);

  const syncCron = readSyncCron(node, problems);
  if (backup.copyRegion && backup.copyRegion === region) {
    problems.push(
      `${CONTEXT_KEYS.backupCopyRegion} must differ from the deployment region ${region} (a copy in the same region survives nothing)`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const account = env.CDK_DEFAULT_ACCOUNT;
  return {
    placeholders,
    region,
    ...(account ? { account } : {}),
    jwtIssuer: jwtIssuer as string,
    jwtAudience,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    alarmDestinationWaived,
    deployment,
    tags,
    backup,
    apiWaf,
    ...(domainName && certificateArn ? { addinDomain: { domainName: domainName.toLowerCase(), certificateArn } } : {}),
    extraAllowedOrigins,
    syncCron,
    logLevel: logLevel as LogLevel,
  };
}
