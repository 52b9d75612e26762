/** Renders the manifest template for a target; every URL in it derives from the target's base URL. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { funderNamesText } from '../../domain';
import type { ManifestTarget } from './targets';

export const MANIFEST_TEMPLATE_PATH = join(__dirname, 'manifest.template.xml');

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function renderManifest(target: ManifestTarget, template = readFileSync(MANIFEST_TEMPLATE_PATH, 'utf8')): string {
  if (!target.baseUrl.startsWith('https://')) throw new Error(`the add-in base URL must be https, not ${target.baseUrl}`);
  if (!/^[A-Z][A-Z0-9]{0,31}$/.test(target.namespace))
    throw new Error(`namespace ${target.namespace} must be upper-case letters and digits`);
  const apiOrigin = new URL(target.apiUrl).origin;
  // AppDomains lists where the pane may navigate; only https origins belong there.
  const appDomains = apiOrigin.startsWith('https://') ? `<AppDomain>${escapeXml(apiOrigin)}</AppDomain>` : '';
  const webApplicationInfo = target.sso
    ? [
        '<WebApplicationInfo>',
        `      <Id>${escapeXml(target.sso.clientId)}</Id>`,
        `      <Resource>${escapeXml(target.sso.resource)}</Resource>`,
        '      <Scopes>',
        '        <Scope>openid</Scope>',
        '        <Scope>profile</Scope>',
        '      </Scopes>',
        '    </WebApplicationInfo>',
      ].join('\n')
    : '';
  const fields: Record<string, string> = {
    id: escapeXml(target.id),
    version: escapeXml(target.version),
    displayName: escapeXml(target.displayName),
    // The publisher: the funders' PCCs, named from domain/alliance.ts.
    providerName: escapeXml(`${funderNamesText()} PCCs`),
    namespace: escapeXml(target.namespace),
    baseUrl: escapeXml(target.baseUrl),
    appDomains,
    webApplicationInfo,
  };
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`the manifest template uses {{${name}}}, which has no value`);
    return value;
  });
  // Tidy the lines left empty by optional parts.
  return rendered.replace(/\n[ \t]*\n(?=[ \t]*<\/(AppDomains|VersionOverrides)>)/g, '\n');
}
