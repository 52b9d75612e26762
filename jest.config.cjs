// One jest run over tests/. ESM-only packages (jose, dinero.js, uuid/strip-bom deep inside
// office-addin-mock, and those openapi-typescript requires) are transformed to CommonJS here,
// since jest's module system cannot load ESM.
const esmPackages = [
  ...['uuid', 'strip-bom', 'jose', 'dinero.js'],
  // openapi-typescript's: their CommonJS namesakes elsewhere go through the transform unharmed.
  ...['parse-json', 'supports-color', 'index-to-position', 'change-case'],
];
const esmPattern = esmPackages.map((p) => p.replace('.', '\\.')).join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  // A fixed fast-check seed for every property, FUNDSHARE_PROPERTY_SEED to override (see the file).
  setupFiles: ['<rootDir>/tests/support/fast-check-seed.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' } }],
    [`^.+/node_modules/(${esmPattern})/.+\\.m?js$`]: [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' } },
    ],
  },
  // Any path that reaches one of those packages (even nested, e.g. @microsoft/app-manifest/node_modules/strip-bom) is transformed.
  transformIgnorePatterns: [`^(?!.*/node_modules/(${esmPattern})/).*/node_modules/`],
  testTimeout: 30000,
};
