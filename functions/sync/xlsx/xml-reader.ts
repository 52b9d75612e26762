/**
 * One part of a workbook streamed through saxes (linear in the input, a well-formedness checker,
 * no DTD processing: only XML's five predefined entities and character references are expanded).
 * A DOCTYPE is refused outright, nesting is bounded and the wall time is checked as it goes.
 * Namespace prefixes are dropped: SpreadsheetML's element and attribute names are unique
 * without them.
 */
import { SaxesParser } from 'saxes';
import { ReadBudget, XlsxFormatError, XlsxLimitError } from './limits';

export type XmlAttrs = Readonly<Record<string, string>>;

/** Handlers for one part; `path` is the local names from the root to the current element. */
export interface XmlVisitor {
  open?(name: string, attrs: XmlAttrs, path: readonly string[]): void;
  close?(name: string, path: readonly string[]): void;
  /** Text (and CDATA) directly inside the element `path` ends at. */
  text?(text: string, path: readonly string[]): void;
}

/** Characters handed to saxes per write, with the clock checked between writes. */
const WRITE_CHARS = 64 * 1024;
/** Events between clock checks inside one write. */
const EVENTS_PER_TICK = 4096;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Stream a part's bytes through the visitor; returns the root element's local name. */
export async function readXmlPart(part: string, bytes: Uint8Array, budget: ReadBudget, visitor: XmlVisitor): Promise<string> {
  const text = decodePart(part, bytes);
  const parser = new SaxesParser({ xmlns: false, position: false });
  const path: string[] = [];
  let root = '';
  let events = 0;
  const step = () => {
    if (++events % EVENTS_PER_TICK === 0) budget.tick();
  };
  parser.on('error', (error) => {
    throw new XlsxFormatError(`${part} is not well-formed XML: ${error.message}`);
  });
  parser.on('doctype', () => {
    throw new XlsxFormatError(`${part} has a DOCTYPE, which a workbook part never has`);
  });
  parser.on('opentag', (tag) => {
    step();
    const name = localName(tag.name);
    path.push(name);
    budget.within('depth', path.length);
    if (path.length === 1) root = name;
    const attrs: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attrs[localName(key)] = value;
    visitor.open?.(name, attrs, path);
  });
  parser.on('closetag', () => {
    step();
    visitor.close?.(path[path.length - 1] as string, path);
    path.pop();
  });
  const onText = (chunk: string) => {
    step();
    if (path.length > 0) visitor.text?.(chunk, path);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    for (let at = 0; at < text.length; at += WRITE_CHARS) {
      parser.write(text.slice(at, at + WRITE_CHARS));
      await budget.pause();
    }
    parser.close();
  } catch (error) {
    if (error instanceof XlsxLimitError || error instanceof XlsxFormatError) throw error;
    throw new XlsxFormatError(`${part} cannot be read: ${(error as Error).message}`);
  }
  return root;
}

/**
 * XML parts are UTF-8, or UTF-16 with a byte order mark; anything else (UTF-16 without one,
 * invalid UTF-8) is refused rather than read as mojibake.
 */
function decodePart(part: string, bytes: Uint8Array): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new XlsxFormatError(`${part} is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'UTF-16'} text`);
  }
}
