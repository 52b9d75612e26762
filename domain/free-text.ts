/**
 * The one rule for text people type (titles, descriptions, reasons, cost items, financial years):
 * how it is normalised before it is stored, what it may not contain, and how it is shown safely
 * in a report. Used by every free-text schema, so the API and the sync intake agree.
 */

/** Trimmed and in Unicode NFC, so "2026/27 " and "2026/27" are one value, and so are é and e + ◌́. */
export function normaliseText(text: string): string {
  const trimmed = text.trim();
  // NFC of a string with a lone surrogate is defined but meaningless; leave it for the rule to refuse.
  return LONE_SURROGATE.test(trimmed) ? trimmed : trimmed.normalize('NFC');
}

// C0 controls except tab, line feed and carriage return (which each schema decides on), DEL and C1.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LINE_BREAK = /[\r\n]/;
// Bidi embeddings, overrides and isolates reorder what a reader sees ("Trojan Source").
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Something a reader can see: not whitespace, not a format character (zero-width space, joiners,
// word joiner, BOM, soft hyphen), not a control.
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}]/u;

export interface FreeTextRule {
  /** Whether line breaks are allowed: descriptions and reasons, not titles. */
  multiline: boolean;
}

/** Why the text is refused, phrased to follow the field's name ("title must …"), or undefined when it is fine. */
export function freeTextProblem(text: string, rule: FreeTextRule): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it holds a lone surrogate)';
  if (BIDI_CONTROL.test(text)) return 'must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)';
  if (CONTROL.test(text))
    return rule.multiline ? 'must not contain control characters' : 'must be a single line without control characters';
  if (!rule.multiline && LINE_BREAK.test(text)) return 'must be a single line without control characters';
  if (text !== '' && !VISIBLE.test(text)) return 'must contain visible text, not only invisible or zero-width characters';
  return undefined;
}

// Everything a report should not copy raw: C0 controls but tab and line breaks, DEL, C1, bidi
// controls and lone surrogates.
const UNPRINTABLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for a report a person opens: each character above written as a visible escape, e.g. `\u001B`. */
export function printableText(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
