/**
 * AWS Backup for the table, on top of point-in-time recovery (which only reaches back 35 days and
 * lives and dies with the table): a daily backup kept 35 days and a monthly one kept a year, in a
 * vault of their own that nobody may delete recovery points from. Optionally the vault is locked
 * (governance: removable by someone with the permission; compliance: immutable once its grace
 * period ends), and every backup is copied to a vault in a second region.
 */
import { Duration, RemovalPolicy, TimeZone, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { BackupVaultLockMode } from '../config';

export const DAILY_RETENTION = Duration.days(35);
export const MONTHLY_RETENTION = Duration.days(365);
/** The shortest grace period AWS Backup allows before a compliance lock becomes immutable. */
export const COMPLIANCE_LOCK_GRACE = Duration.days(3);

export interface TableBackupProps {
  table: dynamodb.ITable;
  /** The vault's name: unique in the account and region. */
  vaultName: string;
  planName: string;
  vaultLock?: BackupVaultLockMode;
  /** A vault in another region that receives a copy of every recovery point. */
  copyVault?: backup.IBackupVault;
}

export class TableBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;
  readonly selection: backup.BackupSelection;
  /** Backs the table up, and restores recovery points (choose it in the console when restoring). */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);

    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: props.vaultName,
      removalPolicy: RemovalPolicy.RETAIN,
      // A vault access policy that denies deleting recovery points to everyone: expiry by the plan still works.
      blockRecoveryPointDeletion: true,
      ...(props.vaultLock
        ? {
            lockConfiguration: {
              minRetention: DAILY_RETENTION,
              maxRetention: MONTHLY_RETENTION,
              // changeableFor makes it a compliance lock; without it the lock is governance mode.
              ...(props.vaultLock === 'compliance' ? { changeableFor: COMPLIANCE_LOCK_GRACE } : {}),
            },
          }
        : {}),
    });

    const copy = (deleteAfter: Duration): Pick<backup.BackupPlanRuleProps, 'copyActions'> =>
      props.copyVault ? { copyActions: [{ destinationBackupVault: props.copyVault, deleteAfter }] } : {};

    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: props.planName,
      backupVault: this.vault,
      backupPlanRules: [
        // 03:00 London: after the last sync run (20:00) and clear of the 01:00-02:00 clock changes.
        new backup.BackupPlanRule({
          ruleName: 'daily-35-days',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3' }),
          scheduleExpressionTimezone: TimeZone.EUROPE_LONDON,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: DAILY_RETENTION,
          ...copy(DAILY_RETENTION),
        }),
        new backup.BackupPlanRule({
          ruleName: 'monthly-1-year',
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '4', day: '1' }),
          scheduleExpressionTimezone: TimeZone.EUROPE_LONDON,
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(4),
          deleteAfter: MONTHLY_RETENTION,
          ...copy(MONTHLY_RETENTION),
        }),
      ],
    });

    // allowRestores: the same role can restore from the console (docs/deploy-production.md).
    this.selection = this.plan.addSelection('Table', {
      resources: [backup.BackupResource.fromDynamoDbTable(props.table)],
      allowRestores: true,
    });
    const role = this.selection.node.tryFindChild('Role');
    if (!(role instanceof iam.Role)) throw new Error('BackupSelection created no role');
    this.role = role;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'AWS Backup takes the table backups through its own service-role policy, maintained by AWS as the DynamoDB backup API grows; this role is assumable by backup.amazonaws.com only.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
        reason:
          'Restoring a recovery point into a new table is done with AWS Backup\u2019s own restore policy, maintained by AWS; only backup.amazonaws.com can assume this role.',
      },
    );
  }
}
