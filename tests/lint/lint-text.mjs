// Lints code at chosen paths with ESLint's Node API (new ESLint({ cwd }) + lintText) and prints each
// case's rule ids as JSON. A child process: jest's CommonJS VM cannot load eslint.config.mjs.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const [cwd, casesJson] = process.argv.slice(2);
const eslint = new ESLint({ cwd });
const out = [];
for (const { code, filePath } of JSON.parse(casesJson)) {
  const [result] = await eslint.lintText(code, { filePath: resolve(cwd, filePath) });
  out.push(result.messages.map((message) => message.ruleId ?? `fatal: ${message.message}`));
}
process.stdout.write(JSON.stringify(out));
