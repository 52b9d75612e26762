/**
 * `cdk synth` / `cdk deploy` entry (cdk.json). Reads the settings from context and builds the app;
 * a missing required setting stops here with a message saying which and how to pass it.
 */
import { App } from 'aws-cdk-lib';
import * as fs from 'node:fs';
import { ConfigError, readConfig } from './config';
import { buildFundshare } from './fundshare-app';
import { ADDIN_DIST_DIR } from './paths';

const app = new App();
try {
  const config = readConfig(app.node);
  buildFundshare(app, config, { ...(fs.existsSync(ADDIN_DIST_DIR) ? { addinContentDir: ADDIN_DIST_DIR } : {}) });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
app.synth();
