/**
 * A Lambda function the way every Fundshare function is built: bundled here by the locally
 * installed esbuild (never Docker), ESM, minified, with source maps and the AWS SDK inside the
 * bundle; arm64 on a pinned Node.js runtime; its own log group with retention; and its own role
 * that starts with nothing but writing to that log group (and sending X-Ray traces: active
 * tracing on every function). Callers grant the rest explicitly.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { LogLevel } from '../config';
import { LAMBDA_CREDENTIALS, LOCK_FILE, REPO_ROOT } from '../paths';

/** Pinned, never NODEJS_LATEST: a runtime change is a reviewed commit, not a side effect of upgrading CDK. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = lambda.Architecture.ARM_64;
/** Function logs are kept a year: enough to trace any request or sync run questioned at year end. */
export const FUNCTION_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * esbuild's own defaults for an ESM bundle: `module` before `main` so the AWS SDK's ESM build is
 * used (its CJS build fails in ESM with "Dynamic require of node:https"), and a real `require`
 * for the CJS packages that remain (exceljs and friends call require('stream') and the like).
 */
export const BUNDLING: nodejs.BundlingOptions = {
  format: nodejs.OutputFormat.ESM,
  platform: 'node',
  // node22 syntax runs on the pinned Node 24 runtime and on the Node 20+ used locally by the bench.
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourceMapMode: nodejs.SourceMapMode.DEFAULT,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __fundshareCreateRequire } from 'node:module'; const require = __fundshareCreateRequire(import.meta.url);",
  bundleAwsSDK: true,
  externalModules: [],
  // In Lambda the only credential source is the environment: functions/lambda-credentials.ts
  // replaces the SDK's full default chain (about 110 KB of never-run providers per bundle).
  esbuildArgs: { '--alias': `@aws-sdk/credential-provider-node=${LAMBDA_CREDENTIALS}` },
  forceDockerBundling: false,
};

export interface FundshareFunctionProps {
  entry: string;
  description: string;
  /** Powertools service name: every log line and metric carries it. */
  serviceName: string;
  logLevel: LogLevel;
  environment: Record<string, string>;
  memorySize: number;
  timeout: Duration;
}

export class FundshareFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FundshareFunctionProps) {
    super(scope, id);

    // Auto-named and retained: logs outlive a teardown of the service stack and expire by retention,
    // and a redeploy after a teardown never collides with the old group's name.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // No AWSLambdaBasicExecutionRole: it may write to every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName}: writes its own logs; every other permission is granted explicitly`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: LOCK_FILE,
      bundling: BUNDLING,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        // Traces show timings and AWS calls, never response bodies: those hold names and amounts.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        // No NODE_OPTIONS=--enable-source-maps: it parses the ~1 MB map at every cold start. The
        // logger maps a logged error's stack through the map beside the bundle instead
        // (functions/original-stack.ts), so traces still point at the TypeScript source.
      },
    });
    this.acknowledgeTracingWildcard();
  }

  /** Active tracing grants xray:PutTraceSegments and PutTelemetryRecords, which take no resource but "*". */
  private acknowledgeTracingWildcard(): void {
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so CDK grants them on "*"; the validation below fails the synth if anything else ever gets "*".',
    });
    const allowedOnStar = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    this.role.node.addValidation({
      validate: () => {
        const policy = this.role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
        const statements =
          (policy?.document.toJSON() as { Statement?: { Action: string | string[]; Resource: unknown }[] } | undefined)?.Statement ?? [];
        return statements
          .filter((st) => [st.Resource].flat().includes('*'))
          .flatMap((st) => [st.Action].flat())
          .filter((action) => !allowedOnStar.has(action))
          .map((action) => `${action} is granted on "*" to ${this.node.path}; only X-Ray trace writes may be`);
      },
    });
  }
}
