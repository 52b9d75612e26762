/**
 * Logical ids of the resources that must never be replaced by a refactor. CloudFormation knows a
 * resource only by its logical id: renaming or moving a construct changes the id CDK derives,
 * and the next deploy would create a new, empty table or bucket (the old one is retained, but
 * orphaned) or, for the add-in distribution, a new domain that no installed manifest names.
 * These are the ids CDK first generated, kept verbatim so stacks deployed before the pin keep
 * their resources. tests/infra/stable-ids.test.ts asserts them on the synthesised templates.
 */
import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const PINNED_LOGICAL_IDS = {
  table: 'StoreTable0CCFA19B',
  accessLogsBucket: 'AccessLogsBucket83982689',
  intakeBucket: 'IntakeBucket8068C236',
  exportBucket: 'ExportBucket4E99310E',
  addinLogsBucket: 'LogsBucket9C4D8843',
  addinContentBucket: 'ContentBucket52D4B12C',
  addinDistribution: 'Distribution830FAC52',
} as const;

/** Fixes the logical id of an L2 construct's CloudFormation resource. */
export function pinLogicalId(construct: IConstruct, logicalId: (typeof PINNED_LOGICAL_IDS)[keyof typeof PINNED_LOGICAL_IDS]): void {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) throw new Error(`${construct.node.path} has no CloudFormation resource to pin`);
  resource.overrideLogicalId(logicalId);
}
