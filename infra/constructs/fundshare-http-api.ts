/**
 * The HTTP API in front of the API Lambda. Every route needs a token the JWT authorizer accepts
 * (issuer, audience, signature, expiry: Microsoft Entra ID in production) except the two public
 * ones the contract names: GET /health and GET /openapi.json, which go to a small function of
 * their own (functions/public-lambda.ts) so that probes and document fetches never run, cold-start
 * or take concurrency from the business function. HTTP APIs have no mock integration, and the
 * OpenAPI document is generated from the route declarations at run time, so a tiny function is the
 * simplest way to answer both without it. The app reads the roles from the verified claims and
 * decides (functions/auth). CORS admits only the add-in's origin; API Gateway answers preflights
 * itself. The stage is throttled as a whole and route by route, and writes JSON access logs.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Routes open to anyone, by contract (docs/design.md §4). Everything else goes through the authorizer. */
export const PUBLIC_ROUTES = ['GET /health', 'GET /openapi.json'] as const;

/** The methods and headers the app itself allows (functions/http/app.ts); API Gateway must agree. */
export const CORS_ALLOW_METHODS = [
  apigwv2.CorsHttpMethod.GET,
  apigwv2.CorsHttpMethod.POST,
  apigwv2.CorsHttpMethod.PUT,
  apigwv2.CorsHttpMethod.PATCH,
  apigwv2.CorsHttpMethod.OPTIONS,
];
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-match', 'idempotency-key'];
export const CORS_EXPOSE_HEADERS = ['etag', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'];

/**
 * A few dozen finance, board and PCC staff: a full pull of 10,000 bids is tens of pages. These
 * limits leave room for that many times over and stop a runaway client long before it costs money.
 */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

/** Writes are people entering or approving bids (a sheet push is a few requests in a row): far fewer than reads. */
export const WRITE_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export const WRITE_ROUTE_KEYS = WRITE_METHODS.map((method) => `${method} /{proxy+}`);

/**
 * Per-route limits (requests per second, burst), tighter than the stage's: the public routes need
 * no token, so they are the cheapest to abuse; writes cost DynamoDB conditional updates.
 */
export const ROUTE_THROTTLES: Record<string, { rateLimit: number; burstLimit: number }> = {
  'GET /health': { rateLimit: 5, burstLimit: 10 },
  'GET /openapi.json': { rateLimit: 2, burstLimit: 5 },
  ...Object.fromEntries(WRITE_ROUTE_KEYS.map((key) => [key, { rateLimit: 20, burstLimit: 40 }])),
};

/** Access logs: who (token subject, never the token), what, outcome, timings; kept a year. */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
};

export interface FundshareHttpApiProps {
  apiName: string;
  handler: lambda.IFunction;
  /** Answers the public routes (GET /health, GET /openapi.json) and nothing else. */
  publicHandler: lambda.IFunction;
  jwtIssuer: string;
  jwtAudience: string[];
  allowedOrigins: string[];
}

export class FundshareHttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly url: string;

  constructor(scope: Construct, id: string, props: FundshareHttpApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('ApiLambda', props.handler, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    const publicIntegration = new HttpLambdaIntegration('PublicLambda', props.publicHandler, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      authorizerName: `${props.apiName}-jwt`,
      jwtAudience: props.jwtAudience,
      identitySource: ['$request.header.Authorization'],
    });

    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'Fundshare HTTP API (bids, budgets, allocations); see GET /openapi.json',
      createDefaultStage: false,
      defaultIntegration: integration,
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: CORS_ALLOW_METHODS,
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: CORS_EXPOSE_HEADERS,
        allowCredentials: false,
        maxAge: Duration.minutes(10),
      },
    });
    const routes: apigwv2.HttpRoute[] = [];
    for (const route of PUBLIC_ROUTES) {
      const [method, path] = route.split(' ') as [keyof typeof apigwv2.HttpMethod, string];
      const publicRoutes = this.api.addRoutes({
        path,
        methods: [apigwv2.HttpMethod[method]],
        integration: publicIntegration,
        authorizer: new apigwv2.HttpNoneAuthorizer(),
      });
      routes.push(...publicRoutes);
      for (const publicRoute of publicRoutes) {
        Validations.of(publicRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route} is public by contract (docs/design.md §4): a liveness probe and the OpenAPI document, no data. Every other route needs a JWT.`,
        });
      }
    }

    // Writes get routes of their own only so that they can be throttled apart; same integration and authorizer.
    routes.push(...this.api.addRoutes({ path: '/{proxy+}', methods: WRITE_METHODS.map((m) => apigwv2.HttpMethod[m]), integration }));

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { ...API_THROTTLE },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(ROUTE_THROTTLES).map(([key, limit]) => [
        key,
        { ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit },
      ]),
    );
    // CloudFormation refuses route settings for a route that does not exist yet.
    for (const route of routes) this.stage.node.addDependency(route);
    this.url = this.stage.url;
  }
}
