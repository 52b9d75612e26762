/** The styles part, for one question: which cell styles show a number as a date. */
import { XlsxFormatError } from './limits';
import type { WorkbookPackage } from './workbook-package';

// Built-in number formats that show dates or times (ECMA-376 §18.8.30).
const BUILT_IN_DATES = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

function isDateFormatCode(code: string): boolean {
  // Date tokens outside quoted text, escapes and [colour]/[$-locale] brackets.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^[#0.,%\s]*$/.test(bare);
}

/** Indexes of cell styles (cellXfs) whose number format shows a date. */
export async function readDateStyles(pkg: WorkbookPackage, part: string): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  const root = await pkg.readPart(part, {
    open: (name, attrs, path) => {
      if (path.length !== 3) return;
      if (name === 'numFmt' && path[1] === 'numFmts') {
        pkg.budget.spend('styles');
        custom.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      } else if (name === 'xf' && path[1] === 'cellXfs') {
        pkg.budget.spend('styles');
        xfFormats.push(Number(attrs.numFmtId ?? 0));
      }
    },
  });
  if (root !== undefined && root !== 'styleSheet') throw new XlsxFormatError(`${part} is not a styles part`);
  const isDate = (id: number) => BUILT_IN_DATES.has(id) || isDateFormatCode(custom.get(id) ?? '');
  const indexes = new Set<number>();
  xfFormats.forEach((id, index) => {
    if (isDate(id)) indexes.add(index);
  });
  return indexes;
}
