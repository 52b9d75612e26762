/**
 * A fake of our own identity port (addin/taskpane/microsoft-sign-in.ts), not of MSAL: each way of
 * signing in is scripted with what it answers, and every call is recorded.
 */
import type { MicrosoftSignInSettings } from '../../../addin/config';
import type { IdentityPort, NestedAppAuth, OfficeSso } from '../../../addin/taskpane/microsoft-sign-in';

export type Answer = string | Error;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT with these claims (the pane decodes tokens; only the API verifies them). */
export function jwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.signature`;
}

export const SETTINGS: MicrosoftSignInSettings = {
  clientId: '11111111-2222-3333-4444-555555555555',
  authority: 'https://login.microsoftonline.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  scopes: ['api://addin.fund.example.org/11111111-2222-3333-4444-555555555555/access_as_user'],
};

export interface FakeIdentityScript {
  /** null: the host does not broker tokens (no NestedAppAuth 1.1, or no bridge). */
  nested?: { silent: Answer[]; popup?: Answer[] } | null;
  /** null: no Office SSO (IdentityAPI 1.3). */
  sso?: { answers: Answer[] } | null;
}

export class FakeIdentity implements IdentityPort {
  readonly calls: string[] = [];
  readonly settingsSeen: MicrosoftSignInSettings[] = [];

  constructor(private readonly script: FakeIdentityScript) {}

  private static next(queue: Answer[], what: string): Promise<string> {
    const answer = queue.length > 1 ? queue.shift() : queue[0];
    if (answer === undefined) return Promise.reject(new Error(`the script has no answer for ${what}`));
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  async nestedAppAuth(settings: MicrosoftSignInSettings): Promise<NestedAppAuth | null> {
    this.calls.push('nestedAppAuth');
    this.settingsSeen.push(settings);
    const nested = this.script.nested;
    if (!nested) return null;
    return {
      acquireTokenSilent: (scopes) => {
        this.calls.push(`silent ${scopes.join(' ')}`);
        return FakeIdentity.next(nested.silent, 'a silent token');
      },
      acquireTokenPopup: (scopes) => {
        this.calls.push(`popup ${scopes.join(' ')}`);
        return FakeIdentity.next(nested.popup ?? [], 'a popup');
      },
    };
  }

  officeSso(settings: MicrosoftSignInSettings): OfficeSso | null {
    this.calls.push('officeSso');
    this.settingsSeen.push(settings);
    const sso = this.script.sso;
    if (!sso) return null;
    return {
      getAccessToken: ({ allowPrompt }) => {
        this.calls.push(`getAccessToken prompt=${allowPrompt}`);
        return FakeIdentity.next(sso.answers, 'Office SSO');
      },
    };
  }
}
