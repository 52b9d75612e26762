/**
 * Writing an .xlsx workbook (SpreadsheetML) of plain tables: a bold, frozen, filterable header
 * row, column widths, numbers with an optional number format, and text as inline strings —
 * text is never a formula, whatever it starts with.
 */
import { zipSync } from 'fflate';
import { escapeXml } from './ooxml-text';

export type XlsxWriteCell = string | { number: number; format?: 'pounds' } | null | undefined;

export interface XlsxWriteSheet {
  name: string;
  columns: { header: string; width: number }[];
  rows: readonly (readonly XlsxWriteCell[])[];
}

/** Excel's currency look: £1,234.56, negatives red with a minus. */
export const POUNDS_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** 1980-01-01 00:00, ZIP's earliest time: a fixed stamp keeps an unchanged snapshot byte for byte the same. */
const ZIP_TIME = new Date(1980, 0, 1);

// Cell styles (cellXfs) of styles.xml below: 0 normal, 1 bold header, 2 pounds.
const HEADER_STYLE = 1;
const POUNDS_STYLE = 2;

/** 0 → "A", 27 → "AB". */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function cellXml(reference: string, cell: XlsxWriteCell, style?: number): string {
  if (cell === null || cell === undefined) return '';
  const s = style !== undefined ? ` s="${style}"` : '';
  if (typeof cell === 'string') return `<c r="${reference}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`;
  if (!Number.isFinite(cell.number)) throw new RangeError(`cell ${reference} must hold a finite number`);
  const format = cell.format === 'pounds' ? ` s="${POUNDS_STYLE}"` : s;
  return `<c r="${reference}"${format}><v>${String(cell.number)}</v></c>`;
}

function sheetXml(sheet: XlsxWriteSheet): string {
  const lastColumn = columnName(Math.max(sheet.columns.length - 1, 0));
  const header = sheet.columns.map((c, i) => cellXml(`${columnName(i)}1`, c.header, HEADER_STYLE)).join('');
  const rows = sheet.rows
    .map((row, r) => `<row r="${r + 2}">${row.map((cell, i) => cellXml(`${columnName(i)}${r + 2}`, cell)).join('')}</row>`)
    .join('');
  const cols = sheet.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  return (
    `${XML_HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}">` +
    `<dimension ref="A1:${lastColumn}${sheet.rows.length + 1}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols ? `<cols>${cols}</cols>` : '') +
    `<sheetData><row r="1">${header}</row>${rows}</sheetData>` +
    `<autoFilter ref="A1:${lastColumn}${sheet.rows.length + 1}"/>` +
    '</worksheet>'
  );
}

const STYLES =
  `${XML_HEAD}<styleSheet xmlns="${MAIN}">` +
  `<numFmts count="1"><numFmt numFmtId="164" formatCode="${escapeXml(POUNDS_FORMAT)}"/></numFmts>` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

export function writeXlsx(sheets: readonly XlsxWriteSheet[], properties: { creator: string; created: Date }): Uint8Array {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  const sheetNames = sheets.map((s) => s.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31));
  const filterNames = sheets
    .map((s, i) => {
      const range = `$A$1:$${columnName(Math.max(s.columns.length - 1, 0))}$${s.rows.length + 1}`;
      return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeXml(`'${(sheetNames[i] as string).replace(/'/g, "''")}'!${range}`)}</definedName>`;
    })
    .join('');
  const created = properties.created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const files = [
    {
      name: '[Content_Types].xml',
      data: utf8(
        `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
          '<Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          sheets
            .map(
              (_, i) =>
                `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
            )
            .join('') +
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
          '</Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: utf8(
        `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
          `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
          '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
          '</Relationships>',
      ),
    },
    {
      name: 'docProps/core.xml',
      data: utf8(
        `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
          `<dc:creator>${escapeXml(properties.creator)}</dc:creator>` +
          `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
          `<dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` +
          '</cp:coreProperties>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: utf8(
        `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews><sheets>` +
          sheetNames.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
          `</sheets><definedNames>${filterNames}</definedNames></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: utf8(
        `${XML_HEAD}<Relationships xmlns="${PKG_REL}">` +
          sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
          `<Relationship Id="rId${sheets.length + 1}" Type="${REL}/styles" Target="styles.xml"/>` +
          '</Relationships>',
      ),
    },
    { name: 'xl/styles.xml', data: utf8(STYLES) },
    ...sheets.map((sheet, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: utf8(sheetXml(sheet)) })),
  ];
  return zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])), { level: 6, mtime: ZIP_TIME });
}
