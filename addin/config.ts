/**
 * Build-time settings of one add-in build (dev or production). esbuild replaces
 * `__FUNDSHARE_BUILD__` with the target's settings; tests and type checks see the dev defaults.
 */

/** The Entra ID app registration the production pane signs in to (MSAL / Office single sign-on). */
export interface MicrosoftSignInSettings {
  /** Application (client) id of the app registration; also the API's token audience. */
  clientId: string;
  /** https://login.microsoftonline.com/<tenant id> (or /organizations). */
  authority: string;
  /** What the token is for: the API's scope, api://<add-in host>/<client id>/access_as_user by default. */
  scopes: string[];
}

export type SignInKind = 'dev-token' | 'microsoft';

export interface AddinBuildConfig {
  /** Which build: the dev add-in (own id, name and namespace) or the production one. */
  environment: 'dev' | 'production';
  /** The custom functions namespace the manifest declares (FUND, or FUNDDEV for the dev add-in). */
  namespace: string;
  /** API base URL the pane offers before the page's fundshare-config.json says otherwise. */
  defaultApiUrl: string;
  /** How the pane signs in: the local dev-token picker, or Microsoft (MSAL nested app auth, else Office SSO). */
  signIn: SignInKind;
  /** The Entra ID settings baked in, used unless the page's fundshare-config.json carries its own. */
  microsoft?: MicrosoftSignInSettings;
}

declare const __FUNDSHARE_BUILD__: AddinBuildConfig | undefined;

/** Outside a build (tests, type checks) the dev settings apply; in a build esbuild folds this to the target's. */
export const buildConfig: AddinBuildConfig =
  typeof __FUNDSHARE_BUILD__ !== 'undefined'
    ? __FUNDSHARE_BUILD__
    : { environment: 'dev', namespace: 'FUNDDEV', defaultApiUrl: 'http://127.0.0.1:3001', signIn: 'dev-token' };
