/**
 * The alarms on the API, the functions and the table (the sync job raises its own). Each one
 * notifies the alarm topic when it fires and when it clears. Thresholds are sized for a few dozen
 * finance, board and PCC staff: any of them firing means something other than normal use.
 * Missing data (no traffic) is never a problem here, so every alarm treats it as not breaching.
 */
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

const FIVE_MINUTES = Duration.minutes(5);

export const ALARM_THRESHOLDS = {
  /** API answers 5xx in five minutes. */
  serverErrors: 5,
  /** Any 4xx in five minutes: far above a few people's typos and stale ETags. */
  clientErrors: 50,
  /** 401s in five minutes: expired tokens happen, a burst of them is probing or a broken sign-in. */
  unauthorized: 25,
  /** p99 latency in ms, in two of three five-minute periods: people notice above about three seconds. */
  latencyP99Ms: 3000,
} as const;

export interface ServiceAlarmsProps {
  topic: sns.ITopic;
  api: apigwv2.HttpApi;
  /** The stage's access log group: 401s are counted from it (HTTP APIs publish 4xx only as one sum). */
  accessLogs: logs.ILogGroup;
  /** Functions whose errors alarm here (the sync job alarms on its own failed runs). */
  erroringFunctions: Record<string, lambda.IFunction>;
  /** Every function: throttles on any of them alarm. */
  functions: Record<string, lambda.IFunction>;
  table: dynamodb.ITable;
  metricsNamespace: string;
}

export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly unauthorizedMetric: cloudwatch.Metric;
  readonly tableThrottles: cloudwatch.IMetric;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const action = new cwActions.SnsAction(props.topic);
    const add = (alarmId: string, alarmProps: cloudwatch.AlarmProps): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...alarmProps });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };
    const atLeast = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

    add('ApiServerErrorsAlarm', {
      alarmDescription: `The Fundshare API answered 5xx at least ${ALARM_THRESHOLDS.serverErrors} times in 5 minutes (store unavailable, or a bug). See the API function logs.`,
      metric: props.api.metricServerError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: ALARM_THRESHOLDS.serverErrors,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });
    add('ApiClientErrorsAlarm', {
      alarmDescription: `The Fundshare API answered 4xx at least ${ALARM_THRESHOLDS.clientErrors} times in 5 minutes: a misbehaving client or someone probing. The access logs name the routes and source IPs.`,
      metric: props.api.metricClientError({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
      threshold: ALARM_THRESHOLDS.clientErrors,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    const unauthorized = new logs.MetricFilter(this, 'UnauthorizedFilter', {
      logGroup: props.accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '401'),
      metricNamespace: props.metricsNamespace,
      metricName: 'ApiUnauthorized',
      metricValue: '1',
    });
    this.unauthorizedMetric = unauthorized.metric({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM });
    add('ApiUnauthorizedAlarm', {
      alarmDescription: `The Fundshare API refused at least ${ALARM_THRESHOLDS.unauthorized} requests as 401 in 5 minutes: token probing, or sign-in broken for everyone (wrong issuer or audience after a change in Entra ID).`,
      metric: this.unauthorizedMetric,
      threshold: ALARM_THRESHOLDS.unauthorized,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });
    add('ApiLatencyP99Alarm', {
      alarmDescription: `The Fundshare API's p99 latency was ${ALARM_THRESHOLDS.latencyP99Ms} ms or more in 2 of the last 3 five-minute periods. Check DynamoDB throttles and the API function's duration and cold starts.`,
      metric: props.api.metricLatency({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99) }),
      threshold: ALARM_THRESHOLDS.latencyP99Ms,
      comparisonOperator: atLeast,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    for (const [name, fn] of Object.entries(props.erroringFunctions)) {
      add(`${name}ErrorsAlarm`, {
        alarmDescription: `The Fundshare ${name} function crashed or timed out (an unhandled error, not a problem response). See its logs and traces.`,
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}ThrottlesAlarm`, {
        alarmDescription: `Lambda throttled the Fundshare ${name} function: the account's concurrency is exhausted (another workload, or a flood of requests).`,
        metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // On-demand tables throttle too (a hot partition, or a sudden doubling past the previous peak).
    this.tableThrottles = new cloudwatch.MathExpression({
      expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)',
      usingMetrics: {
        readThrottles: props.table.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
        writeThrottles: props.table.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
      },
      label: 'DynamoDB throttle events',
      period: FIVE_MINUTES,
    });
    add('TableThrottlesAlarm', {
      alarmDescription:
        'DynamoDB throttled reads or writes on the Fundshare table: requests are failing or being retried. Check for a hot key or a runaway client.',
      metric: this.tableThrottles,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
  }
}
