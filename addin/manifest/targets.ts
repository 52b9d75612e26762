/**
 * The two add-ins built from one manifest template: the dev add-in (own id, "Fundshare (dev)",
 * namespace FUNDDEV, served by `npm start`) and the production add-in (FUND, the deployed URLs).
 * They never clash in one Excel: different ids, names and namespaces.
 */
import type { AddinBuildConfig } from '../config';

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
  /** Entra ID app registration for Office single sign-on (production). */
  sso?: { clientId: string; resource: string };
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
 * FUNDSHARE_API_URL, and for single sign-on FUNDSHARE_SSO_CLIENT_ID (+ FUNDSHARE_SSO_RESOURCE).
 */
export function productionTarget(env: Record<string, string | undefined> = process.env): ManifestTarget {
  const baseUrl = (env.FUNDSHARE_ADDIN_BASE_URL ?? PRODUCTION_DEFAULTS.baseUrl).replace(/\/+$/, '');
  const clientId = env.FUNDSHARE_SSO_CLIENT_ID;
  return {
    environment: 'production',
    id: PRODUCTION_ADDIN_ID,
    version: ADDIN_VERSION,
    displayName: 'Fundshare',
    namespace: 'FUND',
    baseUrl,
    apiUrl: (env.FUNDSHARE_API_URL ?? PRODUCTION_DEFAULTS.apiUrl).replace(/\/+$/, ''),
    ...(clientId ? { sso: { clientId, resource: env.FUNDSHARE_SSO_RESOURCE ?? `api://${new URL(baseUrl).host}/${clientId}` } } : {}),
  };
}

/** The settings baked into that target's pane bundle. */
export function buildConfigFor(target: ManifestTarget): AddinBuildConfig {
  return {
    environment: target.environment,
    namespace: target.namespace,
    defaultApiUrl: target.apiUrl,
    signIn: target.environment === 'dev' ? 'dev-token' : 'office-sso',
  };
}
