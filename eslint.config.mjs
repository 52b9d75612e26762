// Lint config: typescript-eslint's recommended rules over our TypeScript, no `any` at boundaries,
// React's hooks rules over the add-in, and the import boundaries between the layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Office.js globals: only addin/excel/ touches them (type positions, e.g. `Excel.RequestContext`, stay allowed). */
const OFFICE_GLOBALS = '^(Office|Excel|CustomFunctions|OfficeRuntime)$';
const officeValueUse = {
  selector: `:not(TSQualifiedName, TSTypeReference, TSTypeQuery) > Identifier[name=/${OFFICE_GLOBALS}/]`,
  message: 'Office.js is used only in addin/excel/: call an adapter there.',
};
const officePackage = {
  name: '@microsoft/office-js',
  message: 'Office.js is used only in addin/excel/: call an adapter there.',
};
const dynamoPackages = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'].map((name) => ({
  name,
  message: 'DynamoDB is reached only through functions/store/.',
}));

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'cdk.out/', 'dist/', 'coverage/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['addin/**/*.ts', 'addin/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  // (b) DynamoDB's SDK only in functions/store/; (c) Office.js only in addin/excel/.
  // tests/ is exempt from both: the store's own tests and the bench's raw-DynamoDB baselines use the
  // SDK on purpose, and the add-in tests drive office-addin-mock and the Office.js globals directly.
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['functions/store/**', 'tests/**', 'addin/excel/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...dynamoPackages, officePackage] }],
    },
  },
  // (a) domain/ is pure: no relative import leaves it (npm packages it uses, like zod, stay allowed).
  // A file directly in domain/ leaves it with '../'; one in domain/schemas/ with '../../'.
  ...[
    ['domain/*.ts', '^\\.\\./'],
    ['domain/*/*.ts', '^\\.\\./\\.\\./'],
  ].map(([files, regex]) => ({
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...dynamoPackages, officePackage], patterns: [{ regex, message: 'domain/ imports nothing outside domain/.' }] },
      ],
    },
  })),
  {
    files: ['addin/excel/**/*.ts', 'addin/excel/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: dynamoPackages }] },
  },
  {
    files: ['addin/**/*.ts', 'addin/**/*.tsx', 'domain/**/*.ts', 'functions/**/*.ts'],
    ignores: ['addin/excel/**'],
    rules: { 'no-restricted-syntax': ['error', officeValueUse] },
  },
  {
    files: ['**/*.cjs', '**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
