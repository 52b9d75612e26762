/**
 * Decides whether the production add-in build can be uploaded to the hosting bucket. `npm run build`
 * writes it to dist/addin/production with the manifest's URLs taken from FUNDSHARE_ADDIN_BASE_URL;
 * built without that (the placeholder https://addin.fundshare.example) or for localhost, its
 * manifest would send Excel somewhere else, so such a build is never uploaded. Reads files only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type AddinBuild = { kind: 'ready'; dir: string; baseUrl: string } | { kind: 'absent' | 'unusable'; reason: string };

/** Hosts a production manifest must never name: local development and RFC 2606 placeholders. */
function isPlaceholderHost(host: string): boolean {
  return (
    host === 'localhost' ||
    /^127\./.test(host) ||
    host === '[::1]' ||
    /\.(example|test|invalid|localhost)$/.test(host) ||
    /(^|\.)example\.(com|org|net)$/.test(host)
  );
}

/**
 * @param dir the production build folder (dist/addin/production)
 * @param expectedOrigin the add-in origin when it is known at synth time (a custom domain)
 */
export function checkAddinBuild(dir: string, expectedOrigin?: string): AddinBuild {
  const manifestPath = path.join(dir, 'manifest.xml');
  if (!fs.existsSync(manifestPath)) {
    return {
      kind: 'absent',
      reason: `no production add-in build (${path.relative(process.cwd(), manifestPath) || manifestPath} is missing)`,
    };
  }
  const manifest = fs.readFileSync(manifestPath, 'utf8');
  const source = /<SourceLocation\s+DefaultValue="([^"]+)"/.exec(manifest)?.[1];
  if (!source) return { kind: 'unusable', reason: 'the production manifest has no <SourceLocation>' };
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return { kind: 'unusable', reason: `the manifest's SourceLocation "${source}" is not a URL` };
  }
  const baseUrl = source.replace(/\/[^/]*$/, '');
  if (url.protocol !== 'https:') return { kind: 'unusable', reason: `the manifest points at ${baseUrl}, not https` };
  if (isPlaceholderHost(url.hostname)) {
    return {
      kind: 'unusable',
      reason: `the manifest points at ${baseUrl}: rebuild with FUNDSHARE_ADDIN_BASE_URL set to the AddinBaseUrl output (npm run build)`,
    };
  }
  if (expectedOrigin && url.origin !== expectedOrigin) {
    return { kind: 'unusable', reason: `the manifest points at ${url.origin}, but the add-in is hosted at ${expectedOrigin}` };
  }
  for (const file of ['taskpane.html', 'taskpane.js', 'functions.json']) {
    if (!fs.existsSync(path.join(dir, file))) return { kind: 'unusable', reason: `the build has no ${file}` };
  }
  return { kind: 'ready', dir, baseUrl };
}
