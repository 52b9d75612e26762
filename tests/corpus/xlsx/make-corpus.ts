/**
 * Writes the hostile-xlsx corpus beside this script: each file tries one way of making the
 * sync's xlsx reader hang, blow up or guess, and manifest.json says what it tries and the reason
 * its rejection report must give (tests/sync/hostile-corpus.test.ts drops them all in the intake).
 * Deterministic: running it again rewrites the same bytes.
 *
 *   npx tsx tests/corpus/xlsx/make-corpus.ts
 */
import { zipSync, type Zippable } from 'fflate';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = __dirname;
const utf8 = (text: string) => new TextEncoder().encode(text);
/** 1980-01-01, ZIP's earliest time: the same bytes on every run. */
const ZIP_TIME = new Date(1980, 0, 1);

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEADER = ['Title', 'Lead organisation', 'Scope', 'Crime types', 'Cyber strands', 'Financial year', 'Requested (£)', 'Description'];
const GOOD_ROW = ['Corpus row', 'shropshire', 'alliance', 'rural', '', '2025/26', '100', ''];

const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const rowXml = (r: number, cells: readonly string[]) =>
  `<row r="${r}">${cells.map((text, i) => (text ? inlineCell(`${String.fromCharCode(65 + i)}${r}`, text) : '')).join('')}</row>`;
/** A plan's rows: the header and one good row, so a file that got through would create a bid. */
const PLAN_ROWS = rowXml(1, HEADER) + rowXml(2, GOOD_ROW);
const worksheet = (sheetData: string, before = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}">${before}<sheetData>${sheetData}</sheetData></worksheet>`;

type Parts = Record<string, string | Uint8Array | null>;

/** A valid one-sheet plan workbook; `parts` replaces (or, with null, removes) any of its parts. */
function workbookParts(parts: Parts = {}, sheets = 1): Record<string, Uint8Array> {
  const base: Parts = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml':
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>` +
      Array.from({ length: sheets }, (_, i) => `<sheet name="Plan ${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
      '</sheets></workbook>',
    'xl/_rels/workbook.xml.rels': workbookRels(Array.from({ length: sheets }, () => 'worksheets/sheet1.xml')),
    'xl/worksheets/sheet1.xml': worksheet(PLAN_ROWS),
    ...parts,
  };
  return Object.fromEntries(
    Object.entries(base).flatMap(([name, data]) => (data === null ? [] : [[name, typeof data === 'string' ? utf8(data) : data]])),
  );
}

function workbookRels(sheetTargets: readonly string[], extra = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG_REL}">` +
    sheetTargets.map((target, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${target}"/>`).join('') +
    extra +
    '</Relationships>'
  );
}

const zip = (files: Record<string, Uint8Array>, level: 0 | 6 | 9 = 9): Uint8Array => {
  const zippable: Zippable = {};
  for (const [name, data] of Object.entries(files)) zippable[name] = data;
  return zipSync(zippable, { level, mtime: ZIP_TIME });
};
const workbook = (parts: Parts = {}, sheets = 1) => zip(workbookParts(parts, sheets));

// ZIP header surgery, for the files whose headers lie. Offsets per APPNOTE 4.3.7 (local) and 4.3.12 (central).
const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;

/** Offsets of the local and central headers of the entry called `name`. */
function headersOf(bytes: Uint8Array, name: string): { local: number; central: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoded = utf8(name);
  const named = (at: number, nameAt: number, lengthAt: number) =>
    view.getUint16(at + lengthAt, true) === encoded.length && encoded.every((byte, i) => bytes[at + nameAt + i] === byte);
  let local = -1;
  let central = -1;
  for (let at = 0; at + 4 <= bytes.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === LOCAL && local < 0 && named(at, 30, 26)) local = at;
    if (signature === CENTRAL && central < 0 && named(at, 46, 28)) central = at;
  }
  if (local < 0 || central < 0) throw new Error(`no entry ${name}`);
  return { local, central };
}

type Field = 'crc' | 'compressedSize' | 'size' | 'method';
const LOCAL_FIELD: Record<Field, number> = { method: 8, crc: 14, compressedSize: 18, size: 22 };
const CENTRAL_FIELD: Record<Field, number> = { method: 10, crc: 16, compressedSize: 20, size: 24 };

/** A copy of the archive with one field of one entry rewritten in its local header, its central header, or both. */
function patch(bytes: Uint8Array, name: string, field: Field, value: number, where: 'local' | 'central' | 'both' = 'both'): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const { local, central } = headersOf(out, name);
  const write = (at: number) => (field === 'method' ? view.setUint16(at, value, true) : view.setUint32(at, value >>> 0, true));
  if (where !== 'central') write(local + LOCAL_FIELD[field]);
  if (where !== 'local') write(central + CENTRAL_FIELD[field]);
  return out;
}

/** Rename an entry in place (same length), in both headers. */
function rename(bytes: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length) throw new Error('same length only');
  const out = bytes.slice();
  const { local, central } = headersOf(out, from);
  out.set(utf8(to), local + 30);
  out.set(utf8(to), central + 46);
  return out;
}

/** A small deterministic generator (mulberry32), for "random" bytes that are the same on every run. */
function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    out[i * 2] = text.charCodeAt(i) & 0xff;
    out[i * 2 + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}

const SHEET = 'xl/worksheets/sheet1.xml';
const MB = 1024 * 1024;

const billionLaughs =
  '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
  `]><worksheet xmlns="${MAIN}"><sheetData>${rowXml(1, HEADER)}<row r="2">${inlineCell('A2', '&lol9;')}</row></sheetData></worksheet>`;

/** n empty cells, a thousand a row from row 3 on. */
const manyCells = (n: number) =>
  Array.from({ length: Math.ceil(n / 1000) }, (_, i) => `<row r="${i + 3}">${'<c/>'.repeat(Math.min(1000, n - i * 1000))}</row>`).join('');

export interface CorpusEntry {
  file: string;
  tries: string;
  /** Text the file's rejection report must contain. */
  expected: string;
}

interface Made extends CorpusEntry {
  bytes: Uint8Array;
}

function corpus(): Made[] {
  const good = workbook();
  const bombSheet = worksheet(PLAN_ROWS + `<row r="3">${inlineCell('A3', ' '.repeat(9 * MB))}</row>`);
  return [
    // Markup the old regex tokenizer went cubic on, and other malformed XML.
    {
      file: 'unclosed-tags.xlsx',
      tries: '4 KB of "<a" with no ">" in the sheet part (the old token regex took 12 s on this)',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: `<worksheet xmlns="${MAIN}"><sheetData><row r="1">${'<a'.repeat(2048)}` }),
    },
    {
      file: 'unclosed-attribute.xlsx',
      tries: 'an attribute value whose quote never closes, over 8 KB',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: `<worksheet xmlns="${MAIN}"><sheetData><row r="1" spans="${'1:2 '.repeat(2048)}` }),
    },
    {
      file: 'unclosed-root.xlsx',
      tries: 'a sheet part whose elements are never closed',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: `<worksheet xmlns="${MAIN}"><sheetData>${PLAN_ROWS}` }),
    },
    {
      file: 'mismatched-tags.xlsx',
      tries: 'a closing tag that does not match the open one',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS.replace('</row>', '</rows>')) }),
    },
    {
      file: 'unterminated-comment.xlsx',
      tries: 'a comment that never ends, 4 KB long',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS).replace('<sheetData>', `<sheetData><!-- ${'-x'.repeat(2048)}`) }),
    },
    {
      file: 'comment-inside-tag.xlsx',
      tries: 'a comment inside a start tag',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS.replace('<row r="2"', '<row <!-- hidden --> r="2"')) }),
    },
    {
      file: 'unterminated-cdata.xlsx',
      tries: 'a CDATA section that never ends',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3"><c r="A3"><v><![CDATA[${'x'.repeat(4096)}`) }),
    },
    {
      file: 'cdata-fake-markup.xlsx',
      tries: 'a CDATA section holding markup that would close the cell and add rows if it were parsed',
      expected: 'not a number',
      bytes: workbook({
        [SHEET]: worksheet(`${PLAN_ROWS}<row r="3"><c r="G3"><v><![CDATA[1</v></c></row><row r="4"><c r="G4"><v>2]]></v></c></row>`),
      }),
    },
    {
      file: 'pi-before-declaration.xlsx',
      tries: 'a processing instruction before the XML declaration',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: `<?evil do-something?>${worksheet(PLAN_ROWS)}` }),
    },
    {
      file: 'unterminated-pi.xlsx',
      tries: 'a processing instruction that never ends',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: `${worksheet(PLAN_ROWS).replace('<sheetData>', `<sheetData><?pi ${'y'.repeat(4096)}`)}` }),
    },
    {
      file: 'nul-character.xlsx',
      tries: 'a NUL character in a cell value',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3"><c r="G3"><v>1\u0000</v></c></row>`) }),
    },
    {
      file: 'deep-nesting.xlsx',
      tries: '100,000 nested elements inside a cell, never closed',
      expected: 'XLSX_LIMITS.depth',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS).replace('<sheetData>', `<sheetData>${'<x>'.repeat(100_000)}`) }),
    },
    {
      file: 'deep-nesting-closed.xlsx',
      tries: '5,000 nested elements, properly closed (well-formed, just deep)',
      expected: 'XLSX_LIMITS.depth',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS, `<extLst>${'<x>'.repeat(5_000)}${'</x>'.repeat(5_000)}</extLst>`) }),
    },
    // Entities and DTDs.
    {
      file: 'billion-laughs.xlsx',
      tries: 'a DOCTYPE declaring ten levels of nested entities (10^9 "lol"s) used in a cell',
      expected: 'has a DOCTYPE',
      bytes: workbook({ [SHEET]: billionLaughs }),
    },
    {
      file: 'external-entity.xlsx',
      tries: 'a DOCTYPE with an external entity (file:///etc/passwd) in the shared strings',
      expected: 'has a DOCTYPE',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(
          ['worksheets/sheet1.xml'],
          `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
        ),
        'xl/sharedStrings.xml': `<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="${MAIN}"><si><t>&xxe;</t></si></sst>`,
      }),
    },
    {
      file: 'doctype-in-rels.xlsx',
      tries: 'a DOCTYPE in the package relationships part',
      expected: 'has a DOCTYPE',
      bytes: workbook({
        '_rels/.rels': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY t "xl/workbook.xml">]><Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="&t;"/></Relationships>`,
      }),
    },
    {
      file: 'undefined-entity.xlsx',
      tries: 'an entity reference with no declaration anywhere',
      expected: 'is not well-formed XML',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3">${inlineCell('A3', '&lol9;')}</row>`) }),
    },
    // Encodings.
    {
      file: 'utf16-without-bom.xlsx',
      tries: 'the sheet part in UTF-16LE with no byte order mark (read as UTF-8, its "£" is not valid)',
      expected: 'is not valid UTF-8 text',
      bytes: workbook({ [SHEET]: utf16le(worksheet(PLAN_ROWS)) }),
    },
    {
      file: 'invalid-utf8.xlsx',
      tries: 'bytes that are not UTF-8 (0xC3 0x28) in a cell',
      expected: 'is not valid UTF-8 text',
      bytes: workbook({
        [SHEET]: (() => {
          const [head, tail] = worksheet(`${PLAN_ROWS}<row r="3">${inlineCell('A3', 'SPLIT')}</row>`).split('SPLIT') as [string, string];
          return new Uint8Array([...utf8(head), 0xc3, 0x28, ...utf8(tail)]);
        })(),
      }),
    },
    // Sizes: cells, strings, dimensions.
    {
      file: 'repeated-sheet-targets.xlsx',
      tries: '40 <sheet> entries pointing at one sheet part that holds a cell at XFD1048576 (drove the old sync past 1.5 GB)',
      expected: 'more than once',
      bytes: workbook(
        { [SHEET]: worksheet(`${PLAN_ROWS}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`, '<dimension ref="A1:XFD1048576"/>') },
        40,
      ),
    },
    {
      file: 'huge-dimension.xlsx',
      tries: 'a <dimension> of A1:XFD1048576 and one cell at XFD1048576 (no grid may be allocated for it)',
      expected: 'no header row found',
      bytes: workbook({
        [SHEET]: worksheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', '<dimension ref="A1:XFD1048576"/>'),
      }),
    },
    {
      file: 'far-cell-below-plan.xlsx',
      tries: 'a good plan plus one cell at XFD1048576, a million empty rows below the header',
      expected: 'rows below the header',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`) }),
    },
    {
      file: 'beyond-last-row.xlsx',
      tries: "a row numbered 1,048,577, past Excel's last",
      expected: 'XLSX_LIMITS.lastRow',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="1048577"><c><v>1</v></c></row>`) }),
    },
    {
      file: 'beyond-last-column.xlsx',
      tries: "a cell at XFE1, past Excel's last column",
      expected: 'XLSX_LIMITS.lastColumn',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3"><c r="XFE3"><v>1</v></c></row>`) }),
    },
    {
      file: 'too-many-cells.xlsx',
      tries: '210,000 empty <c/> elements, a thousand a row',
      expected: 'XLSX_LIMITS.cells',
      bytes: workbook({ [SHEET]: worksheet(PLAN_ROWS + manyCells(210_000)) }),
    },
    {
      file: 'too-many-sheets.xlsx',
      tries: '100 <sheet> entries',
      expected: 'XLSX_LIMITS.sheets',
      bytes: workbook({}, 100),
    },
    {
      file: 'shared-strings-count-bomb.xlsx',
      tries: '110,000 shared string items',
      expected: 'XLSX_LIMITS.sharedStrings',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(
          ['worksheets/sheet1.xml'],
          `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
        ),
        'xl/sharedStrings.xml': `<sst xmlns="${MAIN}">${'<si><t>x</t></si>'.repeat(110_000)}</sst>`,
      }),
    },
    {
      file: 'shared-strings-chars-bomb.xlsx',
      tries: 'one shared string of 5 million characters',
      expected: 'XLSX_LIMITS.sharedStringChars',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(
          ['worksheets/sheet1.xml'],
          `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
        ),
        'xl/sharedStrings.xml': `<sst xmlns="${MAIN}"><si><t>${'x'.repeat(5_000_000)}</t></si></sst>`,
      }),
    },
    {
      file: 'shared-string-reuse-bomb.xlsx',
      tries: 'one 30,000-character shared string used by 16,000 cells (480 million characters of cell text)',
      expected: 'XLSX_LIMITS.cellTextChars',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(
          ['worksheets/sheet1.xml'],
          `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`,
        ),
        'xl/sharedStrings.xml': `<sst xmlns="${MAIN}"><si><t>${'y'.repeat(30_000)}</t></si></sst>`,
        [SHEET]: worksheet(PLAN_ROWS + `<row r="3">${'<c t="s"><v>0</v></c>'.repeat(16_000)}</row>`),
      }),
    },
    {
      file: 'cell-text-too-long.xlsx',
      tries: "an inline string of 40,000 characters, past Excel's 32,767",
      expected: 'XLSX_LIMITS.cellChars',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3">${inlineCell('H3', 'z'.repeat(40_000))}</row>`) }),
    },
    {
      file: 'shared-string-out-of-range.xlsx',
      tries: 'a cell naming shared string 999999 in a workbook without that many',
      expected: 'refers to a shared string that does not exist',
      bytes: workbook({ [SHEET]: worksheet(`${PLAN_ROWS}<row r="3"><c r="A3" t="s"><v>999999</v></c></row>`) }),
    },
    {
      file: 'styles-bomb.xlsx',
      tries: '70,000 cell styles',
      expected: 'XLSX_LIMITS.styles',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(
          ['worksheets/sheet1.xml'],
          `<Relationship Id="rIdT" Type="${REL}/styles" Target="styles.xml"/>`,
        ),
        'xl/styles.xml': `<styleSheet xmlns="${MAIN}"><cellXfs>${'<xf numFmtId="14"/>'.repeat(70_000)}</cellXfs></styleSheet>`,
      }),
    },
    {
      file: 'relationships-bomb.xlsx',
      tries: "2,000 relationships in the workbook's relationships part",
      expected: 'XLSX_LIMITS.relationships',
      bytes: workbook({ 'xl/_rels/workbook.xml.rels': workbookRels(Array.from({ length: 2_000 }, () => 'worksheets/sheet1.xml')) }),
    },
    // ZIP bombs: stopped while inflating.
    {
      file: 'zip-bomb-part.xlsx',
      tries: 'a sheet part that inflates to 9 MB (a ratio of about 1:1000), its size declared honestly',
      expected: 'XLSX_LIMITS.partBytes',
      bytes: workbook({ [SHEET]: bombSheet }),
    },
    {
      file: 'zip-bomb-lying-size.xlsx',
      tries: 'the same 9 MB sheet part, its headers claiming 2 KB',
      expected: 'XLSX_LIMITS.partBytes',
      bytes: patch(workbook({ [SHEET]: bombSheet }), SHEET, 'size', 2048),
    },
    {
      file: 'zip-bomb-many-parts.xlsx',
      tries: 'four XML parts of 7 MB each: each under the per-part limit, 28 MB together',
      expected: 'XLSX_LIMITS.decompressedBytes',
      bytes: workbook(
        Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`customXml/item${i + 1}.xml`, `<a>${' '.repeat(7 * MB)}</a>`])),
      ),
    },
    // Headers that lie, and files that are not workbooks at all.
    {
      file: 'lying-size-smaller.xlsx',
      tries: "the sheet part's uncompressed size given as 100 bytes less than it is, in both headers",
      expected: "is not the size the ZIP archive's directory gives",
      bytes: (() => {
        const { central } = headersOf(good, SHEET);
        const size = new DataView(good.buffer, good.byteOffset).getUint32(central + CENTRAL_FIELD.size, true);
        return patch(good, SHEET, 'size', size - 100);
      })(),
    },
    {
      file: 'lying-size-local-only.xlsx',
      tries: "the local header and the central directory disagree on the sheet part's size",
      expected: 'in the ZIP archive disagree',
      bytes: patch(good, SHEET, 'size', 12, 'local'),
    },
    {
      file: 'lying-compressed-size.xlsx',
      tries: "the sheet part's compressed size given as 5 bytes in both headers (the entries that follow are misread)",
      expected: 'not a readable .xlsx workbook',
      bytes: patch(good, SHEET, 'compressedSize', 5),
    },
    {
      file: 'crc-and-data-damaged.xlsx',
      tries: "the sheet part's deflated bytes overwritten in the middle, so its data no longer matches its CRC-32",
      expected: 'not a readable .xlsx workbook',
      bytes: (() => {
        const out = good.slice();
        const { local } = headersOf(out, SHEET);
        const view = new DataView(out.buffer);
        const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        const length = view.getUint32(local + LOCAL_FIELD.compressedSize, true);
        out.set(randomBytes(Math.min(64, length >> 1), 7), start + (length >> 2));
        return out;
      })(),
    },
    {
      file: 'crc-mismatch.xlsx',
      tries: "the sheet part's CRC-32 changed in both headers, its data intact (fflate checks no CRC-32s)",
      expected: 'its CRC-32 is not the one',
      bytes: (() => {
        const { central } = headersOf(good, SHEET);
        const crc = new DataView(good.buffer, good.byteOffset).getUint32(central + CENTRAL_FIELD.crc, true);
        return patch(good, SHEET, 'crc', crc ^ 0x1);
      })(),
    },
    {
      file: 'unknown-compression.xlsx',
      tries: 'the sheet part marked as compressed with method 14 (LZMA)',
      expected: 'cannot be decompressed',
      bytes: patch(good, SHEET, 'method', 14),
    },
    {
      file: 'truncated.xlsx',
      tries: 'a good workbook cut off half way',
      expected: 'not a readable .xlsx workbook',
      bytes: good.slice(0, good.length >> 1),
    },
    {
      file: 'csv-named-xlsx.xlsx',
      tries: 'a CSV plan saved with an .xlsx name',
      expected: 'not a ZIP archive',
      bytes: utf8(`${HEADER.join(',')}\n${GOOD_ROW.join(',')}\n`),
    },
    {
      file: 'random-bytes.xlsx',
      tries: '4 KB of random bytes',
      expected: 'not a ZIP archive',
      bytes: randomBytes(4096, 42),
    },
    {
      file: 'empty.xlsx',
      tries: 'an empty file',
      expected: 'not a ZIP archive',
      bytes: new Uint8Array(0),
    },
    // Missing parts and part names that escape.
    {
      file: 'missing-workbook.xlsx',
      tries: 'a ZIP archive with content types but no workbook part',
      expected: 'not an Excel workbook',
      bytes: workbook({ 'xl/workbook.xml': null, 'xl/_rels/workbook.xml.rels': null, [SHEET]: null }),
    },
    {
      file: 'missing-sheet-part.xlsx',
      tries: 'a workbook whose sheet relationship points at a part the package does not hold',
      expected: 'which the package does not hold',
      bytes: workbook({ [SHEET]: null }),
    },
    {
      file: 'missing-relationship.xlsx',
      tries: 'a <sheet> whose r:id has no relationship',
      expected: 'has no worksheet part',
      bytes: workbook({ 'xl/_rels/workbook.xml.rels': workbookRels([]) }),
    },
    {
      file: 'absolute-entry-name.xlsx',
      tries: 'a ZIP entry named /xl/worksheets/sheet1.xml (absolute)',
      expected: 'is not a valid part name',
      bytes: workbook({ [SHEET]: null, [`/${SHEET}`]: worksheet(PLAN_ROWS) }),
    },
    {
      file: 'dotdot-entry-name.xlsx',
      tries: 'a ZIP entry named ../../../tmp/evil.xml',
      expected: 'is not a valid part name',
      bytes: workbook({ '../../../tmp/evil.xml': '<a/>' }),
    },
    {
      file: 'dotdot-relationship-target.xlsx',
      tries: 'a sheet relationship targeting ../../../../etc/passwd.xml',
      expected: 'points outside the package',
      bytes: workbook({ 'xl/_rels/workbook.xml.rels': workbookRels(['../../../../etc/passwd.xml']) }),
    },
    {
      file: 'sheet-target-is-styles.xlsx',
      tries: 'a sheet relationship with an absolute target at the styles part',
      expected: 'is not a worksheet',
      bytes: workbook({
        'xl/_rels/workbook.xml.rels': workbookRels(['/xl/styles.xml']),
        'xl/styles.xml': `<styleSheet xmlns="${MAIN}"><cellXfs><xf numFmtId="0"/></cellXfs></styleSheet>`,
      }),
    },
    {
      file: 'duplicate-entry-names.xlsx',
      tries: 'two ZIP entries with the same name (the sheet part twice, different content)',
      expected: 'twice',
      bytes: rename(workbook({ 'xl/worksheets/sheetX.xml': worksheet(rowXml(1, ['other'])) }), 'xl/worksheets/sheetX.xml', SHEET),
    },
    {
      file: 'case-duplicate-entry-names.xlsx',
      tries: 'XL/WORKBOOK.XML beside xl/workbook.xml (OPC names are case-insensitive)',
      expected: 'twice',
      bytes: workbook({ 'XL/WORKBOOK.XML': '<workbook/>' }),
    },
  ];
}

function main(): void {
  mkdirSync(OUT, { recursive: true });
  for (const name of readdirSync(OUT)) if (name.endsWith('.xlsx')) rmSync(join(OUT, name));
  const made = corpus();
  for (const entry of made) writeFileSync(join(OUT, entry.file), entry.bytes);
  const manifest: CorpusEntry[] = made.map(({ file, tries, expected }) => ({ file, tries, expected }));
  writeFileSync(join(OUT, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const readme = [
    '# Hostile xlsx corpus',
    '',
    'Generated by `npx tsx tests/corpus/xlsx/make-corpus.ts` (do not edit by hand); `manifest.json` holds the same',
    'list for `tests/sync/hostile-corpus.test.ts`. Each file must be refused whole, its report giving the reason shown.',
    '',
    ...made.map((m) => `- \`${m.file}\` (${m.bytes.length.toLocaleString('en-GB')} bytes): ${m.tries}. Expected: “${m.expected}”.`),
    '',
  ];
  writeFileSync(join(OUT, 'README.md'), readme.join('\n'));
  const largest = Math.max(...made.map((m) => m.bytes.length));
  console.log(`${made.length} files written to ${OUT} (largest ${(largest / 1024).toFixed(1)} KB)`);
}

main();
