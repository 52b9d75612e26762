/** MSAL's and Office's codes → a kind and a sentence of ours; what the SDK said never reaches the user. */
import { describeError } from '../../../addin/taskpane/describe-error';
import { signInErrorFromMsal, signInErrorFromOffice } from '../../../addin/taskpane/sign-in-error';

const context = {
  clientId: '11111111-2222-3333-4444-555555555555',
  scope: 'api://addin.fund.example.org/11111111-2222-3333-4444-555555555555/access_as_user',
  addinHost: 'addin.fund.example.org',
};
const RAW = 'raw SDK text that must not be shown';

beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

test.each([
  [{ errorCode: 'consent_required', interactionRequired: true }, 'interaction-required'],
  [{ errorCode: 'some_new_code', interactionRequired: true }, 'interaction-required'],
  [{ errorCode: 'user_cancelled' }, 'cancelled'],
  [{ errorCode: 'user_canceled' }, 'cancelled'],
  [{ errorCode: 'popup_window_error' }, 'popup-blocked'],
  [{ errorCode: 'interaction_in_progress' }, 'in-progress'],
  [{ errorCode: 'no_network_connectivity' }, 'no-network'],
  [{ errorCode: 'nested_app_auth_bridge_disabled' }, 'unavailable'],
  [{ errorCode: 'invalid_client', errorMessage: `AADSTS700016: ${RAW}` }, 'misconfigured'],
  [{ errorCode: 'invalid_request', errorMessage: `AADSTS50011: ${RAW}` }, 'misconfigured'],
  [{ errorCode: 'invalid_grant', errorMessage: `AADSTS50105: ${RAW}` }, 'not-assigned'],
  [{ errorCode: 'invalid_grant', errorMessage: `AADSTS53003: ${RAW}` }, 'blocked-by-policy'],
  [{ errorCode: 'invalid_grant', errorMessage: `AADSTS65001: ${RAW}` }, 'admin-consent'],
  [{ errorCode: 'consent_required', errorMessage: `AADSTS65001: ${RAW}`, interactionRequired: true }, 'interaction-required'],
  [{ errorCode: 'something_else', errorMessage: RAW }, 'unknown'],
] as const)('MSAL %j → %s', (facts, kind) => {
  const error = signInErrorFromMsal(facts, context, new Error(RAW));
  expect(error.kind).toBe(kind);
  expect(describeError(error)).not.toContain(RAW);
});

test('the redirect URI and scope errors tell the administrator exactly what to register', () => {
  expect(describeError(signInErrorFromMsal({ errorCode: 'invalid_request', errorMessage: `AADSTS50011: ${RAW}` }, context))).toBe(
    "Fundshare's Microsoft sign-in is not set up correctly. Send this message to your Fundshare administrator: add the single-page application redirect URI brk-multihub://addin.fund.example.org to the app registration (AADSTS50011).",
  );
  expect(describeError(signInErrorFromMsal({ errorCode: 'invalid_resource', errorMessage: `AADSTS500011: ${RAW}` }, context))).toContain(
    `must expose the scope ${context.scope}`,
  );
  expect(describeError(signInErrorFromMsal({ errorCode: 'invalid_request', errorMessage: `AADSTS50194: ${RAW}` }, context))).toContain(
    'FUNDSHARE_SSO_TENANT_ID',
  );
});

test.each([
  [13000, 'unavailable'],
  [13001, 'account'],
  [13002, 'cancelled'],
  [13003, 'account'],
  [13004, 'misconfigured'],
  [13005, 'misconfigured'],
  [13006, 'office-restart'],
  [13007, 'misconfigured'],
  [13008, 'in-progress'],
  [13012, 'unavailable'],
  [13013, 'throttled'],
  [50001, 'unavailable'],
  [99999, 'unknown'],
] as const)('Office SSO %i → %s', (code, kind) => {
  const error = signInErrorFromOffice(code, context, { code, message: RAW });
  expect(error.kind).toBe(kind);
  expect(error.code).toBe(String(code));
  expect(describeError(error)).not.toContain(RAW);
});

test('the details go to the console, not to the user', () => {
  const error = signInErrorFromOffice(13004, context, { code: 13004, message: RAW });
  const message = describeError(error);
  expect(message).toContain('api://addin.fund.example.org/11111111-2222-3333-4444-555555555555');
  expect(console.error).toHaveBeenCalledWith('Sign-in failed', 'misconfigured', '13004', { code: 13004, message: RAW });
});
