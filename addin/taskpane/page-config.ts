/**
 * fundshare-config.json beside the pane: the API address and, in production, the Entra ID
 * settings. Written by the build (or by whoever deploys it), so it is parsed, never trusted.
 */
import * as z from 'zod/mini';
import type { MicrosoftSignInSettings } from '../config';

const microsoftSchema = z.object({
  clientId: z.string().check(z.trim(), z.minLength(1)),
  authority: z.string().check(z.startsWith('https://')),
  scopes: z.array(z.string().check(z.trim(), z.minLength(1))).check(z.minLength(1)),
});

export interface PageConfig {
  apiUrl?: string;
  microsoft?: MicrosoftSignInSettings;
}

export function parsePageConfig(body: unknown): PageConfig {
  if (typeof body !== 'object' || body === null) return {};
  const { apiUrl, microsoft } = body as { apiUrl?: unknown; microsoft?: unknown };
  const settings = microsoft === undefined ? undefined : microsoftSchema.safeParse(microsoft);
  if (settings && !settings.success) console.warn('fundshare-config.json: ignoring invalid "microsoft" settings', settings.error.issues);
  return {
    ...(typeof apiUrl === 'string' && apiUrl !== '' ? { apiUrl } : {}),
    ...(settings?.success ? { microsoft: settings.data } : {}),
  };
}

export async function readPageConfig(): Promise<PageConfig> {
  try {
    const response = await fetch('fundshare-config.json', { cache: 'no-store' });
    return response.ok ? parsePageConfig(await response.json()) : {};
  } catch {
    return {};
  }
}
