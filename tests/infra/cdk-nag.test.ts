/**
 * cdk-nag's AwsSolutions pack runs on every synth of the app. These tests prove it is live (an
 * unacknowledged finding fails the synth), that the app passes with none, and that every
 * acknowledgement is a specific rule with a real reason. A new acknowledgement has to be added to
 * the list below, so it is reviewed rather than slipped in.
 */
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fs from 'node:fs';
import { checkAddinBuild } from '../../infra/addin-build';
import { readConfig } from '../../infra/config';
import { buildFundshare } from '../../infra/fundshare-app';
import {
  acknowledgements,
  buildFixture,
  DEPLOYED_ADDIN_BASE_URL,
  newApp,
  removeOutdir,
  writeProductionBuild,
  type Fixture,
} from './fundshare-fixture';

let fx: Fixture;
let withContent: Fixture;
let contentDir: string;
beforeAll(() => {
  // With add-in content too, so BucketDeployment's findings are checked as well.
  contentDir = writeProductionBuild(DEPLOYED_ADDIN_BASE_URL);
  fx = buildFixture();
  withContent = buildFixture({ addinBuild: checkAddinBuild(contentDir) });
});
afterAll(() => {
  removeOutdir(fx);
  removeOutdir(withContent);
  fs.rmSync(contentDir, { recursive: true, force: true });
});

describe('AwsSolutions checks', () => {
  it('fail the synth on an unacknowledged finding', () => {
    const { app, outdir } = newApp();
    try {
      const stacks = buildFundshare(app, readConfig(app.node, {}));
      new sqs.Queue(stacks.service, 'UnencryptedQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS(2|3|4)/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('pass for the whole app, with and without the add-in build (every finding fixed or acknowledged)', () => {
    expect(() => fx.app.synth()).not.toThrow();
    expect(() => withContent.app.synth()).not.toThrow();
  });

  it('acknowledge only these findings, each on its own resource, each with a specific reason', () => {
    const acks = acknowledgements(withContent.app);
    // Wildcard-resource findings are named after rendered ARNs; the next test checks those one by one.
    const summary = acks
      .map((a) => `${a.path.replace(/^\//, '')} ${a.id.replace(/^Annotation::/i, '').replace(/\[Resource::.+\]$/, '[Resource::…]')}`)
      .sort();
    expect(summary).toEqual(
      [
        'FundshareAddinHosting/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB AwsSolutions-L1',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Action::s3:Abort*]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Action::s3:GetObject*]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Action::s3:List*]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Resource::…]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Resource::…]',
        'FundshareAddinHosting/DeployContentRole AwsSolutions-IAM5[Resource::…]',
        'FundshareAddinHosting/Distribution AwsSolutions-CFR1',
        'FundshareAddinHosting/Distribution AwsSolutions-CFR2',
        'FundshareAddinHosting/Distribution AwsSolutions-CFR4',
        'FundshareAddinHosting/LogsBucket AwsSolutions-S1',
        'FundshareData/AccessLogsBucket AwsSolutions-S1',
        'FundshareData/Backup/Plan/Table/Role AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        'FundshareData/Backup/Plan/Table/Role AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
        // X-Ray trace writes take no resource but "*" (the function's own validation keeps it to them).
        'FundshareService/ApiFunction/Role AwsSolutions-IAM5[Resource::…]',
        'FundshareService/PublicFunction/Role AwsSolutions-IAM5[Resource::…]',
        'FundshareService/Sync/SyncFunction/Role AwsSolutions-IAM5[Resource::…]',
        'FundshareService/Api/HttpApi/GET--health AwsSolutions-APIG4',
        'FundshareService/Api/HttpApi/GET--openapi.json AwsSolutions-APIG4',
        'FundshareService/Sync/DeadLetterQueue AwsSolutions-SQS3',
        'FundshareService/Sync/SchedulerRole AwsSolutions-IAM5[Resource::…]',
        'FundshareService/Sync/SyncFunction/Role AwsSolutions-IAM5[Resource::…]',
        'FundshareService/Sync/SyncFunction/Role AwsSolutions-IAM5[Resource::…]',
      ].sort(),
    );
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(Annotation::)?AwsSolutions-[A-Z]+\d+(\[.+\])?$/i);
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  it("acknowledge, for the optional features (backup copy and lock, WAF, CloudFront in front of the API), only the API distribution's three", () => {
    const options = buildFixture({
      context: {
        'fundshare:backupVaultLock': 'compliance',
        'fundshare:backupCopyRegion': 'eu-west-1',
        'fundshare:apiWaf': 'true',
        'fundshare:apiWebAclArn':
          'arn:aws:wafv2:us-east-1:123456789012:global/webacl/fundshare-wmw-dev-api-waf/0a1b2c3d-1111-2222-3333-444455556666',
      },
    });
    try {
      const base = new Set(acknowledgements(fx.app).map((a) => `${a.path} ${a.id}`));
      const added = acknowledgements(options.app)
        .map((a) => `${a.path} ${a.id}`)
        .filter((a) => !base.has(a))
        .sort();
      expect(added).toEqual([
        'FundshareService/ApiEdge/Distribution Annotation::AwsSolutions-CFR1',
        'FundshareService/ApiEdge/Distribution Annotation::AwsSolutions-CFR3',
        'FundshareService/ApiEdge/Distribution Annotation::AwsSolutions-CFR4',
      ]);
    } finally {
      removeOutdir(options);
    }
  });

  it('acknowledge wildcard IAM resources one by one (IAM5 with the resource named), never the whole rule', () => {
    const iam5 = acknowledgements(withContent.app).filter((a) => a.id.includes('AwsSolutions-IAM5'));
    expect(iam5.length).toBeGreaterThan(0);
    for (const ack of iam5) expect(ack.id).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
    const resources = iam5
      .filter((a) => a.id.includes('[Resource::'))
      .map((a) => a.id.replace(/^Annotation::/i, '').replace(/[0-9A-F]{8}/g, '#'));
    expect(resources.sort()).toEqual(
      [
        // The sync's object keys in the intake and export buckets (imported by export name).
        'AwsSolutions-IAM5[Resource::arn:aws:s3:::fundshare-wmw-dev:IntakeBucketName/*]',
        'AwsSolutions-IAM5[Resource::arn:aws:s3:::fundshare-wmw-dev:ExportBucketName/*]',
        // X-Ray trace writes of the API, public and sync functions.
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::*]',
        // The schedule's grantInvoke on the sync function's qualified ARNs.
        'AwsSolutions-IAM5[Resource::<SyncSyncFunction#.Arn>:*]',
        // BucketDeployment: the staged build, the hosting bucket's keys, CloudFront invalidation.
        'AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-eu-west-2/*]',
        'AwsSolutions-IAM5[Resource::<ContentBucket#.Arn>/*]',
        'AwsSolutions-IAM5[Resource::*]',
      ].sort(),
    );
  });
});
