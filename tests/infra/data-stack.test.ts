/**
 * The data stack protects public money's records: these assertions are the properties that, if
 * lost in a refactor, would put the table or the files at risk.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE_SCHEMA } from '../../functions/store/table-schema';
import { PINNED_LOGICAL_IDS } from '../../infra/constructs/pinned-ids';
import { buildFixture, logicalIdOf, removeOutdir, type Fixture } from './fundshare-fixture';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});
afterAll(() => removeOutdir(fx));

describe('the table', () => {
  it('is built from the shared key schema: keys, the one GSI with ALL projection, TTL', () => {
    fx.data.resourceCountIs('AWS::DynamoDB::Table', 1);
    fx.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: TABLE_SCHEMA.partitionKey.name, AttributeType: TABLE_SCHEMA.partitionKey.type },
        { AttributeName: TABLE_SCHEMA.sortKey.name, AttributeType: TABLE_SCHEMA.sortKey.type },
      ]),
      GlobalSecondaryIndexes: TABLE_SCHEMA.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.projection },
      })),
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    });
  });

  it('is on-demand, with point-in-time recovery, deletion protection and encryption at rest', () => {
    fx.data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      // SSEEnabled with no key given: KMS with the AWS managed key (aws/dynamodb).
      SSESpecification: { SSEEnabled: true },
    });
    const table = Object.values(fx.data.findResources('AWS::DynamoDB::Table'))[0]!;
    expect(table.Properties.SSESpecification.KMSMasterKeyId).toBeUndefined();
  });

  it('is retained when its stack is deleted or the table is replaced', () => {
    fx.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the buckets', () => {
  const bucketIds = () => Object.keys(fx.data.findResources('AWS::S3::Bucket'));

  it('are the intake, export and access-log buckets, all retained', () => {
    expect(
      bucketIds()
        .map((id) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['AccessLogsBucket', 'ExportBucket', 'IntakeBucket']);
    for (const bucket of Object.values(fx.data.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('block all public access, are versioned and encrypted', () => {
    for (const bucket of Object.values(fx.data.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const rule = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
      expect(['AES256', 'aws:kms']).toContain(rule.ServerSideEncryptionByDefault.SSEAlgorithm);
    }
  });

  it('keep bid files and exports under SSE-KMS, and log their access to the log bucket', () => {
    for (const prefix of ['IntakeBucket', 'ExportBucket']) {
      const [bucket] = Object.entries(fx.data.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith(prefix));
      expect(bucket).toBeDefined();
      const props = bucket![1].Properties;
      expect(props.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
        BucketKeyEnabled: true,
      });
      expect(props.LoggingConfiguration.DestinationBucketName.Ref).toMatch(/^AccessLogsBucket/);
    }
  });

  it('refuse anything but TLS 1.2+ in their bucket policies', () => {
    const policies = Object.values(fx.data.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(bucketIds().length);
    for (const policy of policies) {
      const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: Record<string, unknown> }[];
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      );
    }
  });

  it('trigger nothing: the intake bucket has no event notifications (only the schedule reads it)', () => {
    for (const bucket of Object.values(fx.data.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.NotificationConfiguration).toBeUndefined();
    }
    fx.data.resourceCountIs('Custom::S3BucketNotifications', 0);
  });
});

describe('the stack', () => {
  it('has termination protection and holds no code', () => {
    expect(fx.stacks.data.terminationProtection).toBe(true);
    fx.data.resourceCountIs('AWS::Lambda::Function', 0);
  });

  it('names what operators need in its outputs', () => {
    fx.data.hasOutput('StoreTableName', {});
    fx.data.hasOutput('IntakeBucketName', {});
    fx.data.hasOutput('ExportBucketName', {});
    fx.data.hasOutput('BackupVaultName', {});
    fx.data.hasOutput('BackupRestoreRoleArn', {});
  });
});

describe('AWS Backup', () => {
  const rules = () => {
    const plan = Object.values(fx.data.findResources('AWS::Backup::BackupPlan'))[0]!;
    return plan.Properties.BackupPlan.BackupPlanRule as {
      RuleName: string;
      ScheduleExpression: string;
      ScheduleExpressionTimezone: string;
      Lifecycle: { DeleteAfterDays: number };
      CopyActions?: unknown[];
      TargetBackupVault: unknown;
    }[];
  };

  it('backs the table up daily (kept 35 days) and monthly (kept a year), in London time', () => {
    fx.data.resourceCountIs('AWS::Backup::BackupPlan', 1);
    const byName = new Map(rules().map((r) => [r.RuleName, r]));
    expect([...byName.keys()].sort()).toEqual(['daily-35-days', 'monthly-1-year']);
    expect(byName.get('daily-35-days')).toMatchObject({ ScheduleExpression: 'cron(0 3 * * ? *)', Lifecycle: { DeleteAfterDays: 35 } });
    expect(byName.get('monthly-1-year')).toMatchObject({ ScheduleExpression: 'cron(0 4 1 * ? *)', Lifecycle: { DeleteAfterDays: 365 } });
    for (const rule of rules()) {
      expect(rule.ScheduleExpressionTimezone).toBe('Europe/London');
      expect(rule.CopyActions).toBeUndefined();
      expect(rule.TargetBackupVault).toEqual({
        'Fn::GetAtt': [logicalIdOf(fx.data, 'AWS::Backup::BackupVault', 'BackupVault'), 'BackupVaultName'],
      });
    }
  });

  it('selects exactly the table, with a role that may back up and restore', () => {
    fx.data.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: { Resources: [{ 'Fn::GetAtt': [PINNED_LOGICAL_IDS.table, 'Arn'] }] },
    });
    const role = Object.values(fx.data.findResources('AWS::IAM::Role'))[0]!;
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AWSBackupServiceRolePolicyForBackup');
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain('AWSBackupServiceRolePolicyForRestores');
  });

  it('keeps recovery points in a retained vault of its own, named for the deployment, that refuses their deletion', () => {
    fx.data.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: {
        BackupVaultName: 'fundshare-wmw-dev',
        AccessPolicy: {
          Statement: [Match.objectLike({ Effect: 'Deny', Action: Match.arrayWith(['backup:DeleteRecoveryPoint']) })],
        },
      },
    });
    const vault = Object.values(fx.data.findResources('AWS::Backup::BackupVault'))[0]!;
    expect(vault.Properties.LockConfiguration).toBeUndefined();
  });
});

describe('AWS Backup options (context)', () => {
  let locked: Fixture;
  let compliance: Fixture;
  beforeAll(() => {
    locked = buildFixture({ context: { 'fundshare:backupVaultLock': 'governance' } });
    compliance = buildFixture({ context: { 'fundshare:backupVaultLock': 'compliance', 'fundshare:backupCopyRegion': 'eu-west-1' } });
  });
  afterAll(() => {
    removeOutdir(locked);
    removeOutdir(compliance);
  });

  it('lock the vault in governance mode (no grace period) or compliance mode (3 days to change your mind)', () => {
    locked.data.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 365, ChangeableForDays: Match.absent() },
    });
    compliance.data.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 35, MaxRetentionDays: 365, ChangeableForDays: 3 },
    });
  });

  it('copy every backup to a retained vault in the second region, kept as long as the original', () => {
    const copyStack = compliance.stacks.backupCopy!;
    expect(copyStack.region).toBe('eu-west-1');
    expect(copyStack.stackName).toBe('fundshare-wmw-dev-backup-copy');
    expect(copyStack.terminationProtection).toBe(true);
    const copyTemplate = Template.fromStack(copyStack);
    copyTemplate.hasResource('AWS::Backup::BackupVault', {
      DeletionPolicy: 'Retain',
      Properties: { BackupVaultName: 'fundshare-wmw-dev-copy' },
    });
    const plan = Object.values(compliance.data.findResources('AWS::Backup::BackupPlan'))[0]!;
    const planRules = plan.Properties.BackupPlan.BackupPlanRule as { Lifecycle: { DeleteAfterDays: number }; CopyActions: unknown[] }[];
    for (const rule of planRules) {
      expect(rule.CopyActions).toHaveLength(1);
      const copy = JSON.stringify(rule.CopyActions[0]);
      expect(copy).toContain(':backup:eu-west-1:');
      expect(copy).toContain('backup-vault:fundshare-wmw-dev-copy');
      expect(rule.CopyActions[0]).toMatchObject({ Lifecycle: { DeleteAfterDays: rule.Lifecycle.DeleteAfterDays } });
    }
    expect(compliance.stacks.data.dependencies).toContain(copyStack);
  });
});
