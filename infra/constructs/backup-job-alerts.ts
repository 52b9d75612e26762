/**
 * AWS Backup failures reach the alarm topic: a backup job of the deployment's vault that fails,
 * is aborted or expires (never started in its window) sends an EventBridge event, routed here as a
 * short message. Backups that silently stop are the failure nobody notices until a restore.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export const FAILED_BACKUP_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

export interface BackupJobAlertsProps {
  /** The data stack's vault (TableBackup), by name: the name is derived from the deployment. */
  vaultName: string;
  topic: sns.ITopic;
}

export class BackupJobAlerts extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: BackupJobAlertsProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'FailedBackupJobs', {
      description: `AWS Backup jobs into ${props.vaultName} that failed, were aborted or expired`,
      eventPattern: {
        source: ['aws.backup'],
        detailType: ['Backup Job State Change'],
        detail: { state: [...FAILED_BACKUP_JOB_STATES], backupVaultName: [props.vaultName] },
      },
    });
    this.rule.addTarget(
      new targets.SnsTopic(props.topic, {
        message: events.RuleTargetInput.fromText(
          `Fundshare: an AWS Backup job into ${props.vaultName} ended ${events.EventField.fromPath('$.detail.state')} ` +
            `(${events.EventField.fromPath('$.detail.statusMessage')}). Job ${events.EventField.fromPath('$.detail.backupJobId')}: see AWS Backup > Jobs.`,
        ),
      }),
    );
  }
}
