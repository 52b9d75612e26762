/**
 * The add-in dev server behind `npm start`: builds the dev add-in for the port it got, then serves
 * it, with the npm copy of Office.js under /office-js/ and the API's URL in fundshare-config.json.
 * HTTPS with office-addin-dev-certs' localhost certificate when it exists (Excel needs https);
 * otherwise HTTP, enough for a browser preview.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { buildAddin, type BuildResult } from '../addin/build/build';
import { devTarget } from '../addin/manifest/targets';
import { devAddinCsp } from './addin-csp';
import { listen } from './api-server';

export interface AddinServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** The API the pane should talk to. */
  apiUrl: string;
  /** 'auto': https when dev certificates exist; false: always http (tests, browser preview). */
  https?: 'auto' | false;
  /** Where the dev build goes (default dist/addin/dev). */
  outDir?: string;
  /** Folder of office-addin-dev-certs' files (default ~/.office-addin-dev-certs). */
  certificateDir?: string;
}

export interface AddinServer {
  url: string;
  port: number;
  protocol: 'http' | 'https';
  manifestPath: string;
  close: () => Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const OFFICE_JS_DIR = join(dirname(require.resolve('@microsoft/office-js/package.json')), 'dist');

/** The localhost certificate office-addin-dev-certs installs, when it is there. */
export function devCertificate(dir = join(homedir(), '.office-addin-dev-certs')): { cert: Buffer; key: Buffer } | null {
  const cert = join(dir, 'localhost.crt');
  const key = join(dir, 'localhost.key');
  if (!existsSync(cert) || !existsSync(key)) return null;
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

/** A path under root, or null when the request tries to leave it. */
function within(root: string, urlPath: string): string | null {
  const decoded = decodeURIComponent(urlPath);
  const full = normalize(join(root, decoded));
  return full === root || full.startsWith(root + sep) ? full : null;
}

async function sendFile(response: ServerResponse, file: string | null, csp: string): Promise<void> {
  if (file) {
    const info = await stat(file).catch(() => null);
    if (info?.isFile()) {
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': csp,
      });
      response.end(await readFile(file));
      return;
    }
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  response.end('Not found');
}

export async function startAddinServer(options: AddinServerOptions): Promise<AddinServer> {
  const outDir = resolve(options.outDir ?? 'dist/addin/dev');
  const certificate = options.https === false ? null : devCertificate(options.certificateDir);
  const protocol = certificate ? 'https' : 'http';
  let built: Promise<BuildResult> | null = null;
  let csp = devAddinCsp({ apiUrl: options.apiUrl });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' });
      response.end();
      return;
    }
    if (path === '/fundshare-config.json') {
      response.writeHead(200, { 'content-type': CONTENT_TYPES['.json'] as string, 'cache-control': 'no-store' });
      response.end(JSON.stringify({ apiUrl: options.apiUrl }));
      return;
    }
    if (path.startsWith('/office-js/')) return sendFile(response, within(OFFICE_JS_DIR, path.slice('/office-js/'.length)), csp);
    await built; // serve only a finished build
    return sendFile(response, within(outDir, path === '/' ? '/taskpane.html' : path), csp);
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`The add-in build failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  const server: Server = certificate ? createHttpsServer(certificate, listener) : createHttpServer(listener);
  const running = await listen(server, options.port, 'FUNDSHARE_ADDIN_PORT');
  // The manifest names the port, so build once it is known.
  const target = devTarget({ port: running.port, apiUrl: options.apiUrl });
  csp = devAddinCsp({ apiUrl: options.apiUrl, ...(target.sso ? { signInAuthority: target.sso.authority } : {}) });
  built = buildAddin({ target, outDir, officeJs: 'local', minify: true });
  try {
    const result = await built;
    return {
      url: `${protocol}://${protocol === 'https' ? 'localhost' : '127.0.0.1'}:${running.port}`,
      port: running.port,
      protocol,
      manifestPath: result.manifestPath,
      close: running.close,
    };
  } catch (error) {
    await running.close();
    throw error;
  }
}
