/**
 * Hosting for the Excel add-in: a private S3 bucket read only by CloudFront through origin access
 * control, served over HTTPS with security headers. The production manifest's URLs point at this
 * distribution (its domain is the `AddinBaseUrl` output). Its content is a build, so the stack is
 * stateless in the data sense; but installed manifests name its domain, so replacing the
 * distribution means shipping a new manifest (README: AWS deployment).
 */
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AddinBuild } from '../addin-build';
import { PINNED_LOGICAL_IDS, pinLogicalId } from '../constructs/pinned-ids';
import { secureBucket } from '../constructs/secure-bucket';
import type { Deployment } from '../deployment';
import { acknowledgeWildcardResource } from '../nag';
import { publishAddinOrigin } from '../stack-links';

export interface AddinHostingStackProps extends StackProps {
  deployment: Deployment;
  /** A custom domain with its us-east-1 certificate; else the distribution's cloudfront.net domain. */
  customDomain?: { domainName: string; certificateArn: string };
  /**
   * The production add-in build and whether it may be uploaded (infra/addin-build.ts). Without a
   * usable build the bucket's content is left alone: a fresh clone still synthesises, and a build
   * made for another URL is never published.
   */
  addinBuild?: AddinBuild;
}

/**
 * Headers every add-in response carries. No X-Frame-Options and no CSP frame-ancestors: Excel on
 * the web runs the task pane inside Office's own frame. The CSP below only forbids what the add-in
 * never needs (plugins, a foreign <base>, posting forms elsewhere); a full script-src policy has
 * to be proven against Office.js in real Excel before it is enforced.
 */
function securityHeaders(scope: Construct): cloudfront.ResponseHeadersPolicy {
  return new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeaders', {
    comment: 'Fundshare add-in: HSTS, nosniff, referrer policy, restrictive CSP basics',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: "object-src 'none'; base-uri 'self'; form-action 'self'", override: true },
    },
    removeHeaders: ['Server'],
  });
}

export class AddinHostingStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly logsBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://<domain>, no trailing slash: the add-in's origin for the API's CORS, and the manifest base URL. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: AddinHostingStackProps) {
    super(scope, id, props);

    // CloudFront standard logs are written with ACLs, so this bucket allows them (bucket owner preferred).
    this.logsBucket = secureBucket(this, 'LogsBucket', {
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      noncurrentVersionExpiration: Duration.days(30),
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(731) }],
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the log bucket for the add-in hosting (CloudFront and S3 access logs); logging it into itself would loop.',
    });

    // SSE-S3 (the default here): CloudFront origin access control cannot read objects under the
    // AWS managed KMS key. Content is a build and could be redeployed, but it is retained like any bucket.
    this.bucket = secureBucket(this, 'ContentBucket', {
      accessLogs: { bucket: this.logsBucket, prefix: 's3-content' },
      noncurrentVersionExpiration: Duration.days(90),
    });

    const certificate = props.customDomain
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn)
      : undefined;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Fundshare Excel add-in',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders(this),
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Europe and North America edges: the users are in the West Midlands.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.customDomain && certificate
        ? {
            domainNames: [props.customDomain.domainName],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.origin = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
    pinLogicalId(this.logsBucket, PINNED_LOGICAL_IDS.addinLogsBucket);
    pinLogicalId(this.bucket, PINNED_LOGICAL_IDS.addinContentBucket);
    pinLogicalId(this.distribution, PINNED_LOGICAL_IDS.addinDistribution);
    // The service reads the origin from here when it deploys (a weak reference: infra/stack-links.ts).
    publishAddinOrigin(this, props.deployment, this.origin);

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: staff open the add-in from wherever they work, including abroad; the files are the public add-in code, and the API behind it requires Entra ID tokens.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF: the distribution serves static, public add-in files from a private bucket (GET/HEAD only, no origin logic). A CloudFront WebACL (us-east-1) would cost more each month than the hosting itself for no protected asset.',
      },
    );
    if (!props.customDomain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; viewers are forced to HTTPS. Set fundshare:addinDomainName and fundshare:addinCertificateArn to get TLSv1.2_2021.',
      });
    }

    const build = props.addinBuild ?? { kind: 'absent', reason: 'no production add-in build was given' };
    if (build.kind === 'ready') {
      this.deployContent(build.dir);
    } else {
      Annotations.of(this).addWarningV2(
        'fundshare:addinContentNotDeployed',
        `The add-in files are not uploaded: ${build.reason}. The hosting bucket keeps whatever it had.`,
      );
    }
    new CfnOutput(this, 'AddinContent', {
      value: build.kind === 'ready' ? `uploaded from a build for ${build.baseUrl}` : `not uploaded: ${build.reason}`,
      description: 'What this deployment did with the add-in files',
    });

    new CfnOutput(this, 'AddinBaseUrl', {
      value: this.origin,
      description: 'Base URL of the hosted add-in: generate the production manifest from it',
    });
    new CfnOutput(this, 'AddinDistributionDomainName', { value: this.distribution.distributionDomainName });
    new CfnOutput(this, 'AddinDistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'AddinBucketName', { value: this.bucket.bucketName });
  }

  /** Uploads the build and invalidates the cache. Runs at deploy time in a CDK-provided Lambda. */
  private deployContent(dir: string): void {
    const logGroup = new logs.LogGroup(this, 'DeployContentLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'DeployContentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Copies the add-in build into the hosting bucket and invalidates CloudFront (deploy time only)',
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    const deployment = new s3deploy.BucketDeployment(this, 'DeployContent', {
      sources: [s3deploy.Source.asset(dir)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      retainOnDelete: true,
      memoryLimit: 512,
      role,
      logGroup,
    });
    this.acknowledgeDeploymentFindings(deployment, role);
  }

  /**
   * BucketDeployment is CDK's own custom resource: its handler, runtime and grants are not ours to
   * write. Each of its cdk-nag findings is acknowledged here, on its role or its handler only.
   */
  private acknowledgeDeploymentFindings(deployment: s3deploy.BucketDeployment, role: iam.Role): void {
    const stagedBuild = deployment.node.findAll().find((c): c is s3assets.Asset => c instanceof s3assets.Asset);
    if (!stagedBuild) throw new Error('BucketDeployment staged no asset for the add-in build');
    acknowledgeWildcardResource(
      role,
      stagedBuild.bucket.arnForObjects('*'),
      'BucketDeployment reads the staged add-in build, an object in the CDK asset bucket whose key is a content hash.',
    );
    acknowledgeWildcardResource(
      role,
      this.bucket.arnForObjects('*'),
      'BucketDeployment writes and prunes every file of the build, so it needs all keys of the hosting bucket (that bucket only).',
    );
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'CDK grants cloudfront:CreateInvalidation and GetInvalidation on "*" to invalidate the cache after an upload; the validation below fails the synth if anything else ever gets "*".',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        reason:
          "CDK's BucketDeployment grants itself read/write on the asset and hosting buckets with these action groups; the resources are only those two buckets.",
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:GetObject*]',
        reason: 'BucketDeployment reads the staged add-in build from the CDK asset bucket, and existing files of the hosting bucket.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:List*]',
        reason: 'BucketDeployment lists the hosting bucket to prune files that the new build no longer has.',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        reason: 'BucketDeployment prunes stale files from the hosting bucket (its own bucket only, never the data buckets).',
      },
      {
        id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
        reason: 'BucketDeployment aborts its own failed multipart uploads to the hosting bucket, so none are left half-written.',
      },
    );
    // The "*" acknowledged above must stay CloudFront invalidation only.
    role.node.addValidation({
      validate: () => {
        const allowedOnStar = new Set(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
        const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
        const statements =
          (policy?.document.toJSON() as { Statement?: { Action: string | string[]; Resource: unknown }[] } | undefined)?.Statement ?? [];
        return statements
          .filter((st) => [st.Resource].flat().includes('*'))
          .flatMap((st) => [st.Action].flat())
          .filter((action) => !allowedOnStar.has(action))
          .map((action) => `${action} is granted on "*" to the add-in deployment role; only CloudFront invalidation may be`);
      },
    });
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler function');
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "BucketDeployment's handler is CDK's own Python function with the runtime CDK pins for it; it runs only during deployments, never on user requests.",
    });
  }
}
