/** Request sizes: counted exactly as JSON.stringify writes cells in UTF-8, and chunked under the budget. */
import fc from 'fast-check';
import {
  DEFAULT_CHUNK_BYTES,
  PAYLOAD_LIMIT_BYTES,
  chunkRows,
  estimateRowBytes,
  jsonCellBytes,
  jsonRowBytes,
} from '../../../addin/sheet/chunks';

const utf8 = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Text with everything JSON escapes or encodes long: quotes, backslashes, control characters, 2/3/4-byte characters, lone surrogates. */
const awkwardText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\t', '\u0001', '\u001f', '£', 'é', '—', '€', '🚓', '\ud800', '\udc00', 'a', ' ') }),
);
const cells = fc.oneof(awkwardText, fc.double(), fc.integer(), fc.boolean(), fc.constantFrom(-0, 1e21, 5e-7, 46144.47916666667, ''));

test('property: a cell and a row count exactly the UTF-8 bytes of their JSON', () => {
  fc.assert(
    fc.property(fc.array(cells, { maxLength: 20 }), (row) => {
      for (const cell of row) expect(jsonCellBytes(cell)).toBe(utf8(cell));
      expect(jsonRowBytes(row)).toBe(utf8(row));
    }),
    { numRuns: 5_000 },
  );
});

test('property: a row is estimated above the JSON it adds to each array it is written in', () => {
  fc.assert(
    fc.property(fc.array(fc.array(cells, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), (parts) => {
      const json = parts.reduce((sum, part) => sum + utf8(part) + 1, 0);
      expect(estimateRowBytes(parts)).toBeGreaterThanOrEqual(json);
    }),
  );
});

test('the chunk budget keeps a margin under 5 MB however a megabyte is counted', () => {
  expect(DEFAULT_CHUNK_BYTES).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  expect(DEFAULT_CHUNK_BYTES).toBeLessThan(5_000_000 - 256 * 1024);
});

test('property: chunks cover every row once, in order, each under the limit unless one row alone is over it', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 300 })), fc.integer({ min: 1, max: 1_000 }), (sizes, limit) => {
      const spans = chunkRows(sizes, limit);
      expect(spans.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i))).toEqual(sizes.map((_, i) => i));
      for (const span of spans) {
        const bytes = sizes.slice(span.start, span.end).reduce((a, b) => a + b, 0);
        expect(span.bytes).toBe(bytes);
        if (span.end - span.start > 1) expect(bytes).toBeLessThanOrEqual(limit);
      }
      // Greedy: a span and the next row would not have fitted together.
      spans.slice(0, -1).forEach((span) => expect(span.bytes + (sizes[span.end] as number)).toBeGreaterThan(limit));
    }),
  );
});
