/**
 * The two add-ins built from one manifest template: the dev add-in (own id, "Fundshare (dev)",
 * namespace FUNDDEV, served by `npm start`) and the production add-in (FUND, the deployed URLs).
 * They never clash in one Excel: different ids, names and namespaces.
 */
import type { AddinBuildConfig, MicrosoftSignInSettings } from '../config';

export interface ManifestTarget {
  environment: 'dev' | 'production';
  id: string;
  version: string;
  displayName: string;
  namespace: string;
  /** Where the add-in's files are served, without a trailing slash (https). */
  baseUrl: string;
  /** The API the pane talks to by default. */
  apiUrl: string;
  /** Entra ID app registration for Microsoft sign-in (production): MSAL nested app auth and Office SSO. */
  sso?: SsoSettings;
}

export interface SsoSettings {
  clientId: string;
  /** The Application ID URI, api://<add-in host>/<client id>: the manifest's WebApplicationInfo Resource. */
  resource: string;
  /** The API scope the pane asks tokens for. */
  scope: string;
  authority: string;
}

export const DEV_ADDIN_ID = '6f1c0e84-2a57-4a39-9d3e-5b8f2f0c7d11';
export const PRODUCTION_ADDIN_ID = 'b4a7c3d2-91e8-4f65-8c0a-3e2d1f9a6b54';
export const ADDIN_VERSION = '1.0.0.0';

/** Placeholders until infra publishes the deployed URLs; override with the env vars below at build time. */
export const PRODUCTION_DEFAULTS = {
  baseUrl: 'https://addin.fundshare.example',
  apiUrl: 'https://api.fundshare.example',
};

export function devTarget(options: { port: number; apiUrl: string }): ManifestTarget {
  return {
    environment: 'dev',
    id: DEV_ADDIN_ID,
    version: ADDIN_VERSION,
    displayName: 'Fundshare (dev)',
    namespace: 'FUNDDEV',
    baseUrl: `https://localhost:${options.port}`,
    apiUrl: options.apiUrl,
  };
}

/**
 * The production target from the environment of the build: FUNDSHARE_ADDIN_BASE_URL,
 * FUNDSHARE_API_URL, and for Microsoft sign-in FUNDSHARE_SSO_CLIENT_ID (+ the optional
 * FUNDSHARE_SSO_TENANT_ID, FUNDSHARE_SSO_AUTHORITY, FUNDSHARE_SSO_RESOURCE, FUNDSHARE_SSO_SCOPE).
 */
export function productionTarget(env: Record<string, string | undefined> = process.env): ManifestTarget {
  const baseUrl = (env.FUNDSHARE_ADDIN_BASE_URL ?? PRODUCTION_DEFAULTS.baseUrl).replace(/\/+$/, '');
  const sso = ssoSettings(env, baseUrl);
  return {
    environment: 'production',
    id: PRODUCTION_ADDIN_ID,
    version: ADDIN_VERSION,
    displayName: 'Fundshare',
    namespace: 'FUND',
    baseUrl,
    apiUrl: (env.FUNDSHARE_API_URL ?? PRODUCTION_DEFAULTS.apiUrl).replace(/\/+$/, ''),
    ...(sso ? { sso } : {}),
  };
}

/**
 * The Entra ID settings, each derived from the client id and the add-in's host unless set:
 * resource api://<add-in host>/<client id> (Office SSO requires the add-in's own domain there),
 * scope <resource>/access_as_user, authority https://login.microsoftonline.com/<tenant id>, where
 * the tenant defaults to "organizations" (work and school accounts; a single-tenant app
 * registration needs its tenant id).
 */
export function ssoSettings(env: Record<string, string | undefined>, baseUrl: string): SsoSettings | undefined {
  const clientId = env.FUNDSHARE_SSO_CLIENT_ID?.trim();
  if (!clientId) return undefined;
  const resource = (env.FUNDSHARE_SSO_RESOURCE?.trim() || `api://${new URL(baseUrl).host}/${clientId}`).replace(/\/+$/, '');
  const tenant = env.FUNDSHARE_SSO_TENANT_ID?.trim() || 'organizations';
  const authority = (env.FUNDSHARE_SSO_AUTHORITY?.trim() || `https://login.microsoftonline.com/${tenant}`).replace(/\/+$/, '');
  if (!authority.startsWith('https://')) throw new Error(`FUNDSHARE_SSO_AUTHORITY must be an https URL, not ${authority}`);
  return { clientId, resource, scope: env.FUNDSHARE_SSO_SCOPE?.trim() || `${resource}/access_as_user`, authority };
}

/** What the pane needs of those settings (the manifest keeps the resource). */
export function microsoftSignInFor(target: ManifestTarget): MicrosoftSignInSettings | undefined {
  return target.sso ? { clientId: target.sso.clientId, authority: target.sso.authority, scopes: [target.sso.scope] } : undefined;
}

/** The settings baked into that target's pane bundle. */
export function buildConfigFor(target: ManifestTarget): AddinBuildConfig {
  const microsoft = microsoftSignInFor(target);
  return {
    environment: target.environment,
    namespace: target.namespace,
    defaultApiUrl: target.apiUrl,
    signIn: target.environment === 'dev' ? 'dev-token' : 'microsoft',
    ...(microsoft ? { microsoft } : {}),
  };
}
