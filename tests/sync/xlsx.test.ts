/**
 * The small SpreadsheetML reader and writer (functions/sync/xlsx/) against exceljs as the
 * reference: exceljs-made workbooks read the same, ours open in exceljs as written, hand-made
 * parts exercise what exceljs never writes, and damaged or hostile files are refused.
 */
import ExcelJS from 'exceljs';
import { unzipSync, Zip, ZipDeflate, zipSync } from 'fflate';
import { ReadBudget, XLSX_LIMITS, XlsxFormatError, XlsxLimitError } from '../../functions/sync/xlsx/limits';
import { readXlsxSheets, type XlsxCell, type XlsxSheet } from '../../functions/sync/xlsx/read-xlsx';
import { POUNDS_FORMAT, writeXlsx } from '../../functions/sync/xlsx/write-xlsx';
import { readXmlPart } from '../../functions/sync/xlsx/xml-reader';
import { readZipParts } from '../../functions/sync/xlsx/zip-parts';

const utf8 = (text: string) => new TextEncoder().encode(text);
const TRICKY = [
  '=1+1',
  '+SUM(A1)',
  '-5',
  '@x',
  'a & b < c > "d"',
  "it's",
  '_x0041_ stays',
  'line 1\r\nline 2\ttab',
  'ctrl \u0001 char',
  'Café £ – 😀',
  ' padded ',
];

/** A small sheet as a grid (row r, column c), for comparing with what exceljs wrote or read. */
function grid(sheet: XlsxSheet | undefined): XlsxCell[][] {
  const rows: XlsxCell[][] = [];
  for (const row of sheet?.rows ?? []) {
    const cells: XlsxCell[] = [];
    for (const [column, value] of row.cells) cells[column] = value;
    rows[row.index] = Array.from(cells);
  }
  return Array.from(rows, (r) => r ?? []);
}

const budget = (limits: Partial<typeof XLSX_LIMITS> = {}) => new ReadBudget({ ...XLSX_LIMITS, ...limits });

test('ZIP: XML parts read back byte for byte; other entries are never inflated', async () => {
  const files = {
    'a.xml': utf8('<a/>'),
    'dir/£ name.rels': new Uint8Array(100_000).fill(7),
    'empty.xml': new Uint8Array(),
    'media/image.png': new Uint8Array(10).fill(1),
  };
  const parts = await readZipParts(zipSync(files), budget());
  expect([...parts.keys()].sort()).toEqual(['a.xml', 'dir/£ name.rels', 'empty.xml']);
  for (const name of parts.keys()) expect(Buffer.from(parts.get(name)!)).toEqual(Buffer.from(files[name as keyof typeof files]));
});

test('ZIP: not a zip, truncated, or inflating past a limit is refused', async () => {
  await expect(readZipParts(utf8('PK not really'), budget())).rejects.toThrow(XlsxFormatError);
  const zip = zipSync({ 'big.xml': new Uint8Array(2_000_000) });
  await expect(readZipParts(zip.subarray(0, 40), budget())).rejects.toThrow(XlsxFormatError);
  await expect(readZipParts(zip, budget({ partBytes: 1_000_000 }))).rejects.toThrow(
    /larger than the limit of .* in one part \(XLSX_LIMITS.partBytes\)/,
  );
  const two = zipSync({ 'a.xml': new Uint8Array(600_000), 'b.xml': new Uint8Array(600_000) });
  await expect(readZipParts(two, budget({ decompressedBytes: 1_000_000 }))).rejects.toThrow(XlsxLimitError);
});

test('XML: entities decoded, DOCTYPE refused, mismatched tags and unclosed markup refused quickly', async () => {
  const seen: string[] = [];
  const root = await readXmlPart(
    'p.xml',
    utf8('<?xml version="1.0"?><x:a q="&quot;1&quot;"><b>&lt;&amp;&#65;&#x42;</b><![CDATA[<raw>]]><c/></x:a>'),
    budget(),
    {
      open: (name, attrs) => seen.push(`<${name}${attrs.q ?? ''}>`),
      text: (text, path) => seen.push(`${path.join('/')}:${text}`),
    },
  );
  expect(root).toBe('a');
  expect(seen).toEqual(['<a"1">', '<b>', 'a/b:<&AB', 'a:<raw>', '<c>']);
  await expect(readXmlPart('p.xml', utf8('<!DOCTYPE x [<!ENTITY e "boom">]><a>&e;</a>'), budget(), {})).rejects.toThrow(/DOCTYPE/);
  await expect(readXmlPart('p.xml', utf8('<a><b></a>'), budget(), {})).rejects.toThrow(XlsxFormatError);
  const started = Date.now();
  await expect(readXmlPart('p.xml', utf8('<a' + '<a'.repeat(50_000)), budget(), {})).rejects.toThrow(XlsxFormatError);
  await expect(readXmlPart('p.xml', utf8('<a>'.repeat(100)), budget({ depth: 64 }), {})).rejects.toThrow(/XLSX_LIMITS.depth/);
  expect(Date.now() - started).toBeLessThan(1_000);
});

test('our workbook opens in exceljs as written: text as text (never formulas), £ numbers, bold frozen filtered header', async () => {
  const bytes = writeXlsx(
    [
      {
        name: 'Sheet: one',
        columns: [
          { header: 'Text', width: 30 },
          { header: 'Amount (£)', width: 12 },
          { header: 'Count', width: 8 },
        ],
        rows: [
          ...TRICKY.map((t, i) => [t, { number: -i - 0.01, format: 'pounds' as const }, { number: i }]),
          [null, undefined, { number: 0 }],
        ],
      },
      { name: 'Empty', columns: [{ header: 'Nothing', width: 10 }], rows: [] },
    ],
    { creator: 'test', created: new Date('2026-01-01T00:00:00Z') },
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as never);
  expect(workbook.worksheets.map((s) => s.name)).toEqual(['Sheet  one', 'Empty']);
  const sheet = workbook.worksheets[0]!;
  TRICKY.forEach((text, i) => {
    const cell = sheet.getRow(i + 2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    // exceljs does not undo SpreadsheetML's _xHHHH_ escapes (of "_x", control characters and CR);
    // Excel does, and so does our reader (below).
    if (!/_x|[\u0001\r]/.test(text)) expect(cell.value).toBe(text);
    expect(cell.formula).toBeUndefined();
    expect(sheet.getRow(i + 2).getCell(2).value).toBe(-i - 0.01);
    expect(sheet.getRow(i + 2).getCell(2).numFmt).toBe(POUNDS_FORMAT);
  });
  expect(sheet.getRow(TRICKY.length + 2).getCell(1).value).toBeNull();
  expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.autoFilter).toBe(`A1:C${TRICKY.length + 2}`);
  expect(sheet.getColumn(1).width).toBe(30);
  expect(workbook.creator).toBe('test');
});

test('our workbook reads back through our reader unchanged', async () => {
  const bytes = writeXlsx(
    [
      {
        name: 'S',
        columns: [
          { header: 'T', width: 5 },
          { header: 'N', width: 5 },
        ],
        rows: TRICKY.map((t, i) => [t, { number: i / 100 }]),
      },
    ],
    {
      creator: 'x',
      created: new Date(0),
    },
  );
  const [sheet] = await readXlsxSheets(bytes);
  expect(grid(sheet)).toEqual([['T', 'N'], ...TRICKY.map((t, i) => [t, i / 100])]);
});

test('exceljs-made workbooks read as exceljs sees them: shared strings, rich text, formulas, errors, booleans, dates', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Data');
  sheet.getCell('A1').value = 'shared';
  sheet.getCell('B1').value = 'shared';
  sheet.getCell('C1').value = { richText: [{ text: 'Rich ', font: { bold: true } }, { text: 'text' }] };
  sheet.getCell('A2').value = { formula: 'B2*2', result: 2000.02 };
  sheet.getCell('B2').value = { formula: 'CONCAT("a","b")', result: 'ab' };
  sheet.getCell('C2').value = { formula: 'C1' };
  sheet.getCell('A3').value = { error: '#DIV/0!' };
  sheet.getCell('B3').value = true;
  sheet.getCell('C3').value = new Date(Date.UTC(2025, 3, 1));
  sheet.getCell('D5').value = 0.1 + 0.2;
  sheet.getCell('E5').value = 1000.01;
  sheet.getCell('E5').numFmt = '#,##0.00';
  sheet.getCell('F5').value = 45748;
  sheet.getCell('F5').numFmt = 'dd/mm/yyyy';
  const [read] = await readXlsxSheets(new Uint8Array(await workbook.xlsx.writeBuffer()));
  const expected: XlsxCell[][] = [
    ['shared', 'shared', 'Rich text'],
    [2000.02, 'ab', { formulaWithoutResult: true }],
    [{ error: '#DIV/0!' }, true, { date: '2025-04-01' }],
    [],
    [undefined, undefined, undefined, 0.1 + 0.2, 1000.01, { date: '2025-04-01' }],
  ];
  expect(grid(read)).toEqual(expected);
});

/** A minimal workbook from hand-written parts, for what exceljs never writes. */
function handMade(sheetXml: string, options: { workbookPr?: string; stored?: boolean } = {}): Uint8Array {
  const files = [
    {
      name: '_rels/.rels',
      data: utf8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: utf8(
        `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${options.workbookPr ?? ''}<x:sheets><x:sheet name="Plan &amp; more" sheetId="1" r:id="s1"/></x:sheets></x:workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: utf8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="s1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="sheets/../worksheets/one.xml"/><Relationship Id="st" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/styles.xml',
      data: utf8(
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts><numFmt numFmtId="170" formatCode="[$-809]d mmmm yyyy"/><numFmt numFmtId="171" formatCode="&quot;days&quot; 0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="14"/></cellXfs></styleSheet>',
      ),
    },
    {
      name: 'xl/worksheets/one.xml',
      data: utf8(
        `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetXml}</sheetData></worksheet>`,
      ),
    },
  ];
  return zipSync(Object.fromEntries(files.map((f) => [f.name, f.data])), options.stored ? { level: 0 } : {});
}

test('hand-made parts: prefixes, relative targets, inline strings, cells without references, escapes, custom and 1904 dates', async () => {
  const [sheet] = await readXlsxSheets(
    handMade(
      '<row><c t="inlineStr"><is><t>inline</t></is></c><c t="inlineStr"><is><r><t>a</t></r><rPh><t>PH</t></rPh><r><t xml:space="preserve"> b</t></r></is></c></row>' +
        '<row r="3"><c r="C3" t="str"><v>x</v></c></row>',
    ),
  );
  expect(sheet!.name).toBe('Plan & more');
  expect(grid(sheet)[0]).toEqual(['inline', 'a b']);
  expect(grid(sheet)[1]).toEqual([]);
  expect(grid(sheet)[2]).toEqual([undefined, undefined, 'x']);
  // No sharedStrings part: a reference to one is an error, not a blank.
  await expect(readXlsxSheets(handMade('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))).rejects.toThrow(/shared string/);
  const [dates] = await readXlsxSheets(
    handMade(
      '<row r="1"><c r="A1" s="1"><v>45748</v></c><c r="B1" s="2"><v>1.5</v></c><c r="C1" s="3"><v>45748.75</v></c><c r="D1" t="d"><v>2025-04-01T00:00:00</v></c><c r="E1" t="str"><v>x_x000D_y</v></c></row>',
    ),
  );
  expect(grid(dates)[0]).toEqual([{ date: '2025-04-01' }, 1.5, { date: '2025-04-01' }, { date: '2025-04-01' }, 'x\ry']);
  const [in1904] = await readXlsxSheets(
    handMade('<row r="1"><c r="A1" s="3"><v>44286</v></c></row>', { workbookPr: '<x:workbookPr date1904="1"/>' }),
  );
  expect(grid(in1904)[0]).toEqual([{ date: '2025-04-01' }]);
});

test('hostile or broken parts are refused, never guessed at', async () => {
  await expect(readXlsxSheets(zipSync({ 'hello.txt': utf8('hi') }))).rejects.toThrow(/not an Excel workbook/);
  await expect(readXlsxSheets(handMade('<row r="1"><c r="A1"><v>12abc</v></c></row>'))).rejects.toThrow(/not a number/);
  await expect(readXlsxSheets(handMade('<row r="0"><c r="A1"><v>1</v></c></row>'))).rejects.toThrow(/row number/);
});

test('limits: entries in the archive, and the wall time (checked as the parts stream)', async () => {
  const entries = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.xml`, utf8('<a/>')]));
  await expect(readZipParts(zipSync(entries), budget({ zipEntries: 10 }))).rejects.toThrow(/XLSX_LIMITS.zipEntries/);
  let now = 0;
  const slowClock = new ReadBudget(XLSX_LIMITS, () => now);
  await expect(readXmlPart('p.xml', utf8('<a><b/></a>'), slowClock, { open: () => (now += XLSX_LIMITS.wallMs) })).rejects.toThrow(
    /what can be read in 5 s \(XLSX_LIMITS.wallMs\)/,
  );
});

test('a lone cell at XFD1048576 is one row of one cell, never a grid; UTF-16 parts with a byte order mark read', async () => {
  const [far] = await readXlsxSheets(handMade('<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'));
  expect(far!.rows).toEqual([{ index: 1_048_575, cells: new Map([[16_383, 7]]) }]);
  const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>£ ok</t></is></c></row></sheetData></worksheet>`;
  const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(sheet).flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8])]);
  const seen: string[] = [];
  await readXmlPart('s.xml', utf16, budget(), { text: (text) => seen.push(text) });
  expect(seen).toEqual(['£ ok']);
});

test('a workbook zipped as a stream (sizes in data descriptors after each entry) reads the same', async () => {
  const plain = writeXlsx([{ name: 'S', columns: [{ header: 'T', width: 5 }], rows: [['hello'], [{ number: 5 }]] }], {
    creator: 'x',
    created: new Date(0),
  });
  const chunks: Uint8Array[] = [];
  const streamed = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries(unzipSync(plain))) {
    const entry = new ZipDeflate(name);
    streamed.add(entry);
    entry.push(data, true);
  }
  streamed.end();
  const bytes = new Uint8Array(Buffer.concat(chunks));
  expect(bytes[6]! & 8).toBe(8); // the first entry's flags say "sizes follow the data"
  expect(grid((await readXlsxSheets(bytes))[0])).toEqual([['T'], ['hello'], [5]]);
});

test('a long read gives the event loop turns (the local API shares the sync’s process)', async () => {
  let turns = 0;
  let reading = true;
  const spin = () => {
    turns++;
    if (reading) setImmediate(spin);
  };
  setImmediate(spin);
  const rows = Array.from({ length: 5_000 }, (_, r) => `<row r="${r + 1}">${'<c><v>1</v></c>'.repeat(10)}</row>`).join('');
  const [sheet] = await readXlsxSheets(handMade(rows));
  reading = false;
  expect(sheet!.rows).toHaveLength(5_000);
  expect(turns).toBeGreaterThan(0);
});
