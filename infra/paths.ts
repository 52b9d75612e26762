/**
 * Where the CDK app finds what it deploys. infra/ reaches into the rest of the repository only
 * through these paths (Lambda entry points, the built add-in), functions/store/table-schema.ts and
 * functions/store/ledger-capacity.ts (the alarm threshold), both plain data.
 */
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

export const LAMBDA_ENTRIES = {
  api: path.join(REPO_ROOT, 'functions', 'api-lambda.ts'),
  public: path.join(REPO_ROOT, 'functions', 'public-lambda.ts'),
  sync: path.join(REPO_ROOT, 'functions', 'sync-lambda.ts'),
} as const;

/**
 * What the Lambda bundles use in place of the SDK's default credential chain, as esbuild's alias
 * wants it: relative to the project root (esbuild's working directory), with a leading "./".
 */
export const LAMBDA_CREDENTIALS = './functions/lambda-credentials.ts';

/** The npm lock file: NodejsFunction takes the project root (and so the esbuild it runs) from it. */
export const LOCK_FILE = path.join(REPO_ROOT, 'package-lock.json');

/** The production add-in build (`npm run build`: task pane, custom functions, manifest), uploaded to the hosting bucket. */
export const ADDIN_PRODUCTION_DIR = path.join(REPO_ROOT, 'dist', 'addin', 'production');
