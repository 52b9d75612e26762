/**
 * Everything stateless: the API and public Lambdas behind the HTTP API, the scheduled sync, their
 * log groups, the dead-letter queue, the alarms, the dashboard and the alarm topic. Deleting this
 * stack loses no data (the table and buckets live in the data stack; log groups are retained), and
 * redeploying it is how code ships. It finds the table and buckets through named exports and the
 * add-in's origin through an SSM parameter (infra/stack-links.ts), never through CDK's automatic
 * cross-stack references.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { TableSchema } from '../../functions/store/table-schema';
import type { LogLevel, SyncCron } from '../config';
import { ApiEdge } from '../constructs/api-edge';
import { BackupJobAlerts } from '../constructs/backup-job-alerts';
import { FundshareFunction } from '../constructs/fundshare-function';
import { FundshareHttpApi } from '../constructs/fundshare-http-api';
import { ServiceAlarms } from '../constructs/service-alarms';
import { ServiceDashboard } from '../constructs/service-dashboard';
import { SyncJob } from '../constructs/sync-job';
import { grantTableItemAccess } from '../constructs/table-access';
import { backupVaultName, deploymentPrefix, metricsNamespace, type Deployment } from '../deployment';
import { importData, readAddinOrigin } from '../stack-links';

export const API_SERVICE_NAME = 'fundshare-api';
export const PUBLIC_SERVICE_NAME = 'fundshare-public';

export interface ServiceStackProps extends StackProps {
  deployment: Deployment;
  tableSchema: TableSchema;
  /** Origins the API's CORS admits besides the add-in's own (read from the hosting stack's parameter). */
  extraAllowedOrigins: string[];
  jwtIssuer: string;
  jwtAudience: string[];
  apiEntry: string;
  publicEntry: string;
  syncEntry: string;
  syncCron: SyncCron;
  logLevel: LogLevel;
  alarmEmail?: string;
  /** An existing topic for the alarms (say, the team's on-call topic) instead of one of this stack's own. */
  alarmTopicArn?: string;
  /** A CloudFront-scope WAF web ACL: puts a CloudFront distribution with it in front of the API. */
  apiWebAclArn?: string;
}

export class ServiceStack extends Stack {
  readonly apiFunction: FundshareFunction;
  readonly publicFunction: FundshareFunction;
  readonly httpApi: FundshareHttpApi;
  readonly syncJob: SyncJob;
  readonly alarmTopic: sns.ITopic;
  readonly alarms: ServiceAlarms;
  readonly dashboard: ServiceDashboard;
  readonly apiEdge?: ApiEdge;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const prefix = deploymentPrefix(props.deployment);
    const namespace = metricsNamespace(props.deployment);
    const data = importData(this, props.deployment);
    const allowedOrigins = [readAddinOrigin(this, props.deployment), ...props.extraAllowedOrigins];

    this.alarmTopic = props.alarmTopicArn
      ? sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)
      : new sns.Topic(this, 'AlarmTopic', { displayName: `Fundshare alarms (${prefix})`, enforceSSL: true });
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
        FUNDSHARE_TABLE: data.table.tableName,
        FUNDSHARE_ALLOWED_ORIGINS: allowedOrigins.join(','),
      },
    });
    // The API reads and writes items (ledger commits are conditional updates); it never scans or deletes.
    grantTableItemAccess(this.apiFunction.role, data.table, props.tableSchema, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);

    // GET /health and GET /openapi.json: no store, no permissions beyond its own logs and traces.
    this.publicFunction = new FundshareFunction(this, 'PublicFunction', {
      entry: props.publicEntry,
      description: 'Fundshare public routes: GET /health and GET /openapi.json (no data access)',
      serviceName: PUBLIC_SERVICE_NAME,
      logLevel: props.logLevel,
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: { FUNDSHARE_ALLOWED_ORIGINS: allowedOrigins.join(',') },
    });

    this.httpApi = new FundshareHttpApi(this, 'Api', {
      apiName: prefix,
      handler: this.apiFunction.function,
      publicHandler: this.publicFunction.function,
      jwtIssuer: props.jwtIssuer,
      jwtAudience: props.jwtAudience,
      allowedOrigins,
    });

    this.syncJob = new SyncJob(this, 'Sync', {
      entry: props.syncEntry,
      metricsNamespace: namespace,
      table: data.table,
      tableSchema: props.tableSchema,
      intakeBucket: data.intakeBucket,
      exportBucket: data.exportBucket,
      cron: props.syncCron,
      logLevel: props.logLevel,
      alarmTopic: this.alarmTopic,
    });

    const functions = {
      Api: this.apiFunction.function,
      Public: this.publicFunction.function,
      Sync: this.syncJob.fn.function,
    };
    this.alarms = new ServiceAlarms(this, 'Alarms', {
      topic: this.alarmTopic,
      api: this.httpApi.api,
      accessLogs: this.httpApi.accessLogs,
      erroringFunctions: { Api: functions.Api, Public: functions.Public },
      functions,
      table: data.table,
      metricsNamespace: namespace,
    });
    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      dashboardName: prefix,
      api: this.httpApi.api,
      unauthorized: this.alarms.unauthorizedMetric,
      functions,
      tableThrottles: this.alarms.tableThrottles,
      syncFunction: this.syncJob.fn.function,
      deadLetterQueue: this.syncJob.deadLetterQueue,
      alarms: [...this.alarms.alarms, ...this.syncJob.alarms],
    });

    new BackupJobAlerts(this, 'BackupJobAlerts', { vaultName: backupVaultName(props.deployment), topic: this.alarmTopic });

    if (props.apiWebAclArn) {
      this.apiEdge = new ApiEdge(this, 'ApiEdge', { api: this.httpApi.api, webAclArn: props.apiWebAclArn });
      new CfnOutput(this, 'ApiEdgeUrl', {
        value: `https://${this.apiEdge.distribution.distributionDomainName}`,
        description: 'The API behind CloudFront and the WAF rate limit: give the add-in this URL instead of ApiUrl',
      });
    }

    new CfnOutput(this, 'ApiUrl', {
      value: this.httpApi.url,
      description: 'The Fundshare API base URL: enter it in the add-in task pane (Connect)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'Alarms are sent here: subscribe the finance systems team (or deploy with -c fundshare:alarmEmail=...)',
    });
    new CfnOutput(this, 'DashboardName', { value: prefix, description: 'CloudWatch dashboard of this deployment' });
    new CfnOutput(this, 'SyncDeadLetterQueueUrl', { value: this.syncJob.deadLetterQueue.queueUrl });
  }
}
