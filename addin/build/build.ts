/**
 * Builds one add-in target into a folder: the pane + functions bundle (esbuild), functions.json
 * (custom-functions-metadata, from the functions' JSDoc), the pages, the icons and the manifest.
 */
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { renderManifest } from '../manifest/generate';
import { buildConfigFor, microsoftSignInFor, type ManifestTarget } from '../manifest/targets';
import { validateManifest } from '../manifest/validate';
import { fillFunctionDocs } from './function-docs';
import { ICON_SIZES, iconPng } from './icons';
import { OFFICE_JS_CDN, OFFICE_JS_LOCAL, helpHtml, taskpaneHtml } from './pages';

export const ADDIN_ROOT = resolve(__dirname, '..');
export const FUNCTIONS_SOURCE = join(ADDIN_ROOT, 'functions', 'functions.ts');
export const TASKPANE_ENTRY = join(ADDIN_ROOT, 'taskpane', 'index.tsx');

export interface BuildOptions {
  target: ManifestTarget;
  outDir: string;
  /** Office.js from Microsoft's CDN (production pages) or the local npm copy (dev and tests). */
  officeJs: 'cdn' | 'local';
  minify?: boolean;
}

export interface BuildResult {
  outDir: string;
  manifestPath: string;
  files: string[];
}

/**
 * functions.json from the JSDoc of addin/functions/functions.ts, its {{placeholders}} filled from
 * the alliance data; refuses to build on any metadata error.
 */
export async function functionsMetadata(): Promise<string> {
  const result = await generateCustomFunctionsMetadata(FUNCTIONS_SOURCE, false);
  if (result.errors.length > 0) throw new Error(`custom function metadata errors:\n${result.errors.join('\n')}`);
  return fillFunctionDocs(result.metadataJson);
}

export async function buildAddin(options: BuildOptions): Promise<BuildResult> {
  const { target, outDir } = options;
  await mkdir(join(outDir, 'assets'), { recursive: true });
  const manifest = renderManifest(target);
  const checked = validateManifest(manifest);
  if (checked.problems.length > 0) throw new Error(`the ${target.environment} manifest is invalid:\n${checked.problems.join('\n')}`);

  const config = buildConfigFor(target);
  const microsoft = microsoftSignInFor(target);
  const [, metadata] = await Promise.all([
    build({
      entryPoints: [TASKPANE_ENTRY],
      bundle: true,
      outfile: join(outDir, 'taskpane.js'),
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: options.minify ?? true,
      sourcemap: options.minify === false ? 'inline' : false,
      jsx: 'automatic',
      legalComments: 'none',
      logLevel: 'silent',
      define: {
        __FUNDSHARE_BUILD__: JSON.stringify(config),
        // A plain string esbuild folds where it is tested, so the dev bundle never contains MSAL.
        __FUNDSHARE_SIGN_IN__: JSON.stringify(config.signIn),
        'process.env.NODE_ENV': '"production"',
      },
    }),
    functionsMetadata(),
  ]);
  const officeJsUrl = options.officeJs === 'cdn' ? OFFICE_JS_CDN : OFFICE_JS_LOCAL;
  const files: [string, string | Buffer][] = [
    ['functions.json', metadata],
    ['taskpane.html', taskpaneHtml({ title: target.displayName, officeJsUrl })],
    ['help.html', helpHtml({ title: target.displayName, namespace: target.namespace })],
    ['manifest.xml', manifest],
    ['fundshare-config.json', JSON.stringify({ apiUrl: target.apiUrl, ...(microsoft ? { microsoft } : {}) }, null, 2)],
    ...ICON_SIZES.map((size): [string, Buffer] => [join('assets', `icon-${size}.png`), iconPng(size)]),
  ];
  await Promise.all(files.map(([name, content]) => writeFile(join(outDir, name), content)));
  return { outDir, manifestPath: join(outDir, 'manifest.xml'), files: ['taskpane.js', ...files.map(([name]) => name)] };
}
