/**
 * `npm run lint:api`'s first step: write the OpenAPI document the API serves to a file (default
 * cdk.out/openapi.json), for Redocly's lint (redocly.yaml) or any other tool.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { contractDocument } from '../functions/http/contract';

const file = resolve(process.argv[2] ?? 'cdk.out/openapi.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(contractDocument(), null, 2)}\n`);
console.log(`wrote ${file}`);
