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

const real = { [CONTEXT_KEYS.jwtIssuer]: ISSUER, [CONTEXT_KEYS.jwtAudience]: CLIENT_ID };

describe('identity provider settings', () => {
  it('are required for a real build, naming both keys and the placeholder option', () => {
    const message = problemsOf({});
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
    const config = read({ [CONTEXT_KEYS.placeholders]: 'true' });
    expect(config).toMatchObject({ placeholders: true, jwtIssuer: PLACEHOLDER_ISSUER, jwtAudience: [PLACEHOLDER_AUDIENCE] });
    expect(problemsOf({ ...real, [CONTEXT_KEYS.placeholders]: true })).toContain('cannot be combined');
    expect(problemsOf({ [CONTEXT_KEYS.jwtIssuer]: PLACEHOLDER_ISSUER, [CONTEXT_KEYS.jwtAudience]: CLIENT_ID })).toContain('placeholder');
  });
});

describe('other settings', () => {
  it('default to London, INFO logs, the hourly 06:00–20:00 sync, no extra origins, no alarm email', () => {
    const config = read(real);
    expect(config).toMatchObject({ region: 'eu-west-2', logLevel: 'INFO', syncCron: DEFAULT_SYNC_CRON, extraAllowedOrigins: [] });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.addinDomain).toBeUndefined();
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
      [CONTEXT_KEYS.logLevel]: 'LOUD',
      [CONTEXT_KEYS.region]: 'london',
      [CONTEXT_KEYS.extraAllowedOrigins]: 'https://ok.example.gov.uk,http://insecure.example.gov.uk,https://x.example.gov.uk/path',
    });
    expect(message).toContain('not an email address');
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
