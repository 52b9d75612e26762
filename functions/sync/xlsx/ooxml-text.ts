/**
 * SpreadsheetML's text conventions: its _xHHHH_ escapes for characters XML cannot hold, undone
 * when reading and applied (with XML's own escaping) when writing.
 */

/** SpreadsheetML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
export function decodeOoxmlText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

// Characters XML 1.0 cannot carry (C0 controls but tab and LF; U+FFFE/U+FFFF), and CR, which
// every XML parser turns into LF: Excel writes it as _x000D_ too.
const NOT_XML = /[\u0000-\u0008\u000b-\u001f\ufffe\uffff]/g;

/** Text for an element or attribute value, with what XML cannot hold escaped the OOXML way. */
export function escapeXml(text: string): string {
  return text
    .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
    .replace(NOT_XML, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
