/**
 * The shared strings part: the text of each <si>, rich-text runs joined, phonetic hints left
 * out. Bounded in count and characters (a small part can declare a very large table).
 */
import { XlsxFormatError } from './limits';
import { decodeOoxmlText } from './ooxml-text';
import type { WorkbookPackage } from './workbook-package';

/** The text of a string item (<si> or an inline <is>) whose element is at `itemDepth` in path. */
export function isItemText(path: readonly string[], itemDepth: number): boolean {
  // <t> directly in the item, or in a rich-text run <r>; never in a phonetic run <rPh>.
  const inItem = path.length === itemDepth + 1 && path[itemDepth] === 't';
  const inRun = path.length === itemDepth + 2 && path[itemDepth] === 'r' && path[itemDepth + 1] === 't';
  return inItem || inRun;
}

export async function readSharedStrings(pkg: WorkbookPackage, part: string): Promise<string[]> {
  const strings: string[] = [];
  let current = '';
  const root = await pkg.readPart(part, {
    open: (name, _attrs, path) => {
      if (name === 'si' && path.length === 2) current = '';
    },
    text: (text, path) => {
      // path: sst, si, (r,) t
      if (path[1] !== 'si' || !isItemText(path, 2)) return;
      pkg.budget.spend('sharedStringChars', text.length);
      current += text;
    },
    close: (name, path) => {
      if (name !== 'si' || path.length !== 2) return;
      pkg.budget.spend('sharedStrings');
      strings.push(decodeOoxmlText(current));
    },
  });
  if (root !== undefined && root !== 'sst') throw new XlsxFormatError(`${part} is not a shared strings part`);
  return strings;
}
