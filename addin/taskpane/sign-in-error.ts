/**
 * Why a Microsoft sign-in failed, as a value with a kind. MSAL and Office report codes (their
 * messages are localised and not meant for users): these functions branch on the codes and pick
 * a sentence a finance user can act on, naming what an administrator must change where it is
 * theirs to fix. The raw code and detail stay on the error for the console.
 */

export type SignInErrorKind =
  /** Silent sign-in cannot go on without the user (sign in, consent, MFA): a click can fix it. */
  | 'interaction-required'
  | 'cancelled'
  | 'popup-blocked'
  | 'in-progress'
  | 'no-network'
  /** Office is not signed in, or with an account type that cannot be used. */
  | 'account'
  | 'not-assigned'
  | 'blocked-by-policy'
  | 'admin-consent'
  /** The app registration, the scope, the redirect URI or the manifest do not match. */
  | 'misconfigured'
  /** This host cannot do this kind of sign-in: try the next one. */
  | 'unavailable'
  | 'throttled'
  | 'office-restart'
  /** The build carries no Entra ID settings. */
  | 'not-configured'
  /** Neither nested app authentication nor Office single sign-on works here. */
  | 'unsupported-host'
  | 'outside-office'
  | 'no-role'
  | 'expired'
  | 'unknown';

export class SignInError extends Error {
  constructor(
    readonly kind: SignInErrorKind,
    message: string,
    /** The code MSAL, Entra ID or Office gave (for the console and the administrator). */
    readonly code?: string,
    /** What the SDK said, for the console only. */
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** What the messages may name: the settings an administrator would check. */
export interface SignInContext {
  clientId?: string;
  scope?: string;
  /** The add-in's origin host (with port), for the brk-multihub:// redirect URI. */
  addinHost?: string;
}

const ADMIN = 'Send this message to your Fundshare administrator:';

function message(kind: SignInErrorKind, code: string | undefined, context: SignInContext): string {
  const tag = code ? ` (${code})` : '';
  switch (kind) {
    case 'interaction-required':
      return 'Microsoft needs you to sign in again. Choose Sign in with Microsoft.';
    case 'cancelled':
      return 'Sign-in was cancelled. Choose Sign in with Microsoft to try again.';
    case 'popup-blocked':
      return 'The Microsoft sign-in window could not open. Allow pop-ups for Office, then choose Sign in with Microsoft again.';
    case 'in-progress':
      return 'A sign-in is already under way. Finish it in the sign-in window, then try again.';
    case 'no-network':
      return 'Cannot reach Microsoft sign-in. Check your internet connection, then try again.';
    case 'account':
      return `Sign in to Office with your work account (File → Account), then choose Sign in with Microsoft again${tag}.`;
    case 'not-assigned':
      return `Your account is not allowed to use Fundshare yet. Ask your Fundshare administrator to assign you a Fundshare role${tag}.`;
    case 'blocked-by-policy':
      return `Your organisation's sign-in policy blocked Fundshare on this device. Contact your IT service desk${tag}.`;
    case 'admin-consent':
      return `Fundshare needs an administrator's consent before you can sign in. ${ADMIN} grant admin consent to the Fundshare app registration in Entra ID${tag}.`;
    case 'misconfigured':
      return `Fundshare's Microsoft sign-in is not set up correctly. ${ADMIN} ${adminHint(code, context)}${tag}.`;
    case 'throttled':
      return 'Office refused too many sign-in attempts in a row. Wait a minute, then try again.';
    case 'office-restart':
      return `Office could not sign you in. Sign out of Office, restart Excel (or the browser tab), then try again${tag}.`;
    case 'not-configured':
      return `This copy of Fundshare has no Microsoft sign-in settings. ${ADMIN} build the add-in with FUNDSHARE_SSO_CLIENT_ID (and FUNDSHARE_SSO_TENANT_ID) set to the Entra ID app registration.`;
    case 'unsupported-host':
      return 'This version of Office cannot sign you in to Fundshare. Update Office (Microsoft 365, current channel), or open the workbook in Excel on the web from OneDrive or SharePoint.';
    case 'outside-office':
      return 'Open Fundshare from Excel to sign in with Microsoft: this page is not running inside Office.';
    case 'expired':
      return 'Your Microsoft sign-in has expired. Choose Sign out, then Sign in with Microsoft.';
    case 'unavailable':
      return `Microsoft sign-in is not available in this version of Office${tag}.`;
    case 'no-role':
      return 'Your account has no Fundshare role.';
    case 'unknown':
      return `Microsoft sign-in failed${tag}. Try again; if it persists, tell your Fundshare administrator.`;
  }
}

function adminHint(code: string | undefined, context: SignInContext): string {
  const host = context.addinHost ?? '<add-in host>';
  const clientId = context.clientId ?? '<client id>';
  const scope = context.scope ?? `api://${host}/${clientId}/access_as_user`;
  switch (code) {
    case 'AADSTS50011':
      return `add the single-page application redirect URI brk-multihub://${host} to the app registration`;
    case 'AADSTS500011':
    case 'AADSTS70011':
    case 'AADSTS650057':
    case 'invalid_resource':
    case 'invalid_scope':
      return `the app registration must expose the scope ${scope} (Expose an API)`;
    case 'AADSTS700016':
    case 'invalid_client':
    case 'unauthorized_client':
      return `the client id ${clientId} is not an app registration in this tenant`;
    case 'AADSTS50194':
      return 'the app registration is single-tenant: build the add-in with FUNDSHARE_SSO_TENANT_ID set to the directory (tenant) id';
    case '13004':
      return `the manifest's WebApplicationInfo Resource must be api://${host}/${clientId}, the app registration's Application ID URI`;
    case '13005':
    case '13007':
      return `pre-authorise Office (client id ea5a67f6-b6f3-4338-b240-c655ddc3cc8e) for the scope ${scope}, and check that users may sign in to the app`;
    default:
      return `check the app registration (client id ${clientId}, scope ${scope}, redirect URI brk-multihub://${host})`;
  }
}

export function signInError(kind: SignInErrorKind, context: SignInContext = {}, code?: string, detail?: unknown): SignInError {
  return new SignInError(kind, message(kind, code, context), code, detail);
}

/** Signed in, but the token carries no Fundshare role: the administrator assigns one. */
export function noRoleError(name: string): SignInError {
  return new SignInError(
    'no-role',
    `You are signed in as ${name}, but your account has no Fundshare role. Ask your Fundshare administrator to assign you one (Entra ID → Enterprise applications → Fundshare → Users and groups).`,
  );
}

/** What the MSAL adapter reads off an error (MSAL's AuthError fields), so this stays free of MSAL. */
export interface MsalErrorFacts {
  errorCode?: string;
  subError?: string;
  /** The server's text, e.g. "AADSTS50011: The redirect URI …": only its AADSTS number is used. */
  errorMessage?: string;
  /** error instanceof InteractionRequiredAuthError */
  interactionRequired?: boolean;
}

const AADSTS_KINDS: Record<string, SignInErrorKind> = {
  AADSTS50105: 'not-assigned',
  AADSTS53003: 'blocked-by-policy',
  AADSTS53000: 'blocked-by-policy',
  AADSTS65001: 'admin-consent',
  AADSTS90094: 'admin-consent',
  AADSTS90099: 'admin-consent',
  AADSTS50020: 'account',
  AADSTS50011: 'misconfigured',
  AADSTS500011: 'misconfigured',
  AADSTS70011: 'misconfigured',
  AADSTS650057: 'misconfigured',
  AADSTS700016: 'misconfigured',
  AADSTS50194: 'misconfigured',
};

const MSAL_CODE_KINDS: Record<string, SignInErrorKind> = {
  user_cancelled: 'cancelled',
  user_canceled: 'cancelled',
  popup_window_error: 'popup-blocked',
  empty_window_error: 'popup-blocked',
  block_nested_popups: 'popup-blocked',
  interaction_in_progress: 'in-progress',
  no_network_connectivity: 'no-network',
  network_error: 'no-network',
  no_account_found: 'account',
  nested_app_auth_bridge_disabled: 'unavailable',
  unsupported_method: 'unavailable',
  invalid_client: 'misconfigured',
  unauthorized_client: 'misconfigured',
  invalid_resource: 'misconfigured',
  invalid_scope: 'misconfigured',
  consent_required: 'interaction-required',
  interaction_required: 'interaction-required',
  login_required: 'interaction-required',
};

export function signInErrorFromMsal(facts: MsalErrorFacts, context: SignInContext = {}, detail?: unknown): SignInError {
  const aadsts = /AADSTS\d+/.exec(facts.errorMessage ?? '')?.[0];
  // Whatever the server code, a window may fix it (sign in, consent, MFA): try that first.
  if (facts.interactionRequired) return signInError('interaction-required', context, aadsts ?? (facts.errorCode || undefined), detail);
  const aadstsKind = aadsts ? AADSTS_KINDS[aadsts] : undefined;
  if (aadsts && aadstsKind) return signInError(aadstsKind, context, aadsts, detail);
  const code = facts.errorCode || undefined;
  const kind = (code && MSAL_CODE_KINDS[code]) || 'unknown';
  return signInError(kind, context, aadsts ?? code, detail);
}

/** Office.auth.getAccessToken's numeric codes (Microsoft's "Troubleshoot error messages for SSO"). */
const OFFICE_CODE_KINDS: Record<number, SignInErrorKind> = {
  13000: 'unavailable',
  13001: 'account',
  13002: 'cancelled',
  13003: 'account',
  13004: 'misconfigured',
  13005: 'misconfigured',
  13006: 'office-restart',
  13007: 'misconfigured',
  13008: 'in-progress',
  13010: 'blocked-by-policy',
  13012: 'unavailable',
  13013: 'throttled',
  50001: 'unavailable',
};

export function signInErrorFromOffice(code: number | undefined, context: SignInContext = {}, detail?: unknown): SignInError {
  const kind = (code !== undefined && OFFICE_CODE_KINDS[code]) || 'unknown';
  return signInError(kind, context, code === undefined ? undefined : String(code), detail);
}
