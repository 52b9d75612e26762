/**
 * Acknowledging one cdk-nag IAM5 finding for one wildcard resource, exactly.
 *
 * cdk-nag names such a finding after the resource as the final template renders it, e.g.
 * `AwsSolutions-IAM5[Resource::FundshareData:ExportsOutputFnGetAtt…/*]` for an object ARN in a
 * bucket of another stack. That name only exists once CDK has turned the cross-stack reference into
 * an import (app preparation), so the acknowledgement is recorded then, from a construct validation
 * that runs after preparation and before the cdk-nag plugin, and with cdk-nag's own flattening, so
 * the id always matches the finding it excuses and nothing else. If cdk-nag ever renders the id
 * differently, the acknowledgement stops matching and synth fails: it fails safe.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// Not exported from cdk-nag's index; it is the function IAM5 itself uses to name a resource.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

export function acknowledgeWildcardResource(policyHolder: IConstruct, resource: string, reason: string): void {
  policyHolder.node.addValidation({
    validate: () => {
      const rendered = flattenCfnReference(Stack.of(policyHolder).resolve(resource));
      Validations.of(policyHolder).acknowledge({ id: `AwsSolutions-IAM5[Resource::${rendered}]`, reason });
      return [];
    },
  });
}
