/**
 * One app, several deployments: two stages, each with and without a custom add-in domain (the
 * change that used to break deploys by removing an export the service still imported), plus every
 * optional feature (alarm topic, vault lock, backup copy, WAF, add-in content). On those
 * synthesised templates: names and tags carry stage and alliance, the stateful resources keep
 * their exact logical ids and export names, switching the domain changes no export, the alarms
 * reach someone, and cfn-lint finds no error in any template.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkAddinBuild } from '../../infra/addin-build';
import { ConfigError, readConfig } from '../../infra/config';
import { ALARM_THRESHOLDS } from '../../infra/constructs/service-alarms';
import { PINNED_LOGICAL_IDS } from '../../infra/constructs/pinned-ids';
import { TAG_KEYS } from '../../infra/fundshare-app';
import { buildFixture, logicalIdOf, newApp, removeOutdir, writeProductionBuild, type Fixture } from './fundshare-fixture';

const DOMAIN = 'fundshare.westmercia-pcc.gov.uk';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:finance-on-call';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/fundshare-wmw-prod-api-waf/0a1b2c3d-1111-2222-3333-444455556666';
const customDomain = { 'fundshare:addinDomainName': DOMAIN, 'fundshare:addinCertificateArn': CERTIFICATE };
const prod = { 'fundshare:stage': 'prod', 'fundshare:alarmTopicArn': TOPIC };

const fixtures: Record<'devPlain' | 'devDomain' | 'prodPlain' | 'prodEverything', Fixture> = {} as never;
let contentDir: string;
beforeAll(() => {
  contentDir = writeProductionBuild(`https://${DOMAIN}`);
  fixtures.devPlain = buildFixture();
  fixtures.devDomain = buildFixture({ context: customDomain });
  fixtures.prodPlain = buildFixture({ context: prod });
  fixtures.prodEverything = buildFixture({
    context: {
      ...prod,
      ...customDomain,
      'fundshare:backupVaultLock': 'compliance',
      'fundshare:backupCopyRegion': 'eu-west-1',
      'fundshare:apiWaf': 'true',
      'fundshare:apiWebAclArn': WEB_ACL,
    },
    addinBuild: checkAddinBuild(contentDir, `https://${DOMAIN}`),
  });
}, 300_000);
afterAll(() => {
  for (const fx of Object.values(fixtures)) removeOutdir(fx);
  fs.rmSync(contentDir, { recursive: true, force: true });
});

type Outputs = Record<string, { Export?: { Name: unknown } }>;
const exportNames = (template: Template): string[] =>
  Object.values((template.toJSON().Outputs ?? {}) as Outputs)
    .flatMap((o) => (o.Export ? [JSON.stringify(o.Export.Name)] : []))
    .sort();
const importedNames = (template: Template): string[] =>
  [...new Set([...JSON.stringify(template.toJSON()).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]!))].sort();

describe('stack names and tags', () => {
  it('carry the alliance and the stage, so stages and alliances can share an account', () => {
    expect(Object.values(fixtures.devPlain.stacks).map((s: Stack) => s.stackName)).toEqual([
      'fundshare-wmw-dev-data',
      'fundshare-wmw-dev-addin-hosting',
      'fundshare-wmw-dev-service',
    ]);
    expect(
      Object.values(fixtures.prodEverything.stacks)
        .map((s: Stack) => `${s.stackName} ${s.region}`)
        .sort(),
    ).toEqual([
      'fundshare-wmw-prod-addin-hosting eu-west-2',
      'fundshare-wmw-prod-api-waf us-east-1',
      'fundshare-wmw-prod-backup-copy eu-west-1',
      'fundshare-wmw-prod-data eu-west-2',
      'fundshare-wmw-prod-service eu-west-2',
    ]);
    // Account-unique names differ between stages: exports, SSM parameter, vault, API, dashboard.
    const dev = JSON.stringify(fixtures.devPlain.data.toJSON()) + JSON.stringify(fixtures.devPlain.service.toJSON());
    const prodJson = JSON.stringify(fixtures.prodPlain.data.toJSON()) + JSON.stringify(fixtures.prodPlain.service.toJSON());
    expect(dev).not.toContain('fundshare-wmw-prod');
    expect(prodJson).not.toContain('fundshare-wmw-dev');
    fixtures.prodPlain.service.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'fundshare-wmw-prod' });
    fixtures.prodPlain.service.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'fundshare-wmw-prod' });
    fixtures.prodPlain.data.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'fundshare-wmw-prod' });
  });

  it('tag every stack, and every taggable resource, with environment, alliance, owner, cost centre and classification', () => {
    const expected = {
      [TAG_KEYS.project]: 'fundshare',
      [TAG_KEYS.environment]: 'prod',
      [TAG_KEYS.alliance]: 'wmw',
      [TAG_KEYS.owner]: 'finance-systems@example.gov.uk',
      [TAG_KEYS.costCentre]: 'CC-4521',
      [TAG_KEYS.dataClassification]: 'OFFICIAL-SENSITIVE',
    };
    for (const stack of Object.values(fixtures.prodEverything.stacks) as Stack[]) {
      expect(stack.tags.tagValues()).toEqual(expected);
      const template = Template.fromStack(stack);
      for (const type of [
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::Lambda::Function',
        'AWS::Backup::BackupVault',
        'AWS::WAFv2::WebACL',
      ]) {
        for (const resource of Object.values(template.findResources(type))) {
          const tags = resource.Properties.Tags ?? resource.Properties.BackupVaultTags;
          const asRecord = Array.isArray(tags)
            ? Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]))
            : (tags as Record<string, string>);
          expect(asRecord).toMatchObject(expected);
        }
      }
    }
  });
});

describe('safe updates', () => {
  it('keep the exact logical ids of the table, buckets and add-in distribution in every deployment', () => {
    for (const fx of Object.values(fixtures)) {
      expect(logicalIdOf(fx.data, 'AWS::DynamoDB::Table', '')).toBe(PINNED_LOGICAL_IDS.table);
      expect(Object.keys(fx.data.findResources('AWS::S3::Bucket')).sort()).toEqual(
        [PINNED_LOGICAL_IDS.accessLogsBucket, PINNED_LOGICAL_IDS.intakeBucket, PINNED_LOGICAL_IDS.exportBucket].sort(),
      );
      expect(Object.keys(fx.hosting.findResources('AWS::S3::Bucket')).sort()).toEqual(
        [PINNED_LOGICAL_IDS.addinLogsBucket, PINNED_LOGICAL_IDS.addinContentBucket].sort(),
      );
      expect(logicalIdOf(fx.hosting, 'AWS::CloudFront::Distribution', '')).toBe(PINNED_LOGICAL_IDS.addinDistribution);
    }
    // Pinned verbatim: these are the ids CDK generated before the pin, so no deployed resource moves.
    expect(PINNED_LOGICAL_IDS).toEqual({
      table: 'StoreTable0CCFA19B',
      accessLogsBucket: 'AccessLogsBucket83982689',
      intakeBucket: 'IntakeBucket8068C236',
      exportBucket: 'ExportBucket4E99310E',
      addinLogsBucket: 'LogsBucket9C4D8843',
      addinContentBucket: 'ContentBucket52D4B12C',
      addinDistribution: 'Distribution830FAC52',
    });
  });

  it('export exactly the named table and bucket names, which the service imports, and nothing CDK-generated', () => {
    for (const [stage, fx] of [
      ['dev', fixtures.devPlain],
      ['prod', fixtures.prodPlain],
    ] as const) {
      const names = ['StoreTableName', 'IntakeBucketName', 'ExportBucketName'].map((n) => `fundshare-wmw-${stage}:${n}`).sort();
      expect(exportNames(fx.data)).toEqual(names.map((n) => JSON.stringify(n)));
      expect(importedNames(fx.service)).toEqual(names);
      fx.data.hasOutput('StoreTableName', { Value: { Ref: PINNED_LOGICAL_IDS.table } });
      for (const template of [fx.hosting, fx.service]) expect(exportNames(template)).toEqual([]);
    }
    for (const fx of Object.values(fixtures)) expect(JSON.stringify(fx.service.toJSON())).not.toContain('ExportsOutput');
  });

  it('change no export and no import when a custom domain is added: the origin travels in an SSM parameter', () => {
    for (const [plain, withDomain] of [
      [fixtures.devPlain, fixtures.devDomain],
      [fixtures.prodPlain, fixtures.prodEverything],
    ] as const) {
      for (const stack of ['data', 'hosting', 'service'] as const) {
        expect(exportNames(withDomain[stack])).toEqual(exportNames(plain[stack]));
        expect(importedNames(withDomain[stack])).toEqual(importedNames(plain[stack]));
      }
      const stage = plain.stacks.data.stackName.includes('-prod-') ? 'prod' : 'dev';
      const parameterName = `/fundshare/wmw/${stage}/addin/origin`;
      plain.hosting.hasResourceProperties('AWS::SSM::Parameter', {
        Name: parameterName,
        Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [PINNED_LOGICAL_IDS.addinDistribution, 'DomainName'] }]] },
      });
      withDomain.hosting.hasResourceProperties('AWS::SSM::Parameter', { Name: parameterName, Value: `https://${DOMAIN}` });
      for (const fx of [plain, withDomain]) {
        const params = Object.values(fx.service.toJSON().Parameters as Record<string, { Type: string; Default?: string }>);
        expect(params).toContainEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: parameterName });
        // The order CloudFormation cannot infer from names is stated.
        expect(fx.stacks.service.dependencies).toEqual(expect.arrayContaining([fx.stacks.data, fx.stacks.hosting]));
      }
    }
  });
});

describe('alarms that reach someone', () => {
  const alarms = (fx: Fixture) => Object.values(fx.service.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('refuse to synthesise without an alarm destination, naming the context keys', () => {
    const { app } = newApp({ context: { 'fundshare:alarmEmail': '' } });
    expect(() => readConfig(app.node, {})).toThrow(ConfigError);
    expect(() => readConfig(app.node, {})).toThrow(
      /fundshare:alarmEmail.*fundshare:alarmTopicArn.*fundshare:allowNoAlarmDestination=true/s,
    );
  });

  it('use an existing topic when given one, creating none', () => {
    const fx = fixtures.prodPlain;
    fx.service.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of alarms(fx)) {
      expect(alarm.AlarmActions).toEqual([TOPIC]);
      expect(alarm.OKActions).toEqual([TOPIC]);
    }
    fx.service.hasOutput('AlarmTopicArn', { Value: TOPIC });
  });

  it('watch API 4xx and 401 spikes, p99 latency, 5xx, function errors and throttles, and DynamoDB throttles', () => {
    const fx = fixtures.devPlain;
    const found = alarms(fx);
    const onApi = (metricName: string) => found.filter((a) => a.Namespace === 'AWS/ApiGateway' && a.MetricName === metricName);
    expect(onApi('4xx')).toEqual([expect.objectContaining({ Threshold: ALARM_THRESHOLDS.clientErrors, Statistic: 'Sum', Period: 300 })]);
    expect(onApi('5xx')).toEqual([expect.objectContaining({ Threshold: ALARM_THRESHOLDS.serverErrors })]);
    expect(onApi('Latency')).toEqual([
      expect.objectContaining({
        ExtendedStatistic: 'p99',
        Threshold: ALARM_THRESHOLDS.latencyP99Ms,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      }),
    ]);
    // 401s counted from the access log (HTTP APIs publish only a 4xx total).
    fx.service.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "401" }',
      LogGroupName: { Ref: logicalIdOf(fx.service, 'AWS::Logs::LogGroup', 'ApiAccessLogs') },
      MetricTransformations: [{ MetricNamespace: 'Fundshare/wmw/dev', MetricName: 'ApiUnauthorized', MetricValue: '1' }],
    });
    expect(found.filter((a) => a.MetricName === 'ApiUnauthorized')).toEqual([
      expect.objectContaining({ Namespace: 'Fundshare/wmw/dev', Threshold: ALARM_THRESHOLDS.unauthorized }),
    ]);
    const lambdaAlarms = (metricName: string) =>
      found
        .filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metricName)
        .map((a) => JSON.stringify(a.Dimensions).match(/"Ref":"([A-Za-z]+?)(Function)?[0-9A-F]{8}"/)![1])
        .sort();
    expect(lambdaAlarms('Throttles')).toEqual(['Api', 'Public', 'SyncSync']);
    expect(lambdaAlarms('Errors')).toEqual(['Api', 'Public', 'SyncSync']);
    const tableThrottles = found.find((a) => JSON.stringify(a.Metrics ?? []).includes('ThrottleEvents'));
    expect(JSON.stringify(tableThrottles?.Metrics)).toContain('ReadThrottleEvents');
    expect(JSON.stringify(tableThrottles?.Metrics)).toContain('WriteThrottleEvents');
    expect(JSON.stringify(tableThrottles?.Metrics)).toContain('fundshare-wmw-dev:StoreTableName');
    // No traffic is no problem: only the sync's "not running" alarm looks at missing data, and it does not breach.
    for (const alarm of found) expect(['notBreaching', 'missing']).toContain(alarm.TreatMissingData);
  });

  it("send failed, aborted or expired AWS Backup jobs of the deployment's vault to the alarm topic", () => {
    for (const [fx, vault, topic] of [
      [fixtures.devPlain, 'fundshare-wmw-dev', { Ref: logicalIdOf(fixtures.devPlain.service, 'AWS::SNS::Topic', 'AlarmTopic') }],
      [fixtures.prodPlain, 'fundshare-wmw-prod', TOPIC],
    ] as const) {
      fx.service.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.backup'],
          'detail-type': ['Backup Job State Change'],
          detail: { state: ['FAILED', 'ABORTED', 'EXPIRED'], backupVaultName: [vault] },
        },
        Targets: [Match.objectLike({ Arn: topic, InputTransformer: Match.anyValue() })],
      });
      fx.data.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: vault });
    }
  });

  it('show on a dashboard with every alarm', () => {
    const fx = fixtures.devPlain;
    const dashboard = Object.values(fx.service.findResources('AWS::CloudWatch::Dashboard'))[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of [
      'Alarms',
      'API requests and errors',
      'API latency',
      'DynamoDB throttles',
      'Function errors',
      'Function throttles',
      'Sync runs',
    ]) {
      expect(body).toContain(title);
    }
    for (const alarmId of Object.keys(fx.service.findResources('AWS::CloudWatch::Alarm'))) expect(body).toContain(alarmId);
  });
});

describe('the API behind CloudFront and WAF (by context)', () => {
  it('puts a rate-based rule per IP in a us-east-1 web ACL', () => {
    const waf = Template.fromStack(fixtures.prodEverything.stacks.apiWaf!);
    waf.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } }),
      ]),
    });
    waf.hasOutput('WebAclArn', {});
    expect(fixtures.devPlain.stacks.apiWaf).toBeUndefined();
  });

  it('puts an uncached CloudFront distribution with that web ACL in front of the API', () => {
    const fx = fixtures.prodEverything;
    fx.service.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: WEB_ACL,
        Origins: [Match.objectLike({ DomainName: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })],
      }),
    });
    const distribution = Object.values(fx.service.findResources('AWS::CloudFront::Distribution'))[0]!;
    expect(JSON.stringify(distribution.Properties.DistributionConfig.Origins)).toContain('execute-api');
    fx.service.hasOutput('ApiEdgeUrl', {});
    fixtures.devPlain.service.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });
});

// ---- cfn-lint ----------------------------------------------------------------------------------

/**
 * Warnings accepted, each with its reason; any other warning or any error fails.
 *   W3005: CDK's Function adds DependsOn on its role (and default policy) that a GetAtt already
 *   implies; it is harmless, and the DependsOn on the policy is what makes it meaningful.
 */
const ACCEPTED_WARNINGS = new Set(['W3005']);

function cfnLintAvailable(): boolean {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

describe('cfn-lint', () => {
  it('finds no error (and no unexplained warning) in any synthesised template, every deployment and option', () => {
    if (!cfnLintAvailable()) {
      console.warn('cfn-lint is not installed: skipping the CloudFormation lint of the synthesised templates (pip install cfn-lint)');
      return;
    }
    const templates = Object.values(fixtures).flatMap((fx) =>
      fs
        .readdirSync(fx.outdir)
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => path.join(fx.outdir, f)),
    );
    expect(templates.length).toBe(3 + 3 + 3 + 5);
    const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'eu-west-2', 'eu-west-1', 'us-east-1', '--', ...templates], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 240_000,
    });
    const findings = JSON.parse(run.stdout || '[]') as { Level: string; Rule: { Id: string }; Message: string; Filename: string }[];
    const unexplained = findings
      .filter((f) => !ACCEPTED_WARNINGS.has(f.Rule.Id))
      .map((f) => `${f.Level} ${f.Rule.Id} ${path.basename(f.Filename)}: ${f.Message}`);
    expect(unexplained).toEqual([]);
  }, 300_000);
});
