import fc from 'fast-check';
import {
  checkPence,
  exactPence,
  formatPounds,
  MAX_PENCE,
  parsePounds,
  penceToPoundsNumber,
  sumPence,
  type MoneyError,
  type ParsePoundsOptions,
  type Pence,
  type Result,
} from '../../domain';

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

/**
 * parsePounds before its number fast path, verbatim: every input through its text. The oracle for
 * the fast path (it must give the same answer wherever it answers) and for the text path (unchanged).
 */
function parsePoundsByText(input: string | number, options: ParsePoundsOptions = {}): Result<Pence, MoneyError> {
  const POUNDS_TEXT = /^(-)?£?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;
  const moneyError = (message: string): Result<Pence, MoneyError> => ({ ok: false, error: { kind: 'invalid-money', message } });
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return moneyError('amount must be a finite number');
    text = String(Number(input.toPrecision(15)));
    if (/e/i.test(text)) {
      return Math.abs(input) >= 1
        ? moneyError(`amount is above the limit of ${formatPounds(options.maxPence ?? MAX_PENCE)}`)
        : moneyError('amount has more than 2 decimal places');
    }
  } else if (typeof input === 'string') {
    text = input.replace(/\s+/g, '');
    if (text === '') return moneyError('amount is empty');
  } else {
    return moneyError('amount must be a number or text');
  }
  const match = POUNDS_TEXT.exec(text);
  if (!match) return moneyError(`"${String(input).slice(0, 40)}" is not an amount in pounds`);
  const [, minus, wholeText = '', fractionText = ''] = match;
  if (wholeText === '' && fractionText === '') return moneyError(`"${String(input).slice(0, 40)}" is not an amount in pounds`);
  if (fractionText.length > 2) return moneyError('amount has more than 2 decimal places');
  const max = options.maxPence ?? MAX_PENCE;
  const whole = wholeText.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  if (whole.length > String(Math.floor(max / 100)).length) return moneyError(`amount is above the limit of ${formatPounds(max)}`);
  const magnitude = Number(whole) * 100 + Number(fractionText.padEnd(2, '0'));
  const pence = minus && magnitude !== 0 ? -magnitude : magnitude;
  return checkPence(pence, options);
}

/** The double k steps (ulps) away from x, towards +∞ for k > 0. */
function ulpsAway(x: number, k: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  // Doubles order like sign-magnitude integers: step the magnitude away from or towards zero.
  view.setBigInt64(0, x > 0 || Object.is(x, 0) ? bits + BigInt(k) : bits - BigInt(k));
  return view.getFloat64(0);
}

describe('parsePounds: the number fast path gives the text path’s answer for every double', () => {
  const wholePence = (max: number) => fc.integer({ min: -max, max }).map((p) => p / 100);
  /** Every kind of double: arbitrary ones (NaN, ±∞, ±0, subnormals, huge), whole-pence amounts inside and far beyond the limits, and their near misses. */
  const doubles = fc.oneof(
    fc.double(),
    wholePence(2 * MAX_PENCE),
    wholePence(Number.MAX_SAFE_INTEGER),
    fc.tuple(wholePence(2 * MAX_PENCE), fc.integer({ min: -3, max: 3 })).map(([x, k]) => ulpsAway(x, k)),
    fc
      .tuple(fc.integer({ min: -(10 ** 15) - 1000, max: 10 ** 15 + 1000 }), fc.integer({ min: -2, max: 2 }))
      .map(([p, k]) => ulpsAway(p / 100, k)),
    fc.constantFrom(0.1 + 0.2, -0, 1e-7, 0.005, 1.005, 1e21, 9.999999999999999e14, 1e13, MAX_PENCE / 100, MAX_PENCE / 100 + 0.01, 2 ** 53),
  );
  const options: fc.Arbitrary<ParsePoundsOptions> = fc.record(
    {
      allowNegative: fc.boolean(),
      allowZero: fc.boolean(),
      maxPence: fc.oneof(
        fc.integer({ min: 0, max: 2 * MAX_PENCE }),
        fc.constantFrom(0, 99, 100, 10 ** 15, 10 ** 15 + 1, Number.MAX_SAFE_INTEGER),
      ),
    },
    { requiredKeys: [] },
  );

  test('property: wherever the fast path answers, it equals the text path; parsePounds equals the text path everywhere', () => {
    let fast = 0;
    fc.assert(
      fc.property(doubles, options, (x, o) => {
        const byText = parsePoundsByText(x, o);
        // toEqual compares numbers with Object.is: -0 and 0 differ.
        expect(parsePounds(x, o)).toEqual(byText);
        const p = exactPence(x, o.maxPence ?? MAX_PENCE);
        if (p !== null) {
          fast++;
          expect(checkPence(p, o)).toEqual(byText);
        }
      }),
      { numRuns: 30_000 },
    );
    // About a sixth of the runs are whole pence within the drawn limit; make sure they were there.
    expect(fast).toBeGreaterThan(2_000);
  });

  test('every whole-pence double up to the limit takes the fast path, and nothing with a fraction of a penny does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_PENCE, max: MAX_PENCE }), (p) => {
        expect(exactPence(p / 100)).toBe(p === 0 ? 0 : p);
      }),
      { numRuns: 20_000 },
    );
    expect(exactPence(-0)).toBe(0); // toBe is Object.is: not -0
    for (const x of [0.1 + 0.2, 1.001, 1e-7, 0.005, Number.NaN, Number.POSITIVE_INFINITY, 1e21, MAX_PENCE / 100 + 0.01]) {
      expect(exactPence(x)).toBeNull();
    }
  });

  test('property: text input is unchanged', () => {
    const moneyText = fc
      .tuple(
        fc.constantFrom('', '-', ' '),
        fc.constantFrom('', '£'),
        fc.stringMatching(/^[\d,]{0,16}$/),
        fc.constantFrom('', '.'),
        fc.stringMatching(/^\d{0,4}$/),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), moneyText), options, (text, o) => {
        expect(parsePounds(text, o)).toEqual(parsePoundsByText(text, o));
      }),
      { numRuns: 20_000 },
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
