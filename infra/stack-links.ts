/**
 * How the service stack finds what the other stacks hold, without CDK's automatic cross-stack
 * references (whose export names follow construct paths, and whose exports CDK deletes as soon as
 * the consumer stops using them, which CloudFormation refuses while the old consumer is deployed):
 *   data → service     CloudFormation exports with hand-written names (exportName in
 *                      infra/deployment.ts). An export in use cannot change, so a deploy that would
 *                      replace the table or a bucket under the running service fails instead.
 *   hosting → service  an SSM parameter holding the add-in's origin, read when the service deploys.
 *                      Switching to a custom domain (or back) changes the value and removes no export.
 */
import { CfnOutput, Fn, type Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { exportName, parameterName, type Deployment } from './deployment';

/** Output id (also the export's name suffix) for each value the data stack publishes. */
export const DATA_EXPORTS = {
  tableName: 'StoreTableName',
  intakeBucketName: 'IntakeBucketName',
  exportBucketName: 'ExportBucketName',
} as const;
export type DataExportKey = keyof typeof DATA_EXPORTS;

/** The add-in's https origin, written by the hosting stack. */
export const ADDIN_ORIGIN_PARAMETER = 'addin/origin';

export function publishDataExports(
  stack: Stack,
  deployment: Deployment,
  values: Record<DataExportKey, { value: string; description: string }>,
): void {
  for (const key of Object.keys(DATA_EXPORTS) as DataExportKey[]) {
    new CfnOutput(stack, DATA_EXPORTS[key], {
      value: values[key].value,
      description: values[key].description,
      exportName: exportName(deployment, DATA_EXPORTS[key]),
    });
  }
}

export interface ImportedData {
  table: dynamodb.ITable;
  intakeBucket: s3.IBucket;
  exportBucket: s3.IBucket;
}

export function importData(scope: Construct, deployment: Deployment): ImportedData {
  const value = (key: DataExportKey): string => Fn.importValue(exportName(deployment, DATA_EXPORTS[key]));
  return {
    // Names only: the ARNs follow from them in this account and region.
    table: dynamodb.Table.fromTableName(scope, 'ImportedTable', value('tableName')),
    intakeBucket: s3.Bucket.fromBucketName(scope, 'ImportedIntakeBucket', value('intakeBucketName')),
    exportBucket: s3.Bucket.fromBucketName(scope, 'ImportedExportBucket', value('exportBucketName')),
  };
}

export function publishAddinOrigin(scope: Construct, deployment: Deployment, origin: string): ssm.StringParameter {
  return new ssm.StringParameter(scope, 'AddinOriginParameter', {
    parameterName: parameterName(deployment, ADDIN_ORIGIN_PARAMETER),
    stringValue: origin,
    description: "The Fundshare add-in's https origin: the service stack's CORS reads it at deploy time",
  });
}

/** Resolved by CloudFormation on every deploy of the reading stack (a parameter of type AWS::SSM::Parameter::Value). */
export function readAddinOrigin(scope: Construct, deployment: Deployment): string {
  return ssm.StringParameter.valueForStringParameter(scope, parameterName(deployment, ADDIN_ORIGIN_PARAMETER));
}
