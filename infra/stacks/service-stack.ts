/**
 * Everything stateless: the API Lambda behind the HTTP API, the scheduled sync, their log groups,
 * the dead-letter queue, the alarms and their topic. Deleting this stack loses no data (the table
 * and buckets live in the data stack; log groups are retained), and redeploying it is how code ships.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../functions/store/table-schema';
import type { LogLevel, SyncCron } from '../config';
import { FundshareFunction } from '../constructs/fundshare-function';
import { FundshareHttpApi } from '../constructs/fundshare-http-api';
import { SyncJob } from '../constructs/sync-job';
import { grantTableItemAccess } from '../constructs/table-access';

export const API_SERVICE_NAME = 'fundshare-api';

export interface ServiceStackProps extends StackProps {
  table: dynamodb.ITable;
  tableSchema: TableSchema;
  intakeBucket: s3.IBucket;
  exportBucket: s3.IBucket;
  /** Origins the API's CORS admits: the add-in's, plus any configured extras. */
  allowedOrigins: string[];
  jwtIssuer: string;
  jwtAudience: string[];
  apiEntry: string;
  syncEntry: string;
  syncCron: SyncCron;
  logLevel: LogLevel;
  alarmEmail?: string;
}

export class ServiceStack extends Stack {
  readonly apiFunction: FundshareFunction;
  readonly httpApi: FundshareHttpApi;
  readonly syncJob: SyncJob;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Fundshare alarms',
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.apiFunction = new FundshareFunction(this, 'ApiFunction', {
      entry: props.apiEntry,
      description: 'Fundshare HTTP API (API Gateway HTTP API, payload v2, JWT claims from the authorizer)',
      serviceName: API_SERVICE_NAME,
      logLevel: props.logLevel,
      // More memory is more CPU: a faster cold start for a ~1 MB bundle costs pennies at this volume.
      memorySize: 1024,
      // The store client gives up after 2 s to connect and 5 s a request (then 503); API Gateway waits 30 s.
      timeout: Duration.seconds(20),
      environment: {
        FUNDSHARE_TABLE: props.table.tableName,
        FUNDSHARE_ALLOWED_ORIGINS: props.allowedOrigins.join(','),
      },
    });
    // The API reads and writes items (ledger commits are conditional updates); it never scans or deletes.
    grantTableItemAccess(this.apiFunction.role, props.table, props.tableSchema, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);

    this.httpApi = new FundshareHttpApi(this, 'Api', {
      handler: this.apiFunction.function,
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      allowedOrigins: props.allowedOrigins,
    });

    this.syncJob = new SyncJob(this, 'Sync', {
      entry: props.syncEntry,
      table: props.table,
      tableSchema: props.tableSchema,
      intakeBucket: props.intakeBucket,
      exportBucket: props.exportBucket,
      cron: props.syncCron,
      logLevel: props.logLevel,
      alarmTopic: this.alarmTopic,
    });

    this.addApiAlarms();

    new CfnOutput(this, 'ApiUrl', {
      value: this.httpApi.url,
      description: 'The Fundshare API base URL: enter it in the add-in task pane (Connect)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Subscribe the finance systems team here (or deploy with -c fundshare:alarmEmail=...)',
    });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', { value: this.syncJob.deadLetterQueue.queueUrl });
  }

  private addApiAlarms(): void {
    const action = new cwActions.SnsAction(this.alarmTopic);
    const serverErrors = new cloudwatch.Alarm(this, 'ApiServerErrorsAlarm', {
      alarmDescription:
        'The Fundshare API answered 5xx at least 5 times in 5 minutes (store unavailable, or a bug). See the API function logs.',
      metric: this.httpApi.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const functionErrors = new cloudwatch.Alarm(this, 'ApiFunctionErrorsAlarm', {
      alarmDescription: 'The Fundshare API function crashed or timed out (an unhandled error, not a problem response).',
      metric: this.apiFunction.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [serverErrors, functionErrors]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
