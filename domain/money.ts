/**
 * Money is integer pence everywhere. Pounds appear only at the edges (sheet, CSV, messages),
 * so this module converts between the two exactly: no floating-point arithmetic on money.
 */
import { err, ok, type Result } from './result';

/** Integer pence. A plain number, but always a safe integer. */
export type Pence = number;

/**
 * The largest amount any single money field may hold: £100,000,000. Far above this fund
 * (£1.5M a year) yet far below 2^53, so sums of many amounts stay exact integers.
 */
export const MAX_PENCE: Pence = 10_000_000_000;

export interface MoneyError {
  kind: 'invalid-money';
  message: string;
}

export interface ParsePoundsOptions {
  /** Allow amounts below zero (off by default: bids, pots and shares are never negative). */
  allowNegative?: boolean;
  /** Allow exactly zero (on by default). */
  allowZero?: boolean;
  /** Upper bound in pence (default MAX_PENCE). */
  maxPence?: Pence;
}

const POUNDS_TEXT = /^(-)?£?(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?$/;

const moneyError = (message: string): Result<Pence, MoneyError> => err({ kind: 'invalid-money', message });

/**
 * Parse an amount in pounds, as typed in Excel or a CSV (`1035000`, `1,035,000.00`, `£1,000.01`)
 * or as an Excel number (`1000.01`), into exact integer pence.
 * Rejects more than two decimal places, NaN, Infinity, negatives (unless allowed) and amounts
 * beyond the ceiling.
 */
export function parsePounds(input: string | number, options: ParsePoundsOptions = {}): Result<Pence, MoneyError> {
  if (typeof input === 'number') {
    // Most numbers Excel hands us are whole pence already: skip the text (the same answer, proved
    // by tests/domain/money.test.ts against every double); anything else reads as text below.
    const pence = exactPence(input, options.maxPence ?? MAX_PENCE);
    if (pence !== null) return checkPence(pence, options);
  }
  return parsePoundsAsText(input, options);
}

/** 10^15: below it, pence have at most 15 significant digits, all a double keeps exactly in decimal. */
const EXACT_DIGITS_LIMIT = 1e15;

/**
 * The pence of a pounds double that is exactly a whole-pence amount within ±maxPence and below
 * 10^15 pence, else null. `p / 100` of an integer is correctly rounded, so `p / 100 === pounds`
 * holds just when `pounds` is the double nearest the decimal p/100, the one Excel holds for it;
 * and a decimal of at most 15 significant digits reads back from its double unchanged at 15
 * digits, so parsePounds's text path reads that same p. -0 gives 0, as the text path does.
 */
export function exactPence(pounds: number, maxPence: Pence = MAX_PENCE): Pence | null {
  const pence = Math.round(pounds * 100);
  if (!Number.isSafeInteger(pence) || pence / 100 !== pounds) return null;
  const magnitude = Math.abs(pence);
  if (!(magnitude <= maxPence) || magnitude >= EXACT_DIGITS_LIMIT) return null;
  return pence === 0 ? 0 : pence;
}

/** Every input through its text: a number as Excel shows it (15 significant digits), then the pattern. */
function parsePoundsAsText(input: string | number, options: ParsePoundsOptions): Result<Pence, MoneyError> {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return moneyError('amount must be a finite number');
    // Read the double as Excel shows it: at most 15 significant digits. So 1000.01 (stored as
    // the nearest double) reads "1000.01", and a formula's 0.1+0.2 reads "0.3", not 0.30000000000000004.
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
  // Compare digit counts before converting, so huge inputs never pass through a lossy number.
  if (whole.length > String(Math.floor(max / 100)).length) return moneyError(`amount is above the limit of ${formatPounds(max)}`);
  const magnitude = Number(whole) * 100 + Number(fractionText.padEnd(2, '0'));
  const pence = minus && magnitude !== 0 ? -magnitude : magnitude;
  return checkPence(pence, options);
}

/** Validate an amount already in pence against the same rules as parsePounds. */
export function checkPence(pence: number, options: ParsePoundsOptions = {}): Result<Pence, MoneyError> {
  const max = options.maxPence ?? MAX_PENCE;
  if (!Number.isSafeInteger(pence)) return moneyError('amount must be a whole number of pence');
  if (pence < 0 && !options.allowNegative) return moneyError('amount must not be negative');
  if (pence === 0 && options.allowZero === false) return moneyError('amount must be more than zero');
  if (Math.abs(pence) > max) return moneyError(`amount is above the limit of ${formatPounds(max)}`);
  return ok(pence);
}

const GROUPED = /\B(?=(\d{3})+(?!\d))/g;

/** Format pence as pounds: 103500000 → "£1,035,000.00", -1 → "-£0.01". */
export function formatPounds(pence: Pence): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`formatPounds needs integer pence, got ${pence}`);
  const magnitude = Math.abs(pence);
  const whole = Math.floor(magnitude / 100)
    .toString()
    .replace(GROUPED, ',');
  const fraction = (magnitude % 100).toString().padStart(2, '0');
  return `${pence < 0 ? '-' : ''}£${whole}.${fraction}`;
}

/**
 * Pence as a pounds number for an Excel cell (which formats it as currency).
 * 69001 → 690.01. Division by 100 of an integer yields the double nearest the exact decimal,
 * which is what Excel would hold had the user typed it.
 */
export function penceToPoundsNumber(pence: Pence): number {
  return pence / 100;
}

/** Sum pence, refusing to go past the safe-integer range. */
export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0;
  for (const value of values) total += value;
  if (!Number.isSafeInteger(total)) throw new RangeError('sum of pence is not a safe integer');
  return total;
}
