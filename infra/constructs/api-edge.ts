/**
 * Optional: a CloudFront distribution in front of the HTTP API, carrying a WAF web ACL (HTTP APIs
 * cannot take one directly). Nothing is cached; every viewer header but Host (the token, If-Match,
 * Idempotency-Key, Origin for CORS) goes to the API. The execute-api URL stays reachable: the
 * stage and route throttles still guard it, and the add-in is simply given this URL instead.
 */
import { Fn, Stack, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';

export interface ApiEdgeProps {
  api: apigwv2.IHttpApi;
  /** A CloudFront-scope (us-east-1) web ACL: the ApiWafStack's WebAclArn output. */
  webAclArn: string;
}

export class ApiEdge extends Construct {
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ApiEdgeProps) {
    super(scope, id);
    const apiDomain = Fn.join('.', [props.api.apiId, 'execute-api', Stack.of(this).region, Stack.of(this).urlSuffix]);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Fundshare API behind WAF',
      defaultBehavior: {
        origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: props.webAclArn,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: staff call the API from wherever they work; every data route needs an Entra ID token, and the WAF limits each IP.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          'Every request that reaches the API is in its access log (a year), and the WAF keeps samples of the requests it blocks; a second log of the same requests adds a bucket and no answer.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; viewers are forced to HTTPS, and the origin is reached over TLS 1.2.',
      },
    );
  }
}
