/** Costed action plans → bid bodies: header, names, amounts to the penny, every failing field reported. */
import ExcelJS from 'exceljs';
import { parseIntake, type ParsedFile, type ParsedRow } from '../../functions/sync/intake-rows';
import { readCsv, readXlsx, type Table } from '../../functions/sync/intake-table';

const HEADER = ['Title', 'Lead organisation', 'Scope', 'Crime types', 'Cyber strands', 'Financial year', 'Requested (£)', 'Description'];

const rowsOf = (parsed: ParsedFile): ParsedRow[] => {
  if (!parsed.ok) throw new Error(`file rejected: ${JSON.stringify(parsed.issues)}`);
  return parsed.rows;
};
const csv = (text: string) => parseIntake([readCsv(new TextEncoder().encode(text))]);
const one = (cells: (string | number | undefined)[], header = HEADER) => rowsOf(parseIntake([[header, cells]]))[0];

test('a good row becomes a submitted bid body; ids and display names both work', () => {
  expect(
    one(['Farm gate alarms', 'Telford & Wrekin CSP', 'West Mercia', 'Rural; business', '', '2025-26', '£12,500.50', 'Alarms']),
  ).toEqual({
    row: 2,
    ok: true,
    input: {
      title: 'Farm gate alarms',
      leadOrganisation: 'telford-and-wrekin',
      scope: 'west-mercia',
      crimeTypes: ['rural', 'business'],
      fy: '2025/26',
      requestedPence: 1_250_050,
      description: 'Alarms',
      submit: true,
    },
  });
  const names: [string, string, string][] = [
    ['telford-and-wrekin', 'alliance', 'telford-and-wrekin'],
    ['TELFORD AND WREKIN', 'Alliance (West Mercia and Warwickshire)', 'telford-and-wrekin'],
    ['Warwickshire', 'warwickshire', 'warwickshire'],
    ['  south worcestershire csp ', 'West Mercia only', 'south-worcestershire'],
  ];
  for (const [organisation, scope, id] of names) {
    const row = one(['T', organisation, scope, 'rural', undefined, '2025/26', '10', undefined]);
    expect(row).toMatchObject({ ok: true, input: { leadOrganisation: id } });
  }
});

test('amounts are exact to the penny from text and from spreadsheet numbers; more than 2 dp is refused', () => {
  const amount = (value: string | number) => {
    const row = one(['T', 'shropshire', 'alliance', 'rural', undefined, '2025/26', value, undefined]);
    return row?.ok ? row.input.requestedPence : row?.issues.map((i) => `${i.field}: ${i.reason}`);
  };
  expect(amount('1000.01')).toBe(100_001);
  expect(amount(1000.01)).toBe(100_001);
  expect(amount(0.1 + 0.2)).toBe(30);
  expect(amount('£1,035,000.00')).toBe(103_500_000);
  expect(amount(' 19.9 ')).toBe(1_990);
  expect(amount('12.345')).toEqual(['Requested (£): amount has more than 2 decimal places']);
  expect(amount(12.345)).toEqual(['Requested (£): amount has more than 2 decimal places']);
  expect(amount('0')).toEqual(['Requested (£): amount must be more than zero']);
  expect(amount('-5')).toEqual(['Requested (£): amount must not be negative']);
  expect(amount('ten pounds')).toEqual(['Requested (£): "ten pounds" is not an amount in pounds']);
});

test('every failing field of a row is reported, cross-field rules included', () => {
  const row = one(['', 'Atlantis CSP', 'west-mercia', 'rurl, cyber', 'pester', '2025/27', '12.345', undefined]);
  expect(row?.ok).toBe(false);
  const fields = row && !row.ok ? row.issues.map((i) => i.field) : [];
  expect(fields.sort()).toEqual(['Crime types', 'Cyber strands', 'Financial year', 'Lead organisation', 'Requested (£)', 'Title'].sort());

  // An enum failure (crime types) must not hide the scope rule, nor the scope rule hide the strand rule.
  const mixed = one(['Wrong scope', 'warwickshire', 'west-mercia', 'rurl', undefined, '2025/26', '100', undefined]);
  expect(mixed && !mixed.ok && mixed.issues.map((i) => [i.field, i.reason])).toEqual([
    ['Scope', 'Warwickshire cannot file a bid for West Mercia only; use alliance or its own area'],
    ['Crime types', 'must be one of rural, business, cyber'],
  ]);
  const strands = one(['Cyber', 'warwickshire', 'warwickshire', 'cyber', '', '2025/26', 'x', undefined]);
  expect(strands && !strands.ok && strands.issues.map((i) => i.field)).toEqual(['Cyber strands', 'Requested (£)']);
  expect(strands && !strands.ok && strands.issues[1]).toMatchObject({ row: 2, value: 'x' });
});

test('the header may sit below title rows, in any case and order; blank rows are skipped, rows keep their sheet numbers', () => {
  const parsed = csv(
    [
      'Costed action plan,,',
      '',
      'requested (£),  FINANCIAL YEAR ,title,Scope,crime types,LEAD ORGANISATION,Notes',
      '100,2025/26,First,alliance,rural,shropshire,ignored',
      ',,,,,,',
      '200,2025/26,Second,alliance,rural,herefordshire,',
    ].join('\n'),
  );
  expect(rowsOf(parsed).map((r) => [r.row, r.ok && r.input.title])).toEqual([
    [4, 'First'],
    [6, 'Second'],
  ]);
});

test('a file without the header row is refused whole, naming the missing columns', () => {
  expect(csv('Title,Scope\nA,alliance\n')).toEqual({
    ok: false,
    issues: [
      {
        row: null,
        field: '(file)',
        value: '',
        reason: expect.stringContaining('missing Lead organisation, Crime types, Financial year, Requested (£)'),
      },
    ],
  });
  expect(csv(`${HEADER.join(',')}\n`)).toMatchObject({ ok: false, issues: [{ reason: 'the file has a header row but no data rows' }] });
});

test('CSV: quoted fields, semicolon separators, Windows-1252 bytes, formula-looking text stays text', () => {
  const semicolons = csv(`${HEADER.join(';')}\n"=1+1";shropshire;alliance;"rural, business";;2025/26;"1.234,00";\n`);
  // "1.234,00" is not a UK amount: refused, not misread.
  expect(rowsOf(semicolons)[0]).toMatchObject({ ok: false, issues: [{ field: 'Requested (£)', value: '1.234,00' }] });
  const formula = csv(`${HEADER.join(',')}\n=HYPERLINK("http://x"),shropshire,alliance,rural,,2025/26,5,\n`);
  expect(rowsOf(formula)[0]).toMatchObject({ ok: true, input: { title: '=HYPERLINK("http://x")' } });

  const latin1 = Uint8Array.from([
    ...Buffer.from('Title,Lead organisation,Scope,Crime types,Financial year,Requested ('),
    0xa3,
    ...Buffer.from(')\nCaf'),
    0xe9,
    ...Buffer.from(',shropshire,alliance,rural,2025/26,5\n'),
  ]);
  expect(rowsOf(parseIntake([readCsv(latin1)]))[0]).toMatchObject({ ok: true, input: { title: 'Café', requestedPence: 500 } });
});

test('xlsx: numbers, formula results (never evaluated), rich text, dates and Excel errors', async () => {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Notes').addRow(['This sheet has no plan']);
  const sheet = workbook.addWorksheet('Plan');
  sheet.addRow(HEADER);
  sheet.addRow(['Numbers', 'shropshire', 'alliance', 'rural', null, '2025/26', 1000.01, null]);
  sheet.addRow(['=1+1', 'shropshire', 'alliance', 'rural', null, '2025/26', { formula: 'G2*2', result: 2000.02 }, null]);
  sheet.addRow([
    { richText: [{ text: 'Rich ' }, { text: 'text' }] },
    'herefordshire',
    'alliance',
    'cyber',
    'protect',
    '2025/26',
    5,
    'line 1\nline 2',
  ]);
  sheet.addRow(['Date FY', 'shropshire', 'alliance', 'rural', null, new Date(Date.UTC(2025, 3, 1)), 5, null]);
  sheet.addRow(['Error', 'shropshire', 'alliance', 'rural', null, '2025/26', { error: '#DIV/0!' }, null]);
  sheet.addRow(['No result', 'shropshire', 'alliance', 'rural', null, '2025/26', { formula: 'A1' }, null]);
  const tables: Table[] = await readXlsx(new Uint8Array(await workbook.xlsx.writeBuffer()));
  const rows = rowsOf(parseIntake(tables));
  expect(
    rows.map((r) => (r.ok ? [r.row, r.input.title, r.input.requestedPence] : [r.row, r.issues.map((i) => `${i.field}: ${i.reason}`)])),
  ).toEqual([
    [2, 'Numbers', 100_001],
    [3, '=1+1', 200_002],
    [4, 'Rich text', 500],
    [5, ['Financial year: financial year must look like 2025/26']],
    [6, ['Requested (£): the cell holds the Excel error #DIV/0!']],
    [7, ['Requested (£): the cell is a formula with no saved result: open the file in Excel and save it again']],
  ]);
  expect(rows[2]).toMatchObject({ ok: true, input: { description: 'line 1\nline 2', cyberStrands: ['protect'] } });
});

test('a damaged xlsx is unreadable, not a crash', async () => {
  await expect(readXlsx(new TextEncoder().encode('not a zip'))).rejects.toThrow(/not a readable .xlsx workbook/);
});

test('the optional Outcome measures column: measure:target unit separated by ";"; each bad entry reported on the field', () => {
  const header = [...HEADER, 'Outcome measures'];
  const row = (measures: string | undefined) =>
    one(['T', 'shropshire', 'alliance', 'rural', undefined, '2025/26', '10', undefined, measures], header);
  expect(row('Farms visited:1,200 visits; Cyber: businesses trained:7.5 businesses;')).toMatchObject({
    ok: true,
    input: {
      outcomeMeasures: [
        { measure: 'Farms visited', target: 1200, unit: 'visits' },
        { measure: 'Cyber: businesses trained', target: 7.5, unit: 'businesses' },
      ],
    },
  });
  expect(row(undefined)).toMatchObject({ ok: true });
  const bad = row('Farms visited 120 visits; :3 people; Victims:many; Patrols:4 patrols');
  expect(bad).toMatchObject({
    ok: false,
    issues: [{ row: 2, field: 'Outcome measures', value: 'Farms visited 120 visits; :3 people; Victims:many; Patrols:4 patrols' }],
  });
  if (bad && !bad.ok) {
    const reason = bad.issues[0]!.reason;
    expect(reason).toContain('"Farms visited 120 visits" must be written measure:target unit');
    expect(reason).toContain('":3 people" names no measure');
    expect(reason).toContain('"Victims:many" needs a target number and a unit');
    expect(reason).not.toContain('Patrols');
  }
  // The schema's rules reach the report too: a measure named twice.
  expect(row('Visits:1 visits; visits:2 farms')).toMatchObject({
    ok: false,
    issues: [{ field: 'Outcome measures', reason: 'must not name a measure twice' }],
  });
});
