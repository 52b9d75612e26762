/** One CloudWatch dashboard per deployment: API traffic and errors, latency, functions, table, sync, and every alarm's state. */
import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface ServiceDashboardProps {
  dashboardName: string;
  api: apigwv2.HttpApi;
  unauthorized: cloudwatch.IMetric;
  functions: Record<string, lambda.IFunction>;
  tableThrottles: cloudwatch.IMetric;
  syncFunction: lambda.IFunction;
  deadLetterQueue: sqs.IQueue;
  alarms: cloudwatch.IAlarm[];
}

export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const sum = { period, statistic: cloudwatch.Stats.SUM };
    const fns = Object.entries(props.functions);
    const graph = (title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget =>
      new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph('API requests and errors', [
        props.api.metricCount(sum),
        props.api.metricClientError(sum),
        props.api.metricServerError(sum),
        props.unauthorized,
      ]),
      graph('API latency (ms)', [
        props.api.metricLatency({ period, statistic: cloudwatch.Stats.p(50) }),
        props.api.metricLatency({ period, statistic: cloudwatch.Stats.p(99) }),
        props.api.metricIntegrationLatency({ period, statistic: cloudwatch.Stats.p(99) }),
      ]),
      graph('DynamoDB throttles', [props.tableThrottles]),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        fns.map(([name, fn]) => fn.metricErrors({ ...sum, label: name })),
      ),
      graph(
        'Function throttles',
        fns.map(([name, fn]) => fn.metricThrottles({ ...sum, label: name })),
      ),
      graph(
        'Function duration p99 (ms)',
        fns.map(([name, fn]) => fn.metricDuration({ period, statistic: cloudwatch.Stats.p(99), label: name })),
      ),
    );
    this.dashboard.addWidgets(
      graph('Sync runs', [
        props.syncFunction.metricInvocations({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
        props.syncFunction.metricErrors({ period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      ]),
      graph('Sync dead letters', [
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
      ]),
    );
  }
}
