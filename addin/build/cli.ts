/**
 * `npm run build`: the dev add-in (https://localhost:$FUNDSHARE_ADDIN_PORT, Office.js served
 * locally) into dist/addin/dev and the production add-in (deployed URLs, Office.js from
 * Microsoft's CDN) into dist/addin/production.
 */
import { resolve } from 'node:path';
import { devTarget, productionTarget } from '../manifest/targets';
import { buildAddin } from './build';

async function main(): Promise<void> {
  const addinPort = Number(process.env.FUNDSHARE_ADDIN_PORT || 3000);
  const apiPort = Number(process.env.FUNDSHARE_API_PORT || 3001);
  const dist = resolve(process.env.FUNDSHARE_DIST_DIR ?? 'dist/addin');
  const started = Date.now();
  const dev = await buildAddin({
    target: devTarget({ port: addinPort, apiUrl: `http://127.0.0.1:${apiPort}` }),
    outDir: resolve(dist, 'dev'),
    officeJs: 'local',
  });
  const target = productionTarget();
  const production = await buildAddin({ target, outDir: resolve(dist, 'production'), officeJs: 'cdn' });
  console.log(`Built the add-in in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  console.log(`  dev         ${dev.outDir}   (manifest: ${dev.manifestPath})`);
  console.log(`  production  ${production.outDir}   (manifest: ${production.manifestPath})`);
  console.log(
    target.sso
      ? `  sign-in     Microsoft: client ${target.sso.clientId}, ${target.sso.authority}, scope ${target.sso.scope}`
      : '  sign-in     not configured: set FUNDSHARE_SSO_CLIENT_ID and FUNDSHARE_SSO_TENANT_ID (README, "How the pane connects")',
  );
}

main().catch((error: unknown) => {
  console.error('Build failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
