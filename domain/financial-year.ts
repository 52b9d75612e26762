/**
 * UK public-sector financial years: 1 April to 31 March, written "2025/26" in bodies and
 * sheets and "2025-26" in URL paths (a slash is not path-safe).
 */
import { err, ok, type Result } from './result';

/** A financial year in its canonical written form, e.g. "2025/26". */
export type FinancialYear = string;

export interface FinancialYearError {
  kind: 'invalid-financial-year';
  message: string;
}

/** Years outside this window are typing mistakes, not plans. */
export const FIRST_FY_START = 2000;
export const LAST_FY_START = 2098;

const FY_PATTERN = /^(\d{4})[/-](\d{2})$/;

/** Parse "2025/26" or "2025-26" to the year the FY starts in. */
export function parseFinancialYear(text: string): Result<number, FinancialYearError> {
  const match = FY_PATTERN.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) {
    return err({ kind: 'invalid-financial-year', message: 'financial year must look like 2025/26' });
  }
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (end !== (start + 1) % 100) {
    return err({
      kind: 'invalid-financial-year',
      message: `financial year ${text} must span consecutive years, e.g. ${start}/${String((start + 1) % 100).padStart(2, '0')}`,
    });
  }
  if (start < FIRST_FY_START || start > LAST_FY_START) {
    return err({ kind: 'invalid-financial-year', message: `financial year must start between ${FIRST_FY_START} and ${LAST_FY_START}` });
  }
  return ok(start);
}

/** Canonical form "2025/26" from the starting year. */
export function formatFinancialYear(startYear: number): FinancialYear {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Path form "2025-26" from either written form. */
export function financialYearToPath(fy: FinancialYear): string {
  return fy.replace('/', '-');
}

/** Normalise either written form to the canonical "2025/26"; the error says what is wrong. */
export function normaliseFinancialYear(text: string): Result<FinancialYear, FinancialYearError> {
  const parsed = parseFinancialYear(text);
  return parsed.ok ? ok(formatFinancialYear(parsed.value)) : parsed;
}

// Built on first use: constructing a time-zoned Intl formatter loads ICU zone data (~20 ms),
// which every Lambda would otherwise pay at cold start whether or not it needs a date's FY.
let londonDate: Intl.DateTimeFormat | undefined;
const londonDateFormat = (): Intl.DateTimeFormat =>
  (londonDate ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }));

/** The financial year a moment falls in, by the calendar date in Europe/London. */
export function financialYearOf(moment: Date): FinancialYear {
  const parts = londonDateFormat().formatToParts(moment);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  return formatFinancialYear(month >= 4 ? year : year - 1);
}
