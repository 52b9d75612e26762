/**
 * Which deployment this is: a stage of one alliance's Fundshare. Several deployments share an AWS
 * account, so every name that must be unique in an account or region (stacks, exports, SSM
 * parameters, the backup vault, the dashboard) is derived here from the alliance id and the stage.
 */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface Deployment {
  stage: Stage;
  /** Short lowercase id of the alliance of funders (e.g. "wmw"), unique within the account. */
  allianceId: string;
}

/** Lowercase letters, digits and inner hyphens, starting with a letter: valid in every name built from it. */
export const ALLIANCE_ID_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** "fundshare-<alliance>-<stage>": the prefix of every account-unique name of a deployment. */
export function deploymentPrefix(d: Deployment): string {
  return `fundshare-${d.allianceId}-${d.stage}`;
}

/** CloudFormation stack names. The construct ids (FundshareData, …) stay fixed: they are what `cdk deploy` selects. */
export function stackNames(d: Deployment): { data: string; hosting: string; service: string; backupCopy: string; apiWaf: string } {
  const prefix = deploymentPrefix(d);
  return {
    data: `${prefix}-data`,
    hosting: `${prefix}-addin-hosting`,
    service: `${prefix}-service`,
    backupCopy: `${prefix}-backup-copy`,
    apiWaf: `${prefix}-api-waf`,
  };
}

/** An SSM parameter of this deployment: /fundshare/<alliance>/<stage>/<name>. */
export function parameterName(d: Deployment, name: string): string {
  return `/fundshare/${d.allianceId}/${d.stage}/${name}`;
}

/** A CloudFormation export of this deployment, named by hand so it never follows a construct rename. */
export function exportName(d: Deployment, name: string): string {
  return `${deploymentPrefix(d)}:${name}`;
}

/** CloudWatch namespace of the app's own metrics for this deployment: Fundshare/<alliance>/<stage>. */
export function metricsNamespace(d: Deployment): string {
  return `Fundshare/${d.allianceId}/${d.stage}`;
}

/** The AWS Backup vault of the table (data stack), which the service stack's backup-job alerts watch. */
export function backupVaultName(d: Deployment): string {
  return deploymentPrefix(d);
}
