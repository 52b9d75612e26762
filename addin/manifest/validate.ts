/**
 * Offline manifest validation (office-addin-manifest validate needs a Microsoft service these
 * machines cannot reach): well-formed XML, the elements an add-in-only manifest with a shared
 * runtime and custom functions needs, every resid defined, and every URL https under one origin.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface ManifestFacts {
  id: string;
  version: string;
  displayName: string;
  namespace: string;
  sourceLocation: string;
  runtimeUrl: string;
  functionsMetadataUrl: string;
  functionsScriptUrl: string;
  iconUrls: string[];
  urls: string[];
}

type Node = Record<string, unknown>;

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const child = (node: unknown, name: string): Node | undefined => {
  const value = (node as Node | undefined)?.[name];
  return (Array.isArray(value) ? value[0] : value) as Node | undefined;
};
const attr = (node: unknown, name: string): string | undefined => {
  const value = (node as Node | undefined)?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
};
const text = (node: unknown): string | undefined => {
  if (typeof node === 'string') return node;
  const value = (node as Node | undefined)?.['#text'];
  return typeof value === 'string' ? value : undefined;
};

/** Problems found (empty when valid) and the facts read from the manifest. */
export function validateManifest(xml: string): { problems: string[]; facts: ManifestFacts | null } {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return { problems: [`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`], facts: null };
  const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false, trimValues: true });
  const doc = parser.parse(xml) as Node;
  const problems: string[] = [];
  const need = <T>(value: T | undefined, what: string): T | undefined => {
    if (value === undefined || value === '') problems.push(`missing ${what}`);
    return value;
  };
  const app = child(doc, 'OfficeApp');
  if (!app) return { problems: ['missing OfficeApp root element'], facts: null };
  if (attr(app, 'type') !== 'TaskPaneApp') problems.push('OfficeApp must be xsi:type="TaskPaneApp"');
  const id = need(text(child(app, 'Id')), 'Id') ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) problems.push(`Id must be a GUID, not "${id}"`);
  const version = need(text(child(app, 'Version')), 'Version') ?? '';
  if (!/^\d+(\.\d+){0,3}$/.test(version)) problems.push(`Version must look like 1.0.0.0, not "${version}"`);
  need(text(child(app, 'ProviderName')), 'ProviderName');
  need(text(child(app, 'DefaultLocale')), 'DefaultLocale');
  const displayName = need(attr(child(app, 'DisplayName'), 'DefaultValue'), 'DisplayName') ?? '';
  need(attr(child(app, 'Description'), 'DefaultValue'), 'Description');
  const iconUrl = need(attr(child(app, 'IconUrl'), 'DefaultValue'), 'IconUrl') ?? '';
  const hiResIconUrl = need(attr(child(app, 'HighResolutionIconUrl'), 'DefaultValue'), 'HighResolutionIconUrl') ?? '';
  const hosts = asArray(child(app, 'Hosts')?.Host).map((h) => attr(h, 'Name'));
  if (!hosts.includes('Workbook')) problems.push('Hosts must include Workbook (Excel)');
  const sets = asArray(child(child(app, 'Requirements'), 'Sets')?.Set).map((s) => attr(s, 'Name'));
  for (const set of ['SharedRuntime', 'CustomFunctionsRuntime'])
    if (!sets.includes(set)) problems.push(`Requirements must name the ${set} set`);
  const sourceLocation =
    need(attr(child(child(app, 'DefaultSettings'), 'SourceLocation'), 'DefaultValue'), 'DefaultSettings/SourceLocation') ?? '';
  if (text(child(app, 'Permissions')) !== 'ReadWriteDocument') problems.push('Permissions must be ReadWriteDocument');

  const overrides = child(app, 'VersionOverrides');
  const host = child(child(overrides, 'Hosts'), 'Host');
  const resources = child(overrides, 'Resources');
  const urlsById = new Map(asArray(child(resources, 'Urls')?.Url).map((u) => [attr(u, 'id') ?? '', attr(u, 'DefaultValue') ?? '']));
  const imagesById = new Map(asArray(child(resources, 'Images')?.Image).map((u) => [attr(u, 'id') ?? '', attr(u, 'DefaultValue') ?? '']));
  const stringsById = new Map(
    [...asArray(child(resources, 'ShortStrings')?.String), ...asArray(child(resources, 'LongStrings')?.String)].map((s) => [
      attr(s, 'id') ?? '',
      attr(s, 'DefaultValue') ?? '',
    ]),
  );
  if (!host || attr(host, 'type') !== 'Workbook') problems.push('VersionOverrides must have a Workbook host');

  // Every resid used must be defined in Resources.
  const used = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node as Node)) {
        if (key === '@_resid' && typeof value === 'string') used.add(value);
        else collect(value);
      }
    }
  };
  collect(host);
  for (const resid of used) {
    if (!urlsById.has(resid) && !imagesById.has(resid) && !stringsById.has(resid))
      problems.push(`resid "${resid}" is not defined in Resources`);
    if (resid.length > 32) problems.push(`resid "${resid}" is longer than 32 characters`);
  }

  const runtime = child(child(host, 'Runtimes'), 'Runtime');
  if (!runtime) problems.push('missing Runtimes/Runtime (shared runtime)');
  else if (attr(runtime, 'lifetime') !== 'long') problems.push('the shared Runtime must have lifetime="long"');
  const runtimeUrl = urlsById.get(attr(runtime, 'resid') ?? '') ?? '';
  const cf = asArray(child(host, 'AllFormFactors')?.ExtensionPoint).find((e) => attr(e, 'type') === 'CustomFunctions');
  if (!cf) problems.push('missing the CustomFunctions extension point');
  const cfUrl = (part: string) => urlsById.get(attr(child(child(cf, part), 'SourceLocation'), 'resid') ?? '') ?? '';
  const functionsMetadataUrl = cfUrl('Metadata');
  const functionsScriptUrl = cfUrl('Script');
  const pageUrl = cfUrl('Page');
  const namespace = stringsById.get(attr(child(cf, 'Namespace'), 'resid') ?? '') ?? '';
  if (!/^[A-Z][A-Z0-9]*$/.test(namespace)) problems.push(`the functions namespace must be upper-case letters, not "${namespace}"`);
  if (pageUrl !== runtimeUrl) problems.push('the custom functions Page must be the shared runtime page');
  const desktop = child(host, 'DesktopFormFactor');
  if (urlsById.get(attr(child(desktop, 'FunctionFile'), 'resid') ?? '') !== runtimeUrl)
    problems.push('FunctionFile must be the shared runtime page');
  const showTaskpane = JSON.stringify(desktop ?? {}).includes('ShowTaskpane');
  if (!showTaskpane) problems.push('missing a ShowTaskpane button');
  if (runtimeUrl !== sourceLocation) problems.push('the shared runtime page must be the task pane page (DefaultSettings/SourceLocation)');

  const iconUrls = [iconUrl, hiResIconUrl, ...imagesById.values()];
  const urls = [
    sourceLocation,
    iconUrl,
    hiResIconUrl,
    attr(child(app, 'SupportUrl'), 'DefaultValue') ?? '',
    ...urlsById.values(),
    ...imagesById.values(),
  ];
  const origins = new Set<string>();
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      problems.push(`"${url}" is not a URL`);
      continue;
    }
    if (parsed.protocol !== 'https:') problems.push(`${url} must be https`);
    origins.add(parsed.origin);
  }
  if (origins.size > 1) problems.push(`every add-in URL must share one origin; found ${[...origins].join(', ')}`);
  return {
    problems,
    facts: {
      id,
      version,
      displayName,
      namespace,
      sourceLocation,
      runtimeUrl,
      functionsMetadataUrl,
      functionsScriptUrl,
      iconUrls: [...new Set(iconUrls)],
      urls,
    },
  };
}
