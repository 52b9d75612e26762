/**
 * The scheduled sync (docs/design.md §7): ingest bid files from the intake bucket, reconcile every ledger,
 * export snapshots to the reporting bucket. EventBridge Scheduler runs it on a Europe/London cron
 * (so "06:00" stays 06:00 through BST). Failures are never silent:
 *   schedule → (delivery retries) → Lambda async invoke → (2 retries; the job is idempotent)
 *   → a dead-letter queue either way, and alarms on failed runs, dead letters, drift, and a day
 *   without any run.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LEDGER_WARN_PERCENT } from '../../functions/store/ledger-capacity';
import type { TableSchema } from '../../functions/store/table-schema';
import type { LogLevel, SyncCron } from '../config';
import { acknowledgeWildcardResource } from '../nag';
import { FundshareFunction } from './fundshare-function';
import { grantTableItemAccess } from './table-access';

export const SYNC_SERVICE_NAME = 'fundshare-sync';
/** The start of every deployment's metrics namespace (infra/deployment.ts: metricsNamespace). */
export const METRICS_NAMESPACE = 'Fundshare';
export const SYNC_TIME_ZONE = TimeZone.EUROPE_LONDON;

/**
 * How many whole days without a run mean the schedule is broken: one for a daily schedule, a week
 * for one limited to some weekdays, and none (no such alarm) for one limited to some days of the
 * month or months, whose gaps are longer than the week CloudWatch alarms can look back.
 */
export function longestQuietDays(cron: SyncCron): number | undefined {
  if (cron.day !== undefined || cron.month !== undefined) return undefined;
  return cron.weekDay !== undefined ? 7 : 1;
}

export interface SyncJobProps {
  entry: string;
  /** CloudWatch namespace of the job's own metrics: one per deployment, so alliances sharing an account never mix. */
  metricsNamespace: string;
  table: dynamodb.ITable;
  tableSchema: TableSchema;
  intakeBucket: s3.IBucket;
  exportBucket: s3.IBucket;
  cron: SyncCron;
  logLevel: LogLevel;
  alarmTopic: sns.ITopic;
}

export class SyncJob extends Construct {
  readonly fn: FundshareFunction;
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly cron: SyncCron;
  private readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: SyncJobProps) {
    super(scope, id);
    this.cron = props.cron;
    this.metricsNamespace = props.metricsNamespace;

    this.fn = new FundshareFunction(this, 'SyncFunction', {
      entry: props.entry,
      description: 'Fundshare scheduled sync: ingest intake files, reconcile ledgers, export snapshots',
      serviceName: SYNC_SERVICE_NAME,
      logLevel: props.logLevel,
      // Snapshots of a year's bids are built in memory; more memory also means more CPU for a faster run.
      memorySize: 1536,
      timeout: Duration.minutes(10),
      environment: {
        FUNDSHARE_TABLE: props.table.tableName,
        FUNDSHARE_INTAKE_BUCKET: props.intakeBucket.bucketName,
        FUNDSHARE_EXPORT_BUCKET: props.exportBucket.bucketName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
      },
    });
    const role = this.fn.role;

    // Reconcile reads and repairs ledgers with conditional puts and updates; it never deletes items.
    // BatchGetItem: its outbox check looks up many audit keys at once.
    grantTableItemAccess(role, props.table, props.tableSchema, [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);

    // Intake: list the drop area, read each file, copy it to done/ (read + write), remove it from the
    // root (delete), and write a rejection report beside it (write). ListBucket also lets S3 answer
    // 404 rather than 403 when the job checks whether done/<file> exists yet.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'IntakeList', actions: ['s3:ListBucket'], resources: [props.intakeBucket.bucketArn] }),
    );
    const intakeObjects = props.intakeBucket.arnForObjects('*');
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'IntakeObjects',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [intakeObjects],
      }),
    );
    acknowledgeWildcardResource(
      role,
      intakeObjects,
      'Object keys in the intake bucket are chosen by the people who drop bid files, so the job needs every key in that one bucket (and no other).',
    );
    // Export: writes only. Snapshots and their latest/ copies are whole PutObjects (functions/sync/
    // export.ts), so the job can neither list, read nor erase the reporting store.
    const exportObjects = props.exportBucket.arnForObjects('*');
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'ExportWrites', actions: ['s3:PutObject'], resources: [exportObjects] }));
    acknowledgeWildcardResource(
      role,
      exportObjects,
      'Export keys are per financial year and per run (timestamped snapshots and their latest/ copies), so writes need every key in the export bucket; no read, list or delete is granted.',
    );

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue (of the schedule target and of the async invocations); a DLQ of a DLQ would only hide failures further.',
    });

    // A failed run (the handler throws) is retried twice by Lambda, then recorded in the queue.
    this.fn.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // The schedule's own role: it may invoke this function and send to this queue, nothing else.
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke the Fundshare sync and dead-letter what it cannot deliver',
    });
    acknowledgeWildcardResource(
      schedulerRole,
      `${this.fn.function.functionArn}:*`,
      "CDK's grantInvoke also names the function's qualified ARNs (versions and aliases) of this one function; the schedule invokes $LATEST.",
    );

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: 'Fundshare sync: ingest, reconcile, export (Europe/London)',
      schedule: scheduler.ScheduleExpression.cron({ ...props.cron, timeZone: SYNC_TIME_ZONE }),
      timeWindow: scheduler.TimeWindow.off(),
      target: new targets.LambdaInvoke(this.fn.function, {
        role: schedulerRole,
        // Delivery failures (throttling, a missing function) are retried, then dead-lettered.
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
        input: scheduler.ScheduleTargetInput.fromObject({
          source: 'fundshare.schedule',
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
      }),
    });

    this.addAlarms(props.alarmTopic);
  }

  private addAlarms(topic: sns.ITopic): void {
    const action = new cwActions.SnsAction(topic);
    const fn = this.fn.function;
    const add = (alarm: cloudwatch.Alarm): void => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };

    add(
      new cloudwatch.Alarm(this, 'RunFailedAlarm', {
        alarmDescription: 'A Fundshare sync run failed (the handler threw). Check the sync function logs; later retries may still succeed.',
        metric: fn.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'A Fundshare sync run was given up on (all retries failed, or the schedule could not invoke it). Read the message in the dead-letter queue.',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    const quietDays = longestQuietDays(this.cron);
    if (quietDays !== undefined) {
      // Lambda publishes Invocations only when the function runs, so "no run" is missing data, not 0.
      // BREACHING would raise the alarm on a fresh deploy, before the first scheduled run;
      // NOT_BREACHING would never raise it at all. MISSING keeps a new alarm in INSUFFICIENT_DATA
      // (actions fire on transitions only, so deploying notifies nobody), the first run takes it to
      // OK, and a whole window without a run takes it back to INSUFFICIENT_DATA: that transition is
      // the "not running" notification, sent through the insufficient-data action below.
      const notRunning = new cloudwatch.Alarm(this, 'NotRunningAlarm', {
        alarmDescription: `The Fundshare sync has not run for ${quietDays === 1 ? 'a day' : `${quietDays} days`} (this alarm going to INSUFFICIENT_DATA after being OK means exactly that): the schedule is disabled, broken or cannot invoke the function.`,
        metric: fn.metricInvocations({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: quietDays,
        datapointsToAlarm: quietDays,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      });
      notRunning.addInsufficientDataAction(action);
      add(notRunning);
    }
    const metricAlarms: [metricName: string, description: string][] = [
      [
        'ReconcileDriftPence',
        'Reconcile found drift (ReconcileDriftPence > 0): a ledger disagreed with its allocations and bids. Reconcile repairs what it safely can; find out why it happened.',
      ],
      [
        'ReconcileDriftCount',
        'Reconcile found drift (ReconcileDriftCount > 0): a ledger disagreed with its allocations and bids. Reconcile repairs what it safely can; find out why it happened.',
      ],
      [
        'ReconcileDriftRemainingCount',
        'Drift that reconcile could not repair safely is still there (e.g. an approved share with no ledger entry). A person must look: the sync logs name the bid and funder.',
      ],
      [
        'IngestFailedFiles',
        'An intake file could not be ingested (it stays in the intake bucket and is retried each run). The sync logs say why.',
      ],
    ];
    add(
      new cloudwatch.Alarm(this, 'LedgerFullestPercentAlarm', {
        alarmDescription: `A ledger item (one funder's year) is at ${LEDGER_WARN_PERCENT} % or more of DynamoDB's 400 KB item limit; approvals fail when it is full. Plan sharding the pot into sub-ledgers (docs/design.md §3). The sync log names the year and funder.`,
        metric: new cloudwatch.Metric({
          namespace: this.metricsNamespace,
          metricName: 'LedgerFullestPercent',
          dimensionsMap: { service: SYNC_SERVICE_NAME },
          period: Duration.hours(1),
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
        threshold: LEDGER_WARN_PERCENT,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [metricName, alarmDescription] of metricAlarms) {
      add(
        new cloudwatch.Alarm(this, `${metricName}Alarm`, {
          alarmDescription,
          metric: new cloudwatch.Metric({
            namespace: this.metricsNamespace,
            metricName,
            dimensionsMap: { service: SYNC_SERVICE_NAME },
            period: Duration.hours(1),
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }
}
