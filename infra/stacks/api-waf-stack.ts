/**
 * Optional (fundshare:apiWaf=true): the WAF web ACL for a CloudFront distribution in front of the
 * API. CloudFront-scope web ACLs exist only in us-east-1, hence a stack of its own there. Its
 * WebAclArn output goes into fundshare:apiWebAclArn, which adds the distribution to the service
 * stack (docs/deploy-production.md: the API behind WAF).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface ApiWafStackProps extends StackProps {
  webAclName: string;
  /** Requests per five minutes from one IP before it is blocked. */
  rateLimit: number;
}

export class ApiWafStack extends Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiWafStackProps) {
    super(scope, id, props);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.webAclName,
      description: 'Fundshare API: per-IP rate limit and known bad IPs',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${props.webAclName}-all`),
      rules: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility(`${props.webAclName}-rate-limit`),
        },
        {
          name: 'aws-ip-reputation',
          priority: 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesAmazonIpReputationList' } },
          visibilityConfig: visibility(`${props.webAclName}-ip-reputation`),
        },
      ],
    });
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: 'Deploy the service with -c fundshare:apiWebAclArn=<this> to put CloudFront and this WAF in front of the API',
    });
  }
}
