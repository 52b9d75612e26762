/**
 * `cdk synth` / `cdk deploy` entry (cdk.json). Reads the settings from context and builds the app;
 * a missing required setting stops here with a message saying which and how to pass it.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, readConfig } from './config';
import { buildFundshare } from './fundshare-app';
import { checkAddinBuild } from './addin-build';
import { ADDIN_PRODUCTION_DIR } from './paths';

const app = new App();
try {
  const config = readConfig(app.node);
  const addinOrigin = config.addinDomain ? `https://${config.addinDomain.domainName}` : undefined;
  buildFundshare(app, config, { addinBuild: checkAddinBuild(ADDIN_PRODUCTION_DIR, addinOrigin) });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
