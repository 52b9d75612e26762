/**
 * The global fast-check seed (tests/support/fast-check-seed.ts, a jest setupFiles module): every
 * property is replayable. This file does not import the setup module into its own module registry,
 * so what it sees is what jest's setupFiles gave every test file.
 */
import fc from 'fast-check';
import type * as SeedModule from './fast-check-seed';

/** The setup module's functions, loaded apart from this file's fast-check. */
function seedModule(): typeof SeedModule {
  let loaded: typeof SeedModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof SeedModule>('./fast-check-seed');
  });
  return loaded!;
}
const { DEFAULT_PROPERTY_SEED, propertySeed } = seedModule();

/** The values one run of a property generates, from the global configuration plus `params`. */
function generated(params: fc.Parameters<[number[], string]> = {}): string[] {
  const seen: string[] = [];
  fc.assert(
    fc.property(fc.array(fc.integer()), fc.string(), (numbers, text) => {
      seen.push(JSON.stringify([numbers, text]));
    }),
    { numRuns: 50, ...params },
  );
  return seen;
}

test('every fc.assert runs from the configured seed: FUNDSHARE_PROPERTY_SEED, else the default', () => {
  const expected = process.env.FUNDSHARE_PROPERTY_SEED ? Number(process.env.FUNDSHARE_PROPERTY_SEED) : DEFAULT_PROPERTY_SEED;
  expect(fc.readConfigureGlobal().seed).toBe(expected);
  expect(propertySeed()).toBe(expected);
});

test('two runs of the same property generate the same values', () => {
  const first = generated();
  expect(first).toHaveLength(50);
  expect(generated()).toEqual(first);
  // The seed is what fixes them: another seed generates others.
  expect(generated({ seed: propertySeed() + 1 })).not.toEqual(first);
});

test('a failure names the seed that replays it', () => {
  expect(() => fc.assert(fc.property(fc.nat(), (n) => n < 10))).toThrow(`seed: ${propertySeed()},`);
});

test('FUNDSHARE_PROPERTY_SEED overrides the default; anything but an integer is refused', () => {
  expect(propertySeed({})).toBe(DEFAULT_PROPERTY_SEED);
  expect(propertySeed({ FUNDSHARE_PROPERTY_SEED: '' })).toBe(DEFAULT_PROPERTY_SEED);
  expect(propertySeed({ FUNDSHARE_PROPERTY_SEED: ' 42 ' })).toBe(42);
  expect(propertySeed({ FUNDSHARE_PROPERTY_SEED: '-7' })).toBe(-7);
  expect(() => propertySeed({ FUNDSHARE_PROPERTY_SEED: 'abc' })).toThrow('FUNDSHARE_PROPERTY_SEED must be an integer');
  expect(() => propertySeed({ FUNDSHARE_PROPERTY_SEED: '1.5' })).toThrow('must be an integer');
});
