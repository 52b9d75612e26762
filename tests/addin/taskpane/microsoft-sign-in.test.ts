/**
 * Production sign-in decisions over a fake of our identity port: nested app authentication
 * (silent, then the host's popup only on a click), the Office SSO fallback, the message when
 * neither works, token renewal before expiry, sign-out, and who the claims say is signed in.
 */
import { ApiError } from '../../../addin/api/api-error';
import { describeError } from '../../../addin/taskpane/describe-error';
import { MicrosoftSignIn, RENEW_BEFORE_MS, RenewingToken } from '../../../addin/taskpane/microsoft-sign-in';
import { signInError, SignInError } from '../../../addin/taskpane/sign-in-error';
import { signedInUser } from '../../../addin/taskpane/token-claims';
import { FakeIdentity, jwt, SETTINGS, type FakeIdentityScript } from '../support/fake-identity';

const API = 'https://api.fund.example.org';
const SCOPE = SETTINGS.scopes[0]!;
const START = Date.parse('2026-06-01T09:00:00Z');
const HOUR = 3600_000;

const financeToken = (issuedAt: number, claims: Record<string, unknown> = {}) =>
  jwt({
    sub: 'pairwise-sub-1',
    name: 'Fiona Finance',
    preferred_username: 'fiona@pcc.example.org',
    roles: ['finance', 'pcc.west-mercia', 'Reader'],
    exp: Math.floor((issuedAt + HOUR) / 1000),
    ...claims,
  });

beforeEach(() => {
  for (const level of ['info', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

const interactionRequired = () => signInError('interaction-required', {}, 'consent_required');

function setUp(script: FakeIdentityScript, options: { settings?: typeof SETTINGS | null; inOffice?: boolean } = {}) {
  let now = START;
  const port = new FakeIdentity(script);
  const sent: (string | null)[] = [];
  const fetchFake = (async (_url: string | URL | Request, init?: RequestInit) => {
    sent.push(new Headers(init?.headers).get('authorization'));
    return new Response(JSON.stringify({ status: 'ok' }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const signIn = new MicrosoftSignIn({
    port,
    settings: options.settings === undefined ? SETTINGS : options.settings,
    inOffice: options.inOffice ?? true,
    addinHost: 'addin.fund.example.org',
    now: () => now,
    fetch: fetchFake,
  });
  return { port, signIn, sent, advance: (ms: number) => (now += ms), now: () => now };
}

async function failure(promise: Promise<unknown>): Promise<SignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  return error as SignInError;
}

describe('nested app authentication', () => {
  test('supported: a silent token signs in with no window, for the API scope, and reaches the API as Bearer', async () => {
    const token = financeToken(START);
    const { port, signIn, sent } = setUp({ nested: { silent: [token] }, sso: { answers: ['unused'] } });
    const session = await signIn.signInSilently(API);
    expect(session?.user).toEqual({
      sub: 'pairwise-sub-1',
      name: 'Fiona Finance',
      roles: ['finance', 'pcc.west-mercia'],
      funder: 'west-mercia',
    });
    expect(port.calls).toEqual(['nestedAppAuth', `silent ${SCOPE}`]);
    expect(port.settingsSeen[0]).toEqual(SETTINGS);
    await session!.client.health().catch(() => undefined); // anonymous: no token
    await session!.client.budget('2026/27').catch(() => undefined);
    expect(sent).toEqual([null, `Bearer ${token}`]);
  });

  test('silent needs interaction: nothing opens on its own; the click opens the host popup once', async () => {
    const token = financeToken(START);
    const { port, signIn } = setUp({ nested: { silent: [interactionRequired()], popup: [token] } });
    expect(await signIn.signInSilently(API)).toBeNull();
    expect(port.calls.filter((c) => c.startsWith('popup'))).toEqual([]);

    const session = await signIn.signIn(API);
    expect(session.user.name).toBe('Fiona Finance');
    expect(port.calls).toEqual(['nestedAppAuth', `silent ${SCOPE}`, `silent ${SCOPE}`, `popup ${SCOPE}`]);
  });

  test('the host has no account yet: nothing on opening; the click lets the user sign in in the window', async () => {
    const token = financeToken(START);
    const { port, signIn } = setUp({ nested: { silent: [signInError('account', {}, 'no_account_found')], popup: [token] } });
    expect(await signIn.signInSilently(API)).toBeNull();
    expect((await signIn.signIn(API)).user.name).toBe('Fiona Finance');
    expect(port.calls.filter((c) => c.startsWith('popup'))).toHaveLength(1);
  });

  test('a cancelled or blocked popup is a message the user can act on', async () => {
    const cancelled = setUp({ nested: { silent: [interactionRequired()], popup: [signInError('cancelled', {}, 'user_cancelled')] } });
    expect(describeError(await failure(cancelled.signIn.signIn(API)))).toBe(
      'Sign-in was cancelled. Choose Sign in with Microsoft to try again.',
    );
    const blocked = setUp({ nested: { silent: [interactionRequired()], popup: [signInError('popup-blocked', {}, 'popup_window_error')] } });
    expect(describeError(await failure(blocked.signIn.signIn(API)))).toMatch(/Allow pop-ups for Office/);
  });

  test('a bridge that turns out disabled falls back to Office SSO', async () => {
    const token = financeToken(START);
    const { port, signIn } = setUp({
      nested: { silent: [signInError('unavailable', {}, 'nested_app_auth_bridge_disabled')] },
      sso: { answers: [token] },
    });
    const session = await signIn.signIn(API);
    expect(session.user.name).toBe('Fiona Finance');
    expect(port.calls).toEqual(['nestedAppAuth', `silent ${SCOPE}`, 'officeSso', 'getAccessToken prompt=true']);
  });
});

describe('Office single sign-on when the host has no nested app authentication', () => {
  test('silently on opening (no prompt), with Office prompts on the click', async () => {
    const token = financeToken(START);
    const { port, signIn } = setUp({ nested: null, sso: { answers: [signInError('account', {}, '13001'), token] } });
    expect(await signIn.signInSilently(API)).toBeNull();
    const session = await signIn.signIn(API);
    expect(session.user.roles).toEqual(['finance', 'pcc.west-mercia']);
    expect(port.calls).toEqual(['nestedAppAuth', 'officeSso', 'getAccessToken prompt=false', 'officeSso', 'getAccessToken prompt=true']);
  });

  test('an Office configuration error names what the administrator must fix', async () => {
    const { signIn } = setUp({
      nested: null,
      sso: { answers: [signInError('misconfigured', { addinHost: 'addin.fund.example.org', scope: SCOPE }, '13005')] },
    });
    const message = describeError(await failure(signIn.signIn(API)));
    expect(message).toContain('Fundshare administrator');
    expect(message).toContain('ea5a67f6-b6f3-4338-b240-c655ddc3cc8e');
    expect(message).toContain('(13005)');
  });
});

describe('when nothing can sign in', () => {
  test('inside an Office without either: update Office or use Excel on the web', async () => {
    const { signIn } = setUp({ nested: null, sso: null });
    expect(await signIn.signInSilently(API)).toBeNull();
    const error = await failure(signIn.signIn(API));
    expect(error.kind).toBe('unsupported-host');
    expect(describeError(error)).toMatch(/Update Office .*Excel on the web/);
  });

  test('outside Office: open it from Excel', async () => {
    const { signIn } = setUp({ nested: null, sso: null }, { inOffice: false });
    expect((await failure(signIn.signIn(API))).kind).toBe('outside-office');
  });

  test('a build with no Entra ID settings says which ones the administrator must set, and asks the host nothing', async () => {
    const { port, signIn } = setUp({ nested: { silent: ['unused'] } }, { settings: null });
    const error = await failure(signIn.signIn(API));
    expect(error.kind).toBe('not-configured');
    expect(describeError(error)).toContain('FUNDSHARE_SSO_CLIENT_ID');
    expect(port.calls).toEqual([]);
  });
});

describe('the session token', () => {
  test('is renewed silently within five minutes of expiry, once for many requests at a time', async () => {
    const first = financeToken(START);
    const second = financeToken(START + 55 * 60_000, { name: 'Fiona Finance (renewed)' });
    const { port, signIn, sent, advance } = setUp({ nested: { silent: [first, second] } });
    const session = (await signIn.signInSilently(API))!;

    advance(HOUR - RENEW_BEFORE_MS - 60_000); // 6 minutes left: no renewal yet
    await session.client.budget('2026/27').catch(() => undefined);
    expect(sent).toEqual([`Bearer ${first}`]);

    advance(2 * 60_000); // 4 minutes left
    await Promise.all([session.client.budget('2026/27'), session.client.budget('2025/26'), session.client.budget('2027/28')]).catch(
      () => undefined,
    );
    expect(sent.slice(1)).toEqual([`Bearer ${second}`, `Bearer ${second}`, `Bearer ${second}`]);
    expect(port.calls.filter((c) => c.startsWith('silent'))).toHaveLength(2);
    expect(port.calls.some((c) => c.startsWith('popup'))).toBe(false); // renewal never opens a window
  });

  test('a failed renewal keeps the token while it is valid; once expired it asks the user to sign in again', async () => {
    let now = START;
    const renewals: string[] = [];
    const source = new RenewingToken(
      financeToken(START),
      async () => {
        renewals.push('renew');
        throw interactionRequired();
      },
      () => now,
    );
    now = START + HOUR - 60_000;
    expect(await source.get()).toBe(financeToken(START));
    now = START + HOUR + 1;
    const error = await failure(source.get());
    expect(error.kind).toBe('expired');
    expect(describeError(error)).toBe('Your Microsoft sign-in has expired. Choose Sign out, then Sign in with Microsoft.');
    expect(renewals).toHaveLength(2);
  });

  test('sign-out forgets the token and the MSAL instance: later requests are not signed in', async () => {
    const token = financeToken(START);
    const { port, signIn, sent } = setUp({ nested: { silent: [token] } });
    const session = (await signIn.signInSilently(API))!;
    session.signOut!();
    const error = await session.client.budget('2026/27').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('unauthorised');
    expect(sent).toEqual([]);

    await signIn.signIn(API);
    expect(port.calls.filter((c) => c === 'nestedAppAuth')).toHaveLength(2);
  });
});

describe('who is signed in', () => {
  test('name, else the username; the Fundshare roles with their binding, not other app roles', () => {
    expect(signedInUser({ sub: 's', name: 'Pat PCC', roles: ['pcc.warwickshire', 'Viewer', 'submitter.shropshire'] })).toEqual({
      sub: 's',
      name: 'Pat PCC',
      roles: ['pcc.warwickshire', 'submitter.shropshire'],
      funder: 'warwickshire',
      organisation: 'shropshire',
    });
    expect(signedInUser({ sub: 's', preferred_username: 'pat@pcc.example.org', roles: 'finance' })).toEqual({
      sub: 's',
      name: 'pat@pcc.example.org',
      roles: [],
    });
  });

  test('a token with no Fundshare role is refused at sign-in with what to ask for', async () => {
    const { signIn } = setUp({ nested: { silent: [financeToken(START, { roles: ['Reader'] })] } });
    const error = await failure(signIn.signIn(API));
    expect(error.kind).toBe('no-role');
    expect(describeError(error)).toMatch(/signed in as Fiona Finance, but your account has no Fundshare role/);
  });
});
