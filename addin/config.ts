/**
 * Build-time settings of one add-in build (dev or production). esbuild replaces
 * `__FUNDSHARE_BUILD__` with the target's settings; tests and type checks see the dev defaults.
 */

export interface AddinBuildConfig {
  /** Which build: the dev add-in (own id, name and namespace) or the production one. */
  environment: 'dev' | 'production';
  /** The custom functions namespace the manifest declares (FUND, or FUNDDEV for the dev add-in). */
  namespace: string;
  /** API base URL the pane offers before the page's fundshare-config.json says otherwise. */
  defaultApiUrl: string;
  /** How the pane signs in: the local dev-token picker, or Office single sign-on. */
  signIn: 'dev-token' | 'office-sso';
}

declare const __FUNDSHARE_BUILD__: AddinBuildConfig | undefined;

/** Outside a build (tests, type checks) the dev settings apply; in a build esbuild folds this to the target's. */
export const buildConfig: AddinBuildConfig =
  typeof __FUNDSHARE_BUILD__ !== 'undefined'
    ? __FUNDSHARE_BUILD__
    : { environment: 'dev', namespace: 'FUNDDEV', defaultApiUrl: 'http://127.0.0.1:3001', signIn: 'dev-token' };
