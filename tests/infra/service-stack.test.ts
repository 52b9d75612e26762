/**
 * The service stack: API, functions, schedule, alarms, and least privilege on the table and buckets.
 * The identity settings here are real-shaped (not the placeholders) to prove they reach the authorizer.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { BIDS_BY_FY_INDEX } from '../../functions/store/table-schema';
import { API_THROTTLE, CORS_ALLOW_HEADERS, ROUTE_THROTTLES, WRITE_ROUTE_KEYS } from '../../infra/constructs/fundshare-http-api';
import { longestQuietDays } from '../../infra/constructs/sync-job';
import {
  allStatements,
  asList,
  buildFixture,
  logicalIdOf,
  removeOutdir,
  roleStatements,
  type Fixture,
  type Statement,
} from './fundshare-fixture';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const CLIENT_ID = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture({
    context: {
      'fundshare:jwtIssuer': ISSUER,
      'fundshare:jwtAudience': `${CLIENT_ID}, api://fundshare.example.gov.uk/${CLIENT_ID}`,
      'fundshare:alarmEmail': 'fundshare-alerts@example.gov.uk',
    },
  });
});
afterAll(() => removeOutdir(fx));

const functions = () => Object.entries(fx.service.findResources('AWS::Lambda::Function'));
const functionNamed = (prefix: string) => {
  const found = functions().filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};
/** Does a (possibly intrinsic) resource reference contain the given logical id or export name fragment? */
const mentions = (resource: unknown, fragment: string) => JSON.stringify(resource).includes(fragment);
const TABLE_EXPORT = 'StoreTable';
/** The CloudFormation parameter through which the service reads the add-in origin from SSM. */
const addinOriginParameter = () => {
  const params = Object.entries(fx.service.toJSON().Parameters as Record<string, { Type: string; Default?: string }>);
  const found = params.filter(
    ([, p]) => p.Type === 'AWS::SSM::Parameter::Value<String>' && p.Default === '/fundshare/wmw/dev/addin/origin',
  );
  expect(found).toHaveLength(1);
  return found[0]![0];
};

describe('the Lambda functions', () => {
  it('are exactly the API, the public routes and the sync, arm64 on a pinned Node.js 22 or 24 runtime, traced by X-Ray', () => {
    expect(
      functions()
        .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['ApiFunction', 'PublicFunction', 'SyncSyncFunction']);
    for (const [, fn] of functions()) {
      expect(['nodejs22.x', 'nodejs24.x']).toContain(fn.Properties.Runtime);
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACER_CAPTURE_RESPONSE).toBe('false');
    }
  });

  it('log to their own log groups, kept a year and retained', () => {
    for (const [, fn] of functions()) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      const logGroup = fx.service.findResources('AWS::Logs::LogGroup')[logGroupId];
      expect(logGroup).toBeDefined();
      expect(logGroup!.Properties.RetentionInDays).toBe(365);
      expect(logGroup!.DeletionPolicy).toBe('Retain');
    }
  });

  it('give the API its contract environment: table, allowed origins, Powertools logger settings', () => {
    const api = functionNamed('ApiFunction');
    expect(api.Environment.Variables).toEqual({
      FUNDSHARE_TABLE: { 'Fn::ImportValue': 'fundshare-wmw-dev:StoreTableName' },
      FUNDSHARE_ALLOWED_ORIGINS: { Ref: addinOriginParameter() },
      POWERTOOLS_SERVICE_NAME: 'fundshare-api',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    });
  });

  it('give the public function no table, no bucket and no permission beyond its logs and traces', () => {
    const fn = functionNamed('PublicFunction');
    expect(Object.keys(fn.Environment.Variables).sort()).toEqual([
      'FUNDSHARE_ALLOWED_ORIGINS',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
    ]);
    const actions = roleStatements(fx.service, 'PublicFunctionRole').flatMap((st) => asList(st.Action));
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('give the sync its contract environment: table, both buckets, Powertools logger and metrics settings', () => {
    const sync = functionNamed('SyncSyncFunction');
    expect(sync.Environment.Variables).toEqual({
      FUNDSHARE_TABLE: { 'Fn::ImportValue': 'fundshare-wmw-dev:StoreTableName' },
      FUNDSHARE_INTAKE_BUCKET: { 'Fn::ImportValue': 'fundshare-wmw-dev:IntakeBucketName' },
      FUNDSHARE_EXPORT_BUCKET: { 'Fn::ImportValue': 'fundshare-wmw-dev:ExportBucketName' },
      POWERTOOLS_SERVICE_NAME: 'fundshare-sync',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'Fundshare/wmw/dev',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
    });
  });

  it('retry a failed sync run twice, then send it to the dead-letter queue', () => {
    fx.service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalIdOf(fx.service, 'AWS::Lambda::Function', 'SyncSyncFunction') },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(fx.service, 'AWS::SQS::Queue', 'SyncDeadLetterQueue'), 'Arn'] } },
      },
    });
  });
});

describe('least privilege', () => {
  const tableStatements = (statements: Statement[]) => statements.filter((s) => mentions(s.Resource, TABLE_EXPORT));

  it('grants no wildcard action anywhere in the service stack, none at all on the table, and "*" resources only to X-Ray', () => {
    const statements = allStatements(fx.service);
    expect(tableStatements(statements).length).toBeGreaterThan(0);
    for (const statement of statements) {
      for (const action of asList(statement.Action)) expect(action).not.toContain('*');
      if (asList(statement.Resource).includes('*')) {
        expect(asList(statement.Action).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      }
    }
  });

  it('lets the API and the sync get, put, update and query items (the sync batch-gets too), on the table and its one index only', () => {
    const expected: Record<string, string[]> = {
      ApiFunctionRole: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      SyncSyncFunctionRole: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
    };
    for (const [rolePrefix, allowed] of Object.entries(expected)) {
      const statements = tableStatements(roleStatements(fx.service, rolePrefix));
      const actions = new Set(statements.flatMap((s) => asList(s.Action)));
      expect([...actions].sort()).toEqual(allowed);
      const resources = statements.flatMap((s) => asList(s.Resource)).map((r) => JSON.stringify(r));
      for (const resource of resources) expect(resource).not.toMatch(/index\/\*|"\*"/);
      const indexStatement = statements.find((s) => mentions(s.Resource, `/index/${BIDS_BY_FY_INDEX}`));
      expect(indexStatement?.Action).toBe('dynamodb:Query');
    }
  });

  it('never lets a function scan, delete or batch-write the table', () => {
    const actions = allStatements(fx.service).flatMap((s) => asList(s.Action));
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteTable']) {
      expect(actions).not.toContain(forbidden);
    }
  });

  it('gives the API no S3 access, and the sync only what ingest and export need', () => {
    const s3Actions = (rolePrefix: string, bucket: string) =>
      roleStatements(fx.service, rolePrefix)
        .filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')) && mentions(s.Resource, bucket))
        .flatMap((s) => asList(s.Action))
        .sort();
    expect(
      roleStatements(fx.service, 'ApiFunctionRole')
        .flatMap((s) => asList(s.Action))
        .filter((a) => a.startsWith('s3:')),
    ).toEqual([]);
    expect(s3Actions('SyncSyncFunctionRole', 'IntakeBucket')).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    // Exports are written whole (latest/ copies too): the job can neither list, read nor erase the reporting store.
    expect(s3Actions('SyncSyncFunctionRole', 'ExportBucket')).toEqual(['s3:PutObject']);
  });
});

describe('the HTTP API', () => {
  it('has a JWT authorizer whose issuer and audience come from context', () => {
    fx.service.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    fx.service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: ISSUER, Audience: [CLIENT_ID, `api://fundshare.example.gov.uk/${CLIENT_ID}`] },
    });
  });

  it('sends every route through the authorizer except GET /health and GET /openapi.json', () => {
    const authorizerId = logicalIdOf(fx.service, 'AWS::ApiGatewayV2::Authorizer', 'ApiHttpApiJwtAuthorizer');
    const routes = Object.values(fx.service.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    const byKey = new Map(routes.map((r) => [r.RouteKey as string, r]));
    expect([...byKey.keys()].sort()).toEqual(['$default', 'GET /health', 'GET /openapi.json', ...WRITE_ROUTE_KEYS].sort());
    for (const key of ['$default', ...WRITE_ROUTE_KEYS]) {
      expect(byKey.get(key)).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
    for (const key of ['GET /health', 'GET /openapi.json']) expect(byKey.get(key)).toMatchObject({ AuthorizationType: 'NONE' });
  });

  it('answers GET /health and GET /openapi.json with the public function, everything else with the API function', () => {
    const integrations = fx.service.findResources('AWS::ApiGatewayV2::Integration');
    const targetOf = (routeKey: string): string => {
      const route = Object.values(fx.service.findResources('AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === routeKey)!;
      const integrationId = JSON.stringify(route.Properties.Target).match(/"Ref":"([^"]+)"/)![1]!;
      return JSON.stringify(integrations[integrationId]!.Properties.IntegrationUri);
    };
    const publicFn = logicalIdOf(fx.service, 'AWS::Lambda::Function', 'PublicFunction');
    const apiFn = logicalIdOf(fx.service, 'AWS::Lambda::Function', 'ApiFunction');
    for (const key of ['GET /health', 'GET /openapi.json']) expect(targetOf(key)).toContain(publicFn);
    for (const key of ['$default', ...WRITE_ROUTE_KEYS]) expect(targetOf(key)).toContain(apiFn);
  });

  it('throttles route by route: the public routes and writes tighter than the stage', () => {
    const stage = Object.values(fx.service.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(Object.keys(settings).sort()).toEqual(Object.keys(ROUTE_THROTTLES).sort());
    for (const [key, limit] of Object.entries(ROUTE_THROTTLES)) {
      expect(settings[key]).toEqual({ ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit });
      expect(limit.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
    }
    // Route settings name routes that must exist before the stage is updated.
    const throttledRouteIds = Object.entries(fx.service.findResources('AWS::ApiGatewayV2::Route'))
      .filter(([, route]) => route.Properties.RouteKey in ROUTE_THROTTLES)
      .map(([id]) => id);
    expect(throttledRouteIds).toHaveLength(Object.keys(ROUTE_THROTTLES).length);
    expect(asList(stage.DependsOn as string[])).toEqual(expect.arrayContaining(throttledRouteIds));
  });

  it("limits CORS to the add-in's origin, with the headers the app uses", () => {
    fx.service.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        // The add-in's origin, read from the hosting stack's SSM parameter when the service deploys.
        AllowOrigins: [{ Ref: addinOriginParameter() }],
        AllowHeaders: CORS_ALLOW_HEADERS,
        AllowCredentials: false,
      },
    });
    const api = Object.values(fx.service.findResources('AWS::ApiGatewayV2::Api'))[0]!;
    expect(JSON.stringify(api.Properties.CorsConfiguration.AllowOrigins)).not.toContain('"*"');
  });

  it('throttles the stage and writes JSON access logs to a retained log group', () => {
    fx.service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, Format: Match.anyValue() },
    });
    const stage = Object.values(fx.service.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
    expect(JSON.stringify(format)).not.toMatch(/authorization|header/i);
  });

  it('outputs its URL for the add-in', () => {
    fx.service.hasOutput('ApiUrl', {});
  });
});

describe('the sync schedule', () => {
  it('is an EventBridge Scheduler cron in Europe/London with retries and a dead-letter queue', () => {
    const syncFn = logicalIdOf(fx.service, 'AWS::Lambda::Function', 'SyncSyncFunction');
    fx.service.resourceCountIs('AWS::Scheduler::Schedule', 1);
    fx.service.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6-20 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [syncFn, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(fx.service, 'AWS::SQS::Queue', 'SyncDeadLetterQueue'), 'Arn'] } },
      },
    });
  });

  it('invokes through a role that may call only the sync function and the dead-letter queue', () => {
    const actions = roleStatements(fx.service, 'SyncSchedulerRole').flatMap((s) => asList(s.Action));
    expect(actions.sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });

  it('has an encrypted, TLS-only dead-letter queue', () => {
    fx.service.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    fx.service.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('alarms', () => {
  const alarms = () => Object.values(fx.service.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
  const topicRef = () => ({ Ref: logicalIdOf(fx.service, 'AWS::SNS::Topic', 'AlarmTopic') });

  it('fire when reconcile reports drift (found, or left unrepaired) or an intake file fails, in the Fundshare namespace', () => {
    for (const metricName of ['ReconcileDriftPence', 'ReconcileDriftCount', 'ReconcileDriftRemainingCount', 'IngestFailedFiles']) {
      fx.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'Fundshare/wmw/dev',
        MetricName: metricName,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef()],
      });
    }
  });

  it('fire when a ledger item reaches 75 % of DynamoDB’s 400 KB item limit', () => {
    fx.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Fundshare/wmw/dev',
      MetricName: 'LedgerFullestPercent',
      Statistic: 'Maximum',
      Threshold: 75,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });

  it('fire when the sync fails, dead-letters, or has not run for a day', () => {
    const syncFn = logicalIdOf(fx.service, 'AWS::Lambda::Function', 'SyncSyncFunction');
    const onSync = (metricName: string) =>
      alarms().find((a) => a.MetricName === metricName && JSON.stringify(a.Dimensions ?? []).includes(syncFn));
    expect(onSync('Errors')).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [topicRef()] });
    // Missing data (no run) is not breaching at first: a fresh deploy notifies nobody, and a day
    // without a run after the first one moves the alarm to INSUFFICIENT_DATA, which notifies.
    expect(onSync('Invocations')).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'missing',
      Period: 86400,
      InsufficientDataActions: [topicRef()],
      AlarmActions: [topicRef()],
      OKActions: [topicRef()],
    });
    expect(alarms().find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topicRef()],
    });
  });

  it('notify a TLS-only topic with the configured email subscribed', () => {
    fx.service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'fundshare-alerts@example.gov.uk' });
    fx.service.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([topicRef()]);
  });
});

describe('the not-running alarm for other schedules', () => {
  it('waits a day for a daily schedule, a week for a weekday one, and is left out for monthly ones', () => {
    expect(longestQuietDays({ minute: '0', hour: '6-20' })).toBe(1);
    expect(longestQuietDays({ minute: '30', hour: '7', weekDay: 'MON-FRI' })).toBe(7);
    expect(longestQuietDays({ minute: '0', hour: '2', day: '1' })).toBeUndefined();
    expect(longestQuietDays({ minute: '0', hour: '2', month: '4' })).toBeUndefined();
  });
});
