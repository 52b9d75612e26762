/** The add-in's generated API types match the contract: a route or schema change without `npm run api:types` fails here. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { API_TYPES_FILE, generateApiTypes } from '../../addin/build/api-types';

test(`${API_TYPES_FILE} is what npm run api:types writes from the current document`, async () => {
  const committed = (await readFile(resolve(__dirname, '../..', API_TYPES_FILE), 'utf8')).split('\n');
  const fresh = (await generateApiTypes()).split('\n');
  const line = fresh.findIndex((text, i) => text !== committed[i]);
  const stale =
    line === -1 && fresh.length === committed.length
      ? undefined
      : `${API_TYPES_FILE} is stale (run npm run api:types and commit it); first difference at line ${line + 1}:\n` +
        `  committed: ${committed[line] ?? '(end of file)'}\n  generated: ${fresh[line] ?? '(end of file)'}`;
  expect(stale).toBeUndefined();
});
