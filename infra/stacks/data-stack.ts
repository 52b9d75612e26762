/**
 * Everything that holds data and must outlive any deployment of the code: the table, the intake
 * bucket (bid files land here; it triggers nothing, the schedule reads it), the export bucket (the
 * central reporting store) and the bucket their access logs go to. Every resource is retained when
 * the stack is deleted, the stack itself has termination protection, the stateful resources have
 * pinned logical ids, and the table is backed up by AWS Backup besides point-in-time recovery.
 */
import { Arn, ArnFormat, CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../functions/store/table-schema';
import type { BackupVaultLockMode } from '../config';
import { FundshareTable } from '../constructs/fundshare-table';
import { PINNED_LOGICAL_IDS, pinLogicalId } from '../constructs/pinned-ids';
import { secureBucket } from '../constructs/secure-bucket';
import { TableBackup } from '../constructs/table-backup';
import { backupVaultName, deploymentPrefix, type Deployment } from '../deployment';
import { publishDataExports } from '../stack-links';

/** Replaced or deleted versions of bid files and exports are kept a year, then expire. */
const DATA_VERSION_RETENTION = Duration.days(365);
/** S3 access logs are kept two years: long enough to answer an audit question about last year. */
const ACCESS_LOG_RETENTION = Duration.days(731);

export interface DataStackProps extends StackProps {
  deployment: Deployment;
  backup: {
    vaultLock?: BackupVaultLockMode;
    /** The region of the copy vault (BackupCopyStack), when backups are copied out of region. */
    copyRegion?: string;
  };
}

export class DataStack extends Stack {
  readonly table: dynamodb.Table;
  readonly backup: TableBackup;
  readonly tableSchema: TableSchema;
  readonly intakeBucket: s3.Bucket;
  readonly exportBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const prefix = deploymentPrefix(props.deployment);

    this.accessLogsBucket = secureBucket(this, 'AccessLogsBucket', {
      noncurrentVersionExpiration: Duration.days(30),
      lifecycleRules: [{ id: 'expire-access-logs', expiration: ACCESS_LOG_RETENTION }],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log bucket itself: logging its own access into itself would loop, and nothing else reads it.',
    });

    const fundshareTable = new FundshareTable(this, 'Store');
    this.table = fundshareTable.table;
    this.tableSchema = fundshareTable.schema;

    // Bid files and exports name people and organisations: SSE-KMS with the AWS managed key, so every
    // decrypt is in CloudTrail. An S3 Bucket Key keeps the KMS request charge negligible.
    this.intakeBucket = secureBucket(this, 'IntakeBucket', {
      accessLogs: { bucket: this.accessLogsBucket, prefix: 'intake' },
      encryption: s3.BucketEncryption.KMS_MANAGED,
      noncurrentVersionExpiration: DATA_VERSION_RETENTION,
    });
    this.exportBucket = secureBucket(this, 'ExportBucket', {
      accessLogs: { bucket: this.accessLogsBucket, prefix: 'export' },
      encryption: s3.BucketEncryption.KMS_MANAGED,
      noncurrentVersionExpiration: DATA_VERSION_RETENTION,
    });

    pinLogicalId(this.accessLogsBucket, PINNED_LOGICAL_IDS.accessLogsBucket);
    pinLogicalId(this.table, PINNED_LOGICAL_IDS.table);
    pinLogicalId(this.intakeBucket, PINNED_LOGICAL_IDS.intakeBucket);
    pinLogicalId(this.exportBucket, PINNED_LOGICAL_IDS.exportBucket);

    const copyVault = props.backup.copyRegion
      ? backup.BackupVault.fromBackupVaultArn(
          this,
          'CopyVault',
          Arn.format(
            {
              service: 'backup',
              region: props.backup.copyRegion,
              resource: 'backup-vault',
              resourceName: copyVaultName(props.deployment),
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            this,
          ),
        )
      : undefined;
    this.backup = new TableBackup(this, 'Backup', {
      table: this.table,
      vaultName: backupVaultName(props.deployment),
      planName: prefix,
      ...(props.backup.vaultLock ? { vaultLock: props.backup.vaultLock } : {}),
      ...(copyVault ? { copyVault } : {}),
    });

    publishDataExports(this, props.deployment, {
      tableName: { value: this.table.tableName, description: 'The Fundshare DynamoDB table' },
      intakeBucketName: {
        value: this.intakeBucket.bucketName,
        description: 'Drop costed action plans (.xlsx, .csv) here; the scheduled sync ingests them',
      },
      exportBucketName: {
        value: this.exportBucket.bucketName,
        description: 'Snapshots of bids, allocations and ledgers per financial year (the central reporting store)',
      },
    });
    new CfnOutput(this, 'BackupVaultName', { value: this.backup.vault.backupVaultName, description: 'AWS Backup vault of the table' });
    new CfnOutput(this, 'BackupRestoreRoleArn', {
      value: this.backup.role.roleArn,
      description: 'Role to choose when restoring a recovery point (AWS Backup console: Restore)',
    });
  }
}

/** The vault in the copy region (BackupCopyStack) that receives a copy of every backup. */
export function copyVaultName(deployment: Deployment): string {
  return `${deploymentPrefix(deployment)}-copy`;
}
