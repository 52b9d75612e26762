/** CSV output against formula injection (OWASP), read back with a real CSV parser. */
import { parse } from 'csv-parse/sync';
import { neutraliseText, poundsText, toCsv } from '../../functions/sync/csv-writer';

const INJECTIONS = [
  '=HYPERLINK("http://evil.example","click")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1+1',
  '\r=1+1',
  '＝1+1',
  "=cmd|' /C calc'!A0",
];

test.each(INJECTIONS)('text starting like a formula is prefixed with a quote: %j', (text) => {
  expect(neutraliseText(text)).toBe(`'${text}`);
  const [, row] = parse(toCsv(['Title'], [[text]]), { bom: true }) as string[][];
  expect(row).toEqual([`'${text}`]);
});

test('ordinary text is untouched; quotes, commas and line breaks survive a round trip', () => {
  const texts = ['Farm watch', 'Say "hello", then leave', 'two\nlines', 'a = b', '£5 + VAT', ''];
  const [, ...rows] = parse(
    toCsv(
      ['Text'],
      texts.map((t) => [t]),
    ),
    { bom: true, relax_column_count: true },
  ) as string[][];
  expect(rows.map((r) => r[0])).toEqual(texts);
});

test('amounts are plain numbers in pounds with two decimals, negative ones included, never neutralised', () => {
  expect(poundsText(100_001)).toBe('1000.01');
  expect(poundsText(103_500_000)).toBe('1035000.00');
  expect(poundsText(-1)).toBe('-0.01');
  expect(poundsText(0)).toBe('0.00');
  const text = toCsv(['Amount', 'Count', 'Empty'], [[{ pence: -12_345 }, { count: 3 }, null]]);
  expect(text).toBe('\uFEFF"Amount","Count","Empty"\r\n-123.45,3,\r\n');
  expect(parse(text, { bom: true, cast: true })).toEqual([
    ['Amount', 'Count', 'Empty'],
    [-123.45, 3, ''],
  ]);
});
