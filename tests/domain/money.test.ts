import fc from 'fast-check';
import { checkPence, formatPounds, MAX_PENCE, parsePounds, penceToPoundsNumber, sumPence } from '../../domain';

const pence = (input: string | number, options = {}) => {
  const result = parsePounds(input, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const failure = (input: string | number, options = {}) => {
  const result = parsePounds(input, options);
  if (result.ok) throw new Error(`expected ${String(input)} to be rejected, got ${result.value}`);
  return result.error.message;
};

describe('parsePounds', () => {
  test.each([
    ['1035000', 103_500_000],
    ['1,035,000.00', 103_500_000],
    ['£1,000.01', 100_001],
    [' £ 12.5 ', 1_250],
    ['0.01', 1],
    ['.5', 50],
    ['7.', 700],
    ['0', 0],
    ['000123.40', 12_340],
  ])('text %s → %i pence', (text, expected) => {
    expect(pence(text)).toBe(expected);
  });

  test.each([
    [1000.01, 100_001],
    [0.1 + 0.2, 30],
    [1035000, 103_500_000],
    [-0, 0],
    [0.07, 7],
    [1.15, 115],
    [4.35, 435],
  ])('number %d → %i pence exactly', (value, expected) => {
    expect(pence(value)).toBe(expected);
  });

  test('rejects more than two decimal places', () => {
    expect(failure('1.001')).toMatch(/2 decimal places/);
    expect(failure(1.001)).toMatch(/2 decimal places/);
    expect(failure(1e-7)).toMatch(/2 decimal places/);
  });

  test('rejects NaN, Infinity and non-numbers', () => {
    expect(failure(Number.NaN)).toMatch(/finite/);
    expect(failure(Number.POSITIVE_INFINITY)).toMatch(/finite/);
    expect(failure('abc')).toMatch(/not an amount/);
    expect(failure('')).toMatch(/empty/);
    expect(failure('1,00')).toMatch(/not an amount/);
    expect(failure('1.2.3')).toMatch(/not an amount/);
    expect(failure('£')).toMatch(/not an amount/);
    expect(failure(null as unknown as string)).toMatch(/number or text/);
  });

  test('rejects negatives unless allowed', () => {
    expect(failure('-5')).toMatch(/negative/);
    expect(failure(-5)).toMatch(/negative/);
    expect(pence('-£5.10', { allowNegative: true })).toBe(-510);
  });

  test('zero can be refused', () => {
    expect(failure('0', { allowZero: false })).toMatch(/more than zero/);
  });

  test('rejects amounts beyond the ceiling, however long the text', () => {
    expect(pence(MAX_PENCE / 100)).toBe(MAX_PENCE);
    expect(failure(MAX_PENCE / 100 + 0.01)).toMatch(/limit/);
    expect(failure('9'.repeat(400))).toMatch(/limit/);
    expect(failure(1e21)).toMatch(/limit/);
  });

  test('every pence amount survives a round trip through pounds text and through an Excel number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PENCE }), (p) => {
        expect(pence(formatPounds(p))).toBe(p);
        expect(pence(penceToPoundsNumber(p))).toBe(p);
      }),
    );
  });
});

describe('formatPounds', () => {
  test.each([
    [103_500_000, '£1,035,000.00'],
    [46_500_000, '£465,000.00'],
    [100_001, '£1,000.01'],
    [5, '£0.05'],
    [0, '£0.00'],
    [-1, '-£0.01'],
  ])('%i → %s', (p, text) => expect(formatPounds(p)).toBe(text));

  test('refuses fractions of a penny', () => {
    expect(() => formatPounds(1.5)).toThrow(RangeError);
  });
});

describe('checkPence and sumPence', () => {
  test('checkPence names what is wrong', () => {
    expect(checkPence(1.5)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/whole number/) } });
    expect(checkPence(-1)).toMatchObject({ ok: false });
    expect(checkPence(MAX_PENCE + 1)).toMatchObject({ ok: false });
    expect(checkPence(12)).toEqual({ ok: true, value: 12 });
  });
  test('sumPence adds exactly and refuses to leave the safe range', () => {
    expect(sumPence([1, 2, 3])).toBe(6);
    expect(() => sumPence([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
