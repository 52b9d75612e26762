/**
 * Just enough XML for SpreadsheetML: a tolerant parser into a small element tree (namespace
 * prefixes dropped, entities and OOXML's _xHHHH_ escapes decoded) and escaping for writing.
 * Parts of an .xlsx are machine-written, so no DTDs and no external entities: a DOCTYPE is
 * refused outright (no entity-expansion tricks).
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element (CDATA included). */
  text: string;
}

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity] ?? '';
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

/** SpreadsheetML writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x). */
export function decodeOoxmlText(text: string): string {
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const TOKEN = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!([^>]*)>|<(\/?)([^\s/>]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let last = 0;
  for (const match of xml.matchAll(TOKEN)) {
    const top = stack[stack.length - 1] as XmlElement;
    if (match.index > last) top.text += decodeEntities(xml.slice(last, match.index));
    last = match.index + match[0].length;
    const [, cdata, declaration, closing, rawName, rawAttrs, selfClosing] = match;
    if (cdata !== undefined) {
      top.text += cdata;
      continue;
    }
    if (declaration !== undefined) {
      if (/^DOCTYPE/i.test(declaration)) throw new XmlError('a DOCTYPE is not allowed in a workbook part');
      continue;
    }
    if (rawName === undefined) continue; // comment or processing instruction
    const name = localName(rawName);
    if (closing) {
      if (stack.length > 1 && top.name === name) stack.pop();
      else throw new XmlError(`unexpected </${rawName}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const attr of (rawAttrs ?? '').matchAll(ATTR)) {
      attrs[localName(attr[1] as string)] = decodeEntities(attr[2] ?? attr[3] ?? '');
    }
    const element: XmlElement = { name, attrs, children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new XmlError(`unclosed <${(stack[stack.length - 1] as XmlElement).name}>`);
  return root;
}

export const child = (element: XmlElement | undefined, name: string): XmlElement | undefined =>
  element?.children.find((c) => c.name === name);
export const children = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element?.children.filter((c) => c.name === name) ?? [];

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
