/** `npm run api:types`: (re)write the add-in's API types from the OpenAPI document. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { API_TYPES_FILE, generateApiTypes } from './api-types';

async function main(): Promise<void> {
  await writeFile(resolve(API_TYPES_FILE), await generateApiTypes());
  console.log(`wrote ${API_TYPES_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
