/**
 * Everything that holds data and must outlive any deployment of the code: the table, the intake
 * bucket (bid files land here; it triggers nothing, the schedule reads it), the export bucket (the
 * central reporting store) and the bucket their access logs go to. Every resource is retained when
 * the stack is deleted, and the stack itself has termination protection.
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../functions/store/table-schema';
import { FundshareTable } from '../constructs/fundshare-table';
import { secureBucket } from '../constructs/secure-bucket';

/** Replaced or deleted versions of bid files and exports are kept a year, then expire. */
const DATA_VERSION_RETENTION = Duration.days(365);
/** S3 access logs are kept two years: long enough to answer an audit question about last year. */
const ACCESS_LOG_RETENTION = Duration.days(731);

export class DataStack extends Stack {
  readonly table: dynamodb.Table;
  readonly tableSchema: TableSchema;
  readonly intakeBucket: s3.Bucket;
  readonly exportBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { terminationProtection: true, ...props });

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

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The Fundshare DynamoDB table' });
    new CfnOutput(this, 'IntakeBucketName', {
      value: this.intakeBucket.bucketName,
      description: 'Drop costed action plans (.xlsx, .csv) here; the scheduled sync ingests them',
    });
    new CfnOutput(this, 'ExportBucketName', {
      value: this.exportBucket.bucketName,
      description: 'Snapshots of bids, allocations and ledgers per financial year (the central reporting store)',
    });
  }
}
