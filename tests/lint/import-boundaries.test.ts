/** The import boundaries in eslint.config.mjs, proved through ESLint's Node API on code at chosen paths. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const cwd = resolve(__dirname, '../..');

/** ESLint's rule ids for the code at that path (run in a child process: see lint-text.mjs). */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const stdout = execFileSync(process.execPath, [resolve(__dirname, 'lint-text.mjs'), cwd, JSON.stringify([{ code, filePath }])], {
    encoding: 'utf8',
  });
  return (JSON.parse(stdout) as string[][])[0]!;
}

jest.setTimeout(60_000);

test('domain/ importing from functions/ fails; importing within domain/ or zod passes', async () => {
  const outward = "import { x } from '../functions/use-cases/deps';\nexport const y = x;\n";
  expect(await ruleIds(outward, 'domain/probe.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(outward.replace('../', '../../'), 'domain/schemas/probe.ts')).toContain('no-restricted-imports');
  expect(await ruleIds("import { x } from '../money';\nexport const y = x;\n", 'domain/schemas/probe.ts')).toEqual([]);
  const inward = "import * as z from 'zod/mini';\nimport { x } from './money';\nexport const y = [x, z];\n";
  expect(await ruleIds(inward, 'domain/probe.ts')).toEqual([]);
  expect(await ruleIds(outward, 'functions/use-cases/probe.ts')).toEqual([]);
});

test('@aws-sdk/lib-dynamodb outside functions/store/ fails; inside it passes', async () => {
  const code = "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nexport const c = DynamoDBDocumentClient;\n";
  expect(await ruleIds(code, 'functions/use-cases/probe.ts')).toContain('no-restricted-imports');
  const raw = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const c = DynamoDBClient;\n";
  expect(await ruleIds(raw, 'local/probe.ts')).toContain('no-restricted-imports');
  expect(await ruleIds(code, 'functions/store/probe.ts')).toEqual([]);
});

test('Excel.run outside addin/excel/ fails; inside it passes; type positions pass anywhere', async () => {
  const code = 'export const read = (): Promise<void> => Excel.run(async () => {});\n';
  expect(await ruleIds(code, 'addin/taskpane/probe.ts')).toContain('no-restricted-syntax');
  expect(await ruleIds(code, 'addin/excel/probe.ts')).toEqual([]);
  const typeOnly = 'export type Work = (context: Excel.RequestContext) => Promise<void>;\n';
  expect(await ruleIds(typeOnly, 'addin/workflows/probe.ts')).toEqual([]);
  const officeImport = "import '@microsoft/office-js';\n";
  expect(await ruleIds(officeImport, 'addin/taskpane/probe.ts')).toContain('no-restricted-imports');
});
