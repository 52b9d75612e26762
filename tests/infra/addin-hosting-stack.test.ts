/**
 * Add-in hosting: a private bucket only CloudFront can read (origin access control), HTTPS only,
 * security headers, logs, and the build uploaded when there is one.
 */
import { Match } from 'aws-cdk-lib/assertions';
import * as fs from 'node:fs';
import { checkAddinBuild } from '../../infra/addin-build';
import { buildFixture, DEPLOYED_ADDIN_BASE_URL, logicalIdOf, removeOutdir, writeProductionBuild, type Fixture } from './fundshare-fixture';

let withContent: Fixture;
let contentDir: string;
beforeAll(() => {
  contentDir = writeProductionBuild(DEPLOYED_ADDIN_BASE_URL);
  const build = checkAddinBuild(contentDir);
  expect(build.kind).toBe('ready');
  withContent = buildFixture({ addinBuild: build });
});
afterAll(() => {
  removeOutdir(withContent);
  fs.rmSync(contentDir, { recursive: true, force: true });
});

const contentBucketId = () => logicalIdOf(withContent.hosting, 'AWS::S3::Bucket', 'ContentBucket');
const distributionId = () => logicalIdOf(withContent.hosting, 'AWS::CloudFront::Distribution', 'Distribution');

describe('the content bucket', () => {
  it('is private, versioned, encrypted, TLS-only and retained', () => {
    const bucket = withContent.hosting.findResources('AWS::S3::Bucket')[contentBucketId()]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName.Ref).toMatch(/^LogsBucket/);
  });

  it('is readable only by this distribution, through origin access control', () => {
    withContent.hosting.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    withContent.hosting.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    withContent.hosting.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const policy = Object.values(withContent.hosting.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === contentBucketId(),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(distributionId());
    expect(statements).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });
});

describe('the distribution', () => {
  it('serves HTTPS only, GET/HEAD, with the security headers policy, and logs to the log bucket', () => {
    withContent.hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultCacheBehavior: {
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD'],
          ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^SecurityHeaders') },
        },
        Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsBucket'), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
        PriceClass: 'PriceClass_100',
      },
    });
  });

  it('sends HSTS, nosniff and a referrer policy, and never X-Frame-Options (Excel on the web frames the add-in)', () => {
    withContent.hosting.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 24 * 3600, IncludeSubdomains: true, Override: true },
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("object-src 'none'"), Override: true },
        },
      },
    });
    const policy = Object.values(withContent.hosting.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!;
    expect(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toBeUndefined();
    expect(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain(
      'frame-ancestors',
    );
  });

  it('exposes the base URL the production manifest is generated from', () => {
    withContent.hosting.hasOutput('AddinBaseUrl', {
      Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] },
    });
  });
});

describe('the add-in build', () => {
  it('is uploaded with BucketDeployment (pruned, cache invalidated) when a build exists', () => {
    withContent.hosting.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: contentBucketId() },
      Prune: true,
      DistributionId: { Ref: distributionId() },
      DistributionPaths: ['/*'],
    });
  });

  it('says what it uploaded', () => {
    withContent.hosting.hasOutput('AddinContent', { Value: `uploaded from a build for ${DEPLOYED_ADDIN_BASE_URL}` });
  });

  it('is never uploaded when built for the placeholder URL; the stack still synthesises and says why', () => {
    const placeholderBuild = writeProductionBuild('https://addin.fundshare.example');
    const without = buildFixture({ addinBuild: checkAddinBuild(placeholderBuild) });
    try {
      without.hosting.resourceCountIs('Custom::CDKBucketDeployment', 0);
      without.hosting.resourceCountIs('AWS::CloudFront::Distribution', 1);
      without.hosting.hasOutput('AddinContent', { Value: Match.stringLikeRegexp('^not uploaded: .*FUNDSHARE_ADDIN_BASE_URL') });
      const warnings = without.app.node
        .findAll()
        .flatMap((c) => c.node.metadata)
        .filter((m) => m.type === 'aws:cdk:warning')
        .map((m) => String(m.data));
      expect(warnings.some((w) => w.includes('The add-in files are not uploaded'))).toBe(true);
    } finally {
      removeOutdir(without);
      fs.rmSync(placeholderBuild, { recursive: true, force: true });
    }
  });
});

describe('with a custom domain', () => {
  const domain = 'fundshare.westmercia-pcc.gov.uk';
  const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
  let custom: Fixture;
  beforeAll(() => {
    custom = buildFixture({ context: { 'fundshare:addinDomainName': domain, 'fundshare:addinCertificateArn': certificateArn } });
  });
  afterAll(() => removeOutdir(custom));

  it('serves the domain with its certificate and TLS 1.2 (so CFR4 needs no acknowledgement)', () => {
    custom.hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: [domain],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      },
    });
    const ids = custom.stacks.hosting.distribution.node.metadata
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules')
      .flatMap((m) => Object.keys(m.data as object));
    expect(ids.some((id) => id.includes('CFR4'))).toBe(false);
  });

  it("makes the domain the add-in's base URL and, through the origin parameter, the API's only CORS origin", () => {
    custom.hosting.hasOutput('AddinBaseUrl', { Value: `https://${domain}` });
    custom.hosting.hasResourceProperties('AWS::SSM::Parameter', { Name: '/fundshare/wmw/dev/addin/origin', Value: `https://${domain}` });
    const parameters = custom.service.toJSON().Parameters as Record<string, { Default?: string }>;
    const [originParameter] = Object.entries(parameters).find(([, p]) => p.Default === '/fundshare/wmw/dev/addin/origin')!;
    custom.service.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: [{ Ref: originParameter }] } });
  });
});
