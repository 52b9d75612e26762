/** The FUND.* descriptions in functions.json list the alliance from domain/alliance.ts, not from the JSDoc. */
import { FUNDERS, FUNDER_IDS, funderName, LEAD_ORGANISATION_IDS, SCOPES } from '../../../domain';
import { functionsMetadata } from '../../../addin/build/build';
import { fillFunctionDocs, functionDocTexts } from '../../../addin/build/function-docs';

interface Metadata {
  functions: { id: string; description: string; parameters: { name: string; description: string }[] }[];
}

let metadata: Metadata;
beforeAll(async () => {
  metadata = JSON.parse(await functionsMetadata()) as Metadata;
});

const parameters = (name: string) => metadata.functions.flatMap((f) => f.parameters.filter((p) => p.name === name));

test('every placeholder is filled: no {{…}} reaches Excel', () => {
  const descriptions = metadata.functions.flatMap((f) => [f.description, ...f.parameters.map((p) => p.description)]);
  expect(descriptions.length).toBeGreaterThan(20);
  expect(descriptions.filter((d) => /\{\{|\}\}/.test(d))).toEqual([]);
});

test('every scope parameter lists every scope from the data', () => {
  const scopes = parameters('scope');
  expect(scopes.length).toBeGreaterThanOrEqual(3);
  for (const parameter of scopes) for (const scope of SCOPES) expect(parameter.description).toContain(scope);
});

test('every funder parameter lists every funder id from the data', () => {
  const funders = parameters('funder');
  expect(funders.length).toBeGreaterThanOrEqual(4);
  for (const parameter of funders) for (const funder of FUNDER_IDS) expect(parameter.description).toContain(funder);
});

test("CHECK's lead organisation lists every organisation; SPLIT names its columns in funder order", () => {
  const [lead] = parameters('leadOrganisation');
  for (const organisation of LEAD_ORGANISATION_IDS) expect(lead!.description).toContain(organisation);
  const splitFn = metadata.functions.find((f) => f.id === 'SPLIT')!;
  expect(splitFn.description).toContain(`(${FUNDER_IDS.map(funderName).join(', ')})`);
});

test("the default model's weights come from the data", () => {
  const weights = FUNDERS.map((f) => f.defaultWeightBp / 100).join('/');
  expect(functionDocTexts().defaultCostShare).toBe(weights);
  expect(parameters('fy').filter((p) => p.description.includes(`the default ${weights} model`))).toHaveLength(4);
});

test('INSTALMENTS and CLAWBACK are documented: columns in funder order, every scope and funder listed', () => {
  const instalmentsFn = metadata.functions.find((f) => f.id === 'INSTALMENTS')!;
  expect(instalmentsFn.description).toContain(`(${FUNDER_IDS.map(funderName).join(', ')})`);
  expect(instalmentsFn.parameters.map((p) => p.name)).toEqual(['amount', 'scope', 'n', 'fy']);
  const clawbackFn = metadata.functions.find((f) => f.id === 'CLAWBACK')!;
  expect(clawbackFn.parameters.map((p) => p.name)).toEqual(['paid', 'final', 'scope', 'funder', 'fy']);
  for (const funder of FUNDER_IDS) expect(clawbackFn.parameters[3]!.description).toContain(funder);
});

test('an alliance of three funders changes only the texts, not the JSDoc', () => {
  const json = JSON.stringify({
    functions: [
      { id: 'X', description: 'columns ({{funderNames}})', parameters: [{ name: 'scope', description: 'The scope: {{scopes}}.' }] },
    ],
  });
  const filled = JSON.parse(fillFunctionDocs(json, { funderNames: 'A, B, C', scopes: 'alliance, a, b or c' })) as Metadata;
  expect(filled.functions[0]!.description).toBe('columns (A, B, C)');
  expect(filled.functions[0]!.parameters[0]!.description).toBe('The scope: alliance, a, b or c.');
});

test('a placeholder with no text is a build error', () => {
  const json = JSON.stringify({ functions: [{ id: 'X', description: 'see {{nope}}', parameters: [] }] });
  expect(() => fillFunctionDocs(json)).toThrow('{{nope}}');
});
