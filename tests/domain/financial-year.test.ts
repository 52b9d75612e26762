import { financialYearOf, financialYearToPath, formatFinancialYear, normaliseFinancialYear, parseFinancialYear } from '../../domain';

describe('financial years', () => {
  test('parses both written forms', () => {
    expect(parseFinancialYear('2025/26')).toEqual({ ok: true, value: 2025 });
    expect(parseFinancialYear('2025-26')).toEqual({ ok: true, value: 2025 });
    expect(parseFinancialYear('2099/00')).toMatchObject({ ok: false });
    expect(parseFinancialYear('2098/99')).toEqual({ ok: true, value: 2098 });
  });

  test.each(['2025/27', '25/26', '2025', '2025/2026', '', 'abcd/ef', '1999/00'])('rejects %s', (text) => {
    expect(parseFinancialYear(text).ok).toBe(false);
  });

  test('formats and converts to the path form', () => {
    expect(formatFinancialYear(2025)).toBe('2025/26');
    expect(formatFinancialYear(2099)).toBe('2099/00');
    expect(financialYearToPath('2025/26')).toBe('2025-26');
    expect(normaliseFinancialYear('2025-26')).toEqual({ ok: true, value: '2025/26' });
  });

  test('the FY of a date turns on 1 April in Europe/London', () => {
    expect(financialYearOf(new Date('2026-03-31T12:00:00Z'))).toBe('2025/26');
    expect(financialYearOf(new Date('2026-04-01T00:00:00+01:00'))).toBe('2026/27');
    // 23:30 UTC on 31 March is already 00:30 on 1 April in London (BST).
    expect(financialYearOf(new Date('2026-03-31T23:30:00Z'))).toBe('2026/27');
    expect(financialYearOf(new Date('2026-03-31T22:59:59Z'))).toBe('2025/26');
    expect(financialYearOf(new Date('2027-01-15T10:00:00Z'))).toBe('2026/27');
  });
});
