/**
 * Reading the cells of an .xlsx workbook (SpreadsheetML), sheet by sheet, as the values Excel
 * shows: shared and inline strings (rich text joined), numbers, booleans, the saved result of a
 * formula (never evaluated), errors, and numbers formatted as dates turned into ISO dates (so a
 * date is never mistaken for an amount). The whole read stays within XLSX_LIMITS (limits.ts):
 * past any of them it throws XlsxLimitError; a damaged or foreign file throws XlsxFormatError.
 */
import { readDateStyles } from './cell-styles';
import { ReadBudget, XLSX_LIMITS, XlsxFormatError, type XlsxLimits } from './limits';
import { readSharedStrings } from './shared-strings';
import { WorkbookPackage } from './workbook-package';
import { readWorksheetRows, type CellContext, type XlsxRow } from './worksheet-cells';

export type { XlsxCell, XlsxRow } from './worksheet-cells';

export interface XlsxSheet {
  name: string;
  /** Only the rows that hold cells, in row order: sparse, never a grid. */
  rows: XlsxRow[];
}

interface SheetEntry {
  name: string;
  relationshipId: string;
}

export async function readXlsxSheets(bytes: Uint8Array, limits: Readonly<XlsxLimits> = XLSX_LIMITS): Promise<XlsxSheet[]> {
  const pkg = await WorkbookPackage.open(bytes, new ReadBudget(limits));
  const workbookPart = (await pkg.relationshipsOf('')).find((r) => r.type === 'officeDocument')?.target ?? 'xl/workbook.xml';
  const workbook = await readWorkbook(pkg, workbookPart);
  const related = await pkg.relationshipsOf(workbookPart);
  const sharedStringsPart = related.find((r) => r.type === 'sharedStrings')?.target;
  const stylesPart = related.find((r) => r.type === 'styles')?.target;
  const context: CellContext = {
    shared: sharedStringsPart ? await readSharedStrings(pkg, sharedStringsPart) : [],
    dateStyles: stylesPart ? await readDateStyles(pkg, stylesPart) : new Set(),
    date1904: workbook.date1904,
  };
  const sheets: XlsxSheet[] = [];
  for (const sheet of workbook.sheets) {
    const target = related.find((r) => r.id === sheet.relationshipId && r.type === 'worksheet')?.target;
    if (!target) throw new XlsxFormatError(`the sheet ${JSON.stringify(sheet.name)} has no worksheet part`);
    // A second sheet naming the same part is refused by pkg.readPart: each part is read once.
    sheets.push({ name: sheet.name, rows: await readWorksheetRows(pkg, target, context) });
  }
  return sheets;
}

async function readWorkbook(pkg: WorkbookPackage, part: string): Promise<{ sheets: SheetEntry[]; date1904: boolean }> {
  const sheets: SheetEntry[] = [];
  let date1904 = false;
  const root = await pkg.readPart(part, {
    open: (name, attrs, path) => {
      if (path.length === 2 && name === 'workbookPr') date1904 = ['1', 'true'].includes(attrs.date1904 ?? '');
      if (path.length === 3 && name === 'sheet' && path[1] === 'sheets') {
        pkg.budget.spend('sheets');
        sheets.push({ name: attrs.name ?? '', relationshipId: attrs.id ?? '' });
      }
    },
  });
  if (root !== 'workbook') throw new XlsxFormatError('the file is a ZIP archive but not an Excel workbook');
  return { sheets, date1904 };
}
