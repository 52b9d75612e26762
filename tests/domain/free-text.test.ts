/**
 * The one free-text rule (issue 16 A and B): every text field and the financial year are stored
 * normalised, and text a reader cannot see or that reorders what they see is refused, naming the field.
 */
import { actionBodySchema, bidCreateSchema, bidPatchSchema, fieldIssuesFromZod, printableText } from '../../domain';

const validBid = {
  fy: '2025/26',
  title: 'Farm watch cameras',
  leadOrganisation: 'shropshire',
  scope: 'alliance',
  crimeTypes: ['rural'],
  requestedPence: 1_250_000,
};

describe('normalised on parse', () => {
  test.each(['2026/27 ', '\t2026/27', '2026/27\n', `2026/27${' '.repeat(300)}`])('fy %j is stored as 2026/27', (fy) => {
    const parsed = bidCreateSchema.safeParse({ ...validBid, fy });
    expect(parsed.success && parsed.data.fy).toBe('2026/27');
  });

  test('titles, descriptions, cost items and reasons are trimmed and NFC', () => {
    const parsed = bidCreateSchema.safeParse({
      ...validBid,
      title: '  Cafe\u0301 watch ',
      description: '\n Line one\nline two \n',
      costLines: [{ item: ' Cameras ', pence: 1_250_000 }],
    });
    expect(parsed.success && [parsed.data.title, parsed.data.description, parsed.data.costLines?.[0]?.item]).toEqual([
      'Café watch',
      'Line one\nline two',
      'Cameras',
    ]);
    const reason = actionBodySchema.safeParse({ reason: ' because \u0301' });
    expect(reason.success && reason.data.reason).toBe('because \u0301'.normalize('NFC'));
  });
});

describe('refused, naming the field', () => {
  const issuesOf = (body: Record<string, unknown>) => {
    const parsed = bidCreateSchema.safeParse(body);
    return parsed.success ? [] : fieldIssuesFromZod(parsed.error);
  };

  test.each([
    ['only zero-width characters', '\u200b\u200c\u200d\u2060\ufeff', /visible text/],
    ['C1 controls', 'Farm\u0085watch', /control characters/],
    ['a bidi override', 'Farm \u202ewatch', /bidirectional/],
    ['a bidi isolate', '\u2066Farm watch\u2069', /bidirectional/],
    ['a lone high surrogate', 'Farm \ud800 watch', /lone surrogate/],
    ['a lone low surrogate', 'Farm \udc00', /lone surrogate/],
  ])('a title of %s', (_what, title, message) => {
    const issues = issuesOf({ ...validBid, title });
    expect(issues).toEqual([{ path: 'title', message: expect.stringMatching(message) as string }]);
  });

  test('the same rule guards descriptions, cost items, patches and reasons', () => {
    expect(issuesOf({ ...validBid, description: '\u200b\u200b' }).map((i) => i.path)).toEqual(['description']);
    expect(issuesOf({ ...validBid, costLines: [{ item: 'a\u202eb', pence: 1_250_000 }] }).map((i) => i.path)).toEqual(['costLines.0.item']);
    const patch = bidPatchSchema.safeParse({ title: '\u0090' });
    expect(patch.success ? [] : fieldIssuesFromZod(patch.error).map((i) => i.path)).toEqual(['title']);
    const reason = actionBodySchema.safeParse({ reason: 'ok \u2067' });
    expect(reason.success ? [] : fieldIssuesFromZod(reason.error).map((i) => i.path)).toEqual(['reason']);
  });

  test('emoji, joined emoji and other scripts are fine', () => {
    expect(issuesOf({ ...validBid, title: 'Farm 👨‍👩‍👧 watch — Ysgol Gymraeg, ضد الجريمة' })).toEqual([]);
    expect(issuesOf({ ...validBid, description: 'Tabs\tand\r\nlines are fine' })).toEqual([]);
  });
});

test('printableText escapes what a report must not copy raw', () => {
  expect(printableText('a\u0000b\u001bc\u0085d\u202ee\ud800f\ttab\nline')).toBe('a\\u0000b\\u001Bc\\u0085d\\u202Ee\\uD800f\ttab\nline');
});
