/**
 * Deployment settings from CDK context: what a deploy needs is required with a message that says
 * how to pass it, mistakes an operator is likely to make are caught before anything is deployed,
 * and the synth-only placeholders can never be mixed with real values.
 */
import {
  ConfigError,
  CONTEXT_KEYS,
  DEFAULT_SYNC_CRON,
  PLACEHOLDER_AUDIENCE,
  PLACEHOLDER_ISSUER,
  readConfig,
  type FundshareConfig,
} from '../../infra/config';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';

function read(context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): FundshareConfig {
  return readConfig({ tryGetContext: (key: string) => context[key] }, env);
}

function problemsOf(context: Record<string, unknown>): string {
  try {
    read(context);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const identity = { [CONTEXT_KEYS.jwtIssuer]: ISSUER, [CONTEXT_KEYS.jwtAudience]: CLIENT_ID };
const deployment = {
  [CONTEXT_KEYS.stage]: 'prod',
  [CONTEXT_KEYS.allianceId]: 'wmw',
  [CONTEXT_KEYS.owner]: 'finance-systems@example.gov.uk',
  [CONTEXT_KEYS.costCentre]: 'CC-4521',
};
const ALARM_EMAIL = 'fundshare-alerts@example.gov.uk';
const real = { ...identity, ...deployment, [CONTEXT_KEYS.alarmEmail]: ALARM_EMAIL };

describe('identity provider settings', () => {
  it('are required for a real build, naming both keys and the placeholder option', () => {
    const message = problemsOf({ ...deployment, [CONTEXT_KEYS.alarmEmail]: ALARM_EMAIL });
    expect(message).toContain('fundshare:jwtIssuer is required');
    expect(message).toContain('fundshare:jwtAudience is required');
    expect(message).toContain('https://login.microsoftonline.com/<tenant-id>/v2.0');
    expect(message).toContain('fundshare:placeholders=true');
  });

  it('take the Entra ID v2 issuer and one or more audiences (comma-separated)', () => {
    const config = read({ ...real, [CONTEXT_KEYS.jwtAudience]: ` ${CLIENT_ID} , api://fundshare/${CLIENT_ID} ` });
    expect(config.placeholders).toBe(false);
    expect(config.jwtIssuer).toBe(ISSUER);
    expect(config.jwtAudience).toEqual([CLIENT_ID, `api://fundshare/${CLIENT_ID}`]);
  });

  it('refuse the v1 issuer form, a non-https issuer and a non-URL', () => {
    expect(problemsOf({ ...real, [CONTEXT_KEYS.jwtIssuer]: `https://login.microsoftonline.com/${TENANT}/` })).toContain(
      '/<tenant-id>/v2.0',
    );
    expect(problemsOf({ ...real, [CONTEXT_KEYS.jwtIssuer]: `http://login.microsoftonline.com/${TENANT}/v2.0` })).toContain('https');
    expect(problemsOf({ ...real, [CONTEXT_KEYS.jwtIssuer]: 'my tenant' })).toContain('must be a URL');
  });

  it('accept another OIDC issuer over https (the authorizer is not Entra-specific)', () => {
    expect(read({ ...real, [CONTEXT_KEYS.jwtIssuer]: 'https://idp.example.gov.uk/realms/fundshare' }).jwtIssuer).toBe(
      'https://idp.example.gov.uk/realms/fundshare',
    );
  });

  it('use the documented all-zero placeholders only when asked, and never mixed with real values', () => {
    const config = read({ [CONTEXT_KEYS.placeholders]: 'true', [CONTEXT_KEYS.allowNoAlarmDestination]: 'true' });
    expect(config).toMatchObject({ placeholders: true, jwtIssuer: PLACEHOLDER_ISSUER, jwtAudience: [PLACEHOLDER_AUDIENCE] });
    expect(problemsOf({ ...real, [CONTEXT_KEYS.placeholders]: true })).toContain('cannot be combined');
    expect(problemsOf({ ...real, [CONTEXT_KEYS.jwtIssuer]: PLACEHOLDER_ISSUER })).toContain('placeholder');
  });
});

describe('other settings', () => {
  it('default to London, INFO logs, the hourly 06:00–20:00 sync, no extra origins, OFFICIAL-SENSITIVE, no backup copy, no WAF', () => {
    const config = read(real);
    expect(config).toMatchObject({ region: 'eu-west-2', logLevel: 'INFO', syncCron: DEFAULT_SYNC_CRON, extraAllowedOrigins: [] });
    expect(config.addinDomain).toBeUndefined();
    expect(config.tags.dataClassification).toBe('OFFICIAL-SENSITIVE');
    expect(config.backup).toEqual({});
    expect(config.apiWaf).toEqual({ createWebAcl: false, rateLimit: 1000 });
  });

  it('take the account from the CLI environment when there is one, and stay account-agnostic otherwise', () => {
    expect(read(real, { CDK_DEFAULT_ACCOUNT: '123456789012' }).account).toBe('123456789012');
    expect(read(real, {}).account).toBeUndefined();
  });

  it('parse a five-field cron and reject anything else', () => {
    expect(read({ ...real, [CONTEXT_KEYS.syncCron]: '30 7 ? * MON-FRI' }).syncCron).toEqual({
      minute: '30',
      hour: '7',
      weekDay: 'MON-FRI',
    });
    expect(read({ ...real, [CONTEXT_KEYS.syncCron]: '0 2 1 * ?' }).syncCron).toEqual({ minute: '0', hour: '2', day: '1' });
    expect(problemsOf({ ...real, [CONTEXT_KEYS.syncCron]: 'rate(1 hour)' })).toContain('five cron fields');
  });

  it('check the alarm email, log level, region and extra origins', () => {
    expect(read({ ...real, [CONTEXT_KEYS.alarmEmail]: 'finance-systems@example.gov.uk' }).alarmEmail).toBe(
      'finance-systems@example.gov.uk',
    );
    expect(read({ ...real, [CONTEXT_KEYS.logLevel]: 'debug' }).logLevel).toBe('DEBUG');
    expect(read({ ...real, [CONTEXT_KEYS.extraAllowedOrigins]: 'https://staging.example.gov.uk' }).extraAllowedOrigins).toEqual([
      'https://staging.example.gov.uk',
    ]);
    const message = problemsOf({
      ...real,
      [CONTEXT_KEYS.alarmEmail]: 'not-an-address',
      [CONTEXT_KEYS.alarmTopicArn]: 'my-topic',
      [CONTEXT_KEYS.logLevel]: 'LOUD',
      [CONTEXT_KEYS.region]: 'london',
      [CONTEXT_KEYS.extraAllowedOrigins]: 'https://ok.example.gov.uk,http://insecure.example.gov.uk,https://x.example.gov.uk/path',
    });
    expect(message).toContain('not an email address');
    expect(message).toContain('"my-topic" is not an SNS topic ARN');
    expect(message).toContain('fundshare:logLevel must be one of DEBUG, INFO, WARN, ERROR');
    expect(message).toContain('"london" is not an AWS region');
    expect(message).toContain('"http://insecure.example.gov.uk" is not an https origin');
    expect(message).toContain('"https://x.example.gov.uk/path" is not an https origin');
    expect(message).not.toContain('"https://ok.example.gov.uk"');
  });

  it('take a custom add-in domain only with a us-east-1 certificate, and both together', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
    expect(
      read({ ...real, [CONTEXT_KEYS.addinDomainName]: 'Fundshare.Example.gov.uk', [CONTEXT_KEYS.addinCertificateArn]: certificateArn })
        .addinDomain,
    ).toEqual({
      domainName: 'fundshare.example.gov.uk',
      certificateArn,
    });
    expect(problemsOf({ ...real, [CONTEXT_KEYS.addinDomainName]: 'fundshare.example.gov.uk' })).toContain('go together');
    expect(
      problemsOf({
        ...real,
        [CONTEXT_KEYS.addinDomainName]: 'fundshare.example.gov.uk',
        [CONTEXT_KEYS.addinCertificateArn]: certificateArn.replace('us-east-1', 'eu-west-2'),
      }),
    ).toContain('us-east-1');
  });
});

describe('deployment settings (stage, alliance, tags)', () => {
  it('are required for a real build, each named with what it is', () => {
    const message = problemsOf({ ...identity, [CONTEXT_KEYS.alarmEmail]: ALARM_EMAIL });
    expect(message).toContain('fundshare:stage is required: one of dev, staging, prod');
    expect(message).toContain('fundshare:allianceId is required');
    expect(message).toContain('fundshare:owner is required');
    expect(message).toContain('fundshare:costCentre is required');
  });

  it('take a stage, an alliance id, owner, cost centre and data classification', () => {
    const config = read({ ...real, [CONTEXT_KEYS.stage]: 'staging', [CONTEXT_KEYS.dataClassification]: 'official' });
    expect(config.deployment).toEqual({ stage: 'staging', allianceId: 'wmw' });
    expect(config.tags).toEqual({ owner: 'finance-systems@example.gov.uk', costCentre: 'CC-4521', dataClassification: 'OFFICIAL' });
  });

  it('refuse an unknown stage, an alliance id unfit for stack names, bad tag values and classifications', () => {
    const message = problemsOf({
      ...real,
      [CONTEXT_KEYS.stage]: 'production',
      [CONTEXT_KEYS.allianceId]: 'West Mercia',
      [CONTEXT_KEYS.owner]: 'finance <systems>',
      [CONTEXT_KEYS.dataClassification]: 'SECRET',
    });
    expect(message).toContain('fundshare:stage must be one of dev, staging, prod, got "production"');
    expect(message).toContain('fundshare:allianceId: "West Mercia" must be 2-20 lowercase letters');
    expect(message).toContain('fundshare:owner: "finance <systems>" is not a valid tag value');
    expect(message).toContain('fundshare:dataClassification must be one of OFFICIAL, OFFICIAL-SENSITIVE, got "SECRET"');
  });

  it('default to the placeholder deployment only with the placeholders', () => {
    const config = read({ [CONTEXT_KEYS.placeholders]: 'true', [CONTEXT_KEYS.allowNoAlarmDestination]: 'true' });
    expect(config.deployment).toEqual({ stage: 'dev', allianceId: 'example' });
    expect(config.tags.owner).toBe('placeholder');
  });
});

describe('the alarm destination', () => {
  const { [CONTEXT_KEYS.alarmEmail]: _email, ...noAlarms } = real;

  it('is required, and the error names every way to give it, including the waiver key', () => {
    const message = problemsOf(noAlarms);
    expect(message).toContain('alarms must reach someone');
    expect(message).toContain('fundshare:alarmEmail');
    expect(message).toContain('fundshare:alarmTopicArn');
    expect(message).toContain('fundshare:allowNoAlarmDestination=true');
  });

  it('is an email, an existing topic, or explicitly waived (never for prod)', () => {
    const topic = 'arn:aws:sns:eu-west-2:123456789012:finance-on-call';
    expect(read({ ...noAlarms, [CONTEXT_KEYS.alarmTopicArn]: topic }).alarmTopicArn).toBe(topic);
    expect(read({ ...noAlarms, [CONTEXT_KEYS.stage]: 'dev', [CONTEXT_KEYS.allowNoAlarmDestination]: 'true' }).alarmDestinationWaived).toBe(
      true,
    );
    expect(problemsOf({ ...noAlarms, [CONTEXT_KEYS.allowNoAlarmDestination]: 'true' })).toContain('refused for fundshare:stage=prod');
  });
});

describe('backup and WAF settings', () => {
  it('take a vault lock mode and a copy region other than the deployment region', () => {
    expect(read({ ...real, [CONTEXT_KEYS.backupVaultLock]: 'Compliance', [CONTEXT_KEYS.backupCopyRegion]: 'eu-west-1' }).backup).toEqual({
      vaultLock: 'compliance',
      copyRegion: 'eu-west-1',
    });
    const message = problemsOf({ ...real, [CONTEXT_KEYS.backupVaultLock]: 'strict', [CONTEXT_KEYS.backupCopyRegion]: 'eu-west-2' });
    expect(message).toContain('fundshare:backupVaultLock must be one of governance, compliance');
    expect(message).toContain('fundshare:backupCopyRegion must differ from the deployment region eu-west-2');
  });

  it('take a WAF rate limit and a CloudFront-scope web ACL ARN', () => {
    const arn = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/fundshare-wmw-prod-api-waf/0a1b2c3d-1111-2222-3333-444455556666';
    expect(
      read({ ...real, [CONTEXT_KEYS.apiWaf]: 'true', [CONTEXT_KEYS.apiWafRateLimit]: '500', [CONTEXT_KEYS.apiWebAclArn]: arn }).apiWaf,
    ).toEqual({
      createWebAcl: true,
      rateLimit: 500,
      webAclArn: arn,
    });
    const message = problemsOf({
      ...real,
      [CONTEXT_KEYS.apiWafRateLimit]: 'lots',
      [CONTEXT_KEYS.apiWebAclArn]: arn.replace('global', 'regional'),
    });
    expect(message).toContain('fundshare:apiWafRateLimit is requests per five minutes');
    expect(message).toContain('fundshare:apiWebAclArn must be the ARN of a CloudFront-scope WAF web ACL');
  });
});
