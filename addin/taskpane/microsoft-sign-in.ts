/**
 * Production sign-in, as plain decisions over a small port (addin/excel/identity.ts implements it
 * with MSAL and Office.js; tests use a fake of the port):
 * MSAL nested app authentication when the host brokers it (silent first, the host's popup only
 * on a click) → else legacy Office single sign-on → else a message saying what is missing.
 * The session's token is renewed silently before it expires; sign-out forgets it.
 */
import { FundshareClient } from '../api/client';
import type { MicrosoftSignInSettings } from '../config';
import type { Session } from '../session';
import { noRoleError, signInError, SignInError, type SignInContext } from './sign-in-error';
import { signedInUser, tokenClaims, tokenExpiresAt } from './token-claims';

/** MSAL nested app authentication: tokens brokered by the Office host. */
export interface NestedAppAuth {
  /** A token with no UI; rejects with a SignInError (kind interaction-required when the user must act). */
  acquireTokenSilent(scopes: readonly string[]): Promise<string>;
  /** The host's sign-in / consent window: only ever from a user's click. */
  acquireTokenPopup(scopes: readonly string[]): Promise<string>;
}

/** Legacy Office single sign-on (Office.auth.getAccessToken); rejects with a SignInError. */
export interface OfficeSso {
  getAccessToken(options: { allowPrompt: boolean }): Promise<string>;
}

/** What the host offers for signing in. Every method reports failures as SignInError. */
export interface IdentityPort {
  /** Nested app authentication when the host supports it (NestedAppAuth 1.1) and its bridge answers; else null. */
  nestedAppAuth(settings: MicrosoftSignInSettings): Promise<NestedAppAuth | null>;
  /** Office single sign-on when the host supports it (IdentityAPI 1.3); else null. */
  officeSso(settings: MicrosoftSignInSettings): OfficeSso | null;
}

export interface MicrosoftSignInOptions {
  port: IdentityPort;
  /** null when the build carries no Entra ID settings. */
  settings: MicrosoftSignInSettings | null;
  /** Whether the pane runs inside Office (Office.onReady named a host). */
  inOffice: boolean;
  /** The add-in's host (with port), named in messages for the administrator. */
  addinHost?: string;
  now?: () => number;
  fetch?: typeof fetch;
}

/** Renew this long before the token expires (Entra ID tokens live about an hour). */
export const RENEW_BEFORE_MS = 5 * 60_000;
/** A token that names no expiry is renewed after this long. */
const ASSUMED_LIFETIME_MS = 10 * 60_000;

type Method = 'nested-app-auth' | 'office-sso';

export class MicrosoftSignIn {
  private readonly now: () => number;
  private nested: Promise<NestedAppAuth | null> | null = null;

  constructor(private readonly options: MicrosoftSignInOptions) {
    this.now = options.now ?? Date.now;
  }

  private get context(): SignInContext {
    const { settings, addinHost } = this.options;
    return {
      ...(settings ? { clientId: settings.clientId, scope: settings.scopes.join(' ') } : {}),
      ...(addinHost ? { addinHost } : {}),
    };
  }

  /** On opening the pane: a session if one can be had with no UI at all, else null (never throws). */
  async signInSilently(apiUrl: string): Promise<Session | null> {
    try {
      return await this.connect(apiUrl, false);
    } catch (error) {
      console.info('Fundshare: no silent Microsoft sign-in', error instanceof SignInError ? error.kind : error);
      return null;
    }
  }

  /** On the user's click: silent first, then the host's sign-in window. Rejects with a SignInError. */
  async signIn(apiUrl: string): Promise<Session> {
    const session = await this.connect(apiUrl, true);
    if (!session) throw signInError('interaction-required', this.context);
    return session;
  }

  private async connect(apiUrl: string, interactive: boolean): Promise<Session | null> {
    const { settings, inOffice, port } = this.options;
    if (!settings) throw signInError('not-configured', this.context);
    const scopes = settings.scopes;

    this.nested ??= port.nestedAppAuth(settings).catch((error: unknown) => {
      this.nested = null; // a failed start is tried afresh on the next click
      throw error;
    });
    const nested = await this.nested;
    if (nested) {
      const token = await this.acquire(nested.acquireTokenSilent(scopes), interactive, () => nested.acquireTokenPopup(scopes));
      if (token) return this.session(apiUrl, token, 'nested-app-auth', () => nested.acquireTokenSilent(scopes));
      if (token === null) return null;
      // undefined: nested app authentication turned out unavailable; try Office SSO.
    }

    const sso = port.officeSso(settings);
    if (sso) {
      const token = await this.acquire(sso.getAccessToken({ allowPrompt: interactive }), interactive);
      if (token) return this.session(apiUrl, token, 'office-sso', () => sso.getAccessToken({ allowPrompt: false }));
      if (token === null) return null;
    }
    throw signInError(inOffice ? 'unsupported-host' : 'outside-office', this.context);
  }

  /**
   * The token, null when the user must act but may not be asked now, undefined when this way of
   * signing in is unavailable here. Anything else is rethrown.
   */
  private async acquire(silent: Promise<string>, interactive: boolean, popup?: () => Promise<string>): Promise<string | null | undefined> {
    try {
      return await silent;
    } catch (error) {
      const kind = error instanceof SignInError ? error.kind : 'unknown';
      if (kind === 'unavailable') {
        console.info('Fundshare: sign-in method unavailable here', error);
        return undefined;
      }
      if (!interactive) {
        if (kind === 'interaction-required' || kind === 'account') return null;
        throw error;
      }
      // The host's window can sign in, consent, or pick the account the host lacks.
      if ((kind === 'interaction-required' || kind === 'account') && popup) return popup();
      throw error;
    }
  }

  private session(apiUrl: string, token: string, method: Method, renew: () => Promise<string>): Session {
    const claims = tokenClaims(token);
    const user = signedInUser(claims);
    if (user.roles.length === 0) throw noRoleError(user.name);
    const source = new RenewingToken(token, renew, this.now);
    console.info(`Fundshare: signed in with ${method === 'nested-app-auth' ? 'MSAL nested app authentication' : 'Office single sign-on'}`);
    const client = new FundshareClient({
      baseUrl: apiUrl,
      getToken: () => source.get(),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
    return {
      apiUrl,
      client,
      user,
      signOut: () => {
        source.stop();
        // A new MSAL instance (memory cache only) next time: nothing of this sign-in is kept.
        this.nested = null;
      },
    };
  }
}

/**
 * The session's access token: handed out while it has more than RENEW_BEFORE_MS to live, renewed
 * silently after that (one renewal at a time, however many requests ask). A failed renewal keeps
 * the current token while it is still valid; once it has expired the failure is the caller's.
 */
export class RenewingToken {
  private token: string;
  private expiresAt: number;
  private renewing: Promise<string> | null = null;
  private stopped = false;

  constructor(
    token: string,
    private readonly renew: () => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {
    this.token = token;
    this.expiresAt = this.expiryOf(token);
  }

  private expiryOf(token: string): number {
    return tokenExpiresAt(tokenClaims(token)) ?? this.now() + ASSUMED_LIFETIME_MS;
  }

  /** The token to send, or null once signed out (the API client then says "not signed in"). */
  async get(): Promise<string | null> {
    if (this.stopped) return null;
    if (this.expiresAt - this.now() > RENEW_BEFORE_MS) return this.token;
    this.renewing ??= this.renew().finally(() => {
      this.renewing = null;
    });
    try {
      const token = await this.renewing;
      if (this.stopped) return null;
      this.token = token;
      this.expiresAt = this.expiryOf(token);
      return token;
    } catch (error) {
      if (this.expiresAt > this.now()) {
        console.warn('Fundshare: token renewal failed; the current token is still valid', error);
        return this.token;
      }
      if (error instanceof SignInError && error.kind !== 'interaction-required') throw error;
      throw signInError('expired', {}, error instanceof SignInError ? error.code : undefined, error);
    }
  }

  /** Sign-out: forget the token; later requests are not signed in. */
  stop(): void {
    this.stopped = true;
    this.token = '';
  }
}
