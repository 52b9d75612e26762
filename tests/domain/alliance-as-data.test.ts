/**
 * The alliance is data: the funders and lead organisations are named in domain/alliance.ts and
 * nowhere else in the source, so an alliance of other (or more) funders is an edit there only.
 * Messages, JSDoc, checks and comments build any list they need from that data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FUNDERS,
  funderChoicesText,
  funderNamesText,
  LEAD_ORGANISATIONS,
  listText,
  organisationChoicesText,
  SCOPES,
  scopeChoicesText,
  scopeName,
} from '../../domain';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_FOLDERS = ['addin', 'functions', 'domain', 'infra', 'local'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'cdk.out']);

/** Files that must name the members, and why. */
const DATA_FILES: Record<string, string> = {
  'domain/alliance.ts': 'the alliance data itself',
  'addin/api/openapi-types.ts': 'generated (npm run api:types) from the OpenAPI document, whose enums come from domain/alliance.ts',
  'local/seed.ts': "demo data for `npm start`: fictional bids filed by the alliance's real organisations",
};

/** Lower case, "&" as "and", no spaces or punctuation: "Telford & Wrekin", "telford-and-wrekin" and "TelfordAndWrekin" meet. */
const normalise = (text: string): string =>
  text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');

/** Every funder's and organisation's id and name, from the data (a name also without a trailing "CSP"). */
export const MEMBER_TERMS: readonly string[] = [
  ...new Set(
    [...FUNDERS, ...LEAD_ORGANISATIONS].flatMap((member) => [member.id, member.name, member.name.replace(/\s+CSP$/i, '')]).map(normalise),
  ),
];

interface Mention {
  line: number;
  term: string;
  text: string;
}

function mentionsIn(content: string): Mention[] {
  return content.split('\n').flatMap((text, i) => {
    const line = normalise(text);
    const term = MEMBER_TERMS.find((t) => line.includes(t));
    return term ? [{ line: i + 1, term, text: text.trim() }] : [];
  });
}

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(path.join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(relative);
    return entry.isFile() ? [relative] : [];
  });
}

const files = SOURCE_FOLDERS.flatMap(sourceFiles);
const mentions = new Map(files.map((file) => [file, mentionsIn(fs.readFileSync(path.join(ROOT, file), 'utf8'))]));

test('the terms come from the data and the scan reads the source', () => {
  expect(MEMBER_TERMS).toEqual(expect.arrayContaining(FUNDERS.map((f) => normalise(f.id))));
  expect(MEMBER_TERMS.length).toBeGreaterThanOrEqual(FUNDERS.length + LEAD_ORGANISATIONS.length);
  expect(files).toEqual(expect.arrayContaining(['domain/funders.ts', 'addin/functions/functions.ts', 'addin/sheet/sync-plan.ts']));
  const [funder] = FUNDERS;
  const planted = `const ok = 1;\n// only for ${funder.name.toUpperCase()}\nif (x === '${funder.id}') {}`;
  expect(mentionsIn(planted).map((m) => m.line)).toEqual([2, 3]);
});

test('no funder or organisation is named in the source outside domain/alliance.ts (and the demo seed data)', () => {
  const found = [...mentions]
    .filter(([file]) => !(file in DATA_FILES))
    .flatMap(([file, list]) => list.map((m) => `${file}:${m.line}: ${m.text}`));
  expect(found).toEqual([]);
});

test.each(Object.keys(DATA_FILES))('%s is exempt only while it names a member', (file) => {
  expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  expect(mentions.get(file)?.length ?? 0).toBeGreaterThan(0);
});

describe('texts built from the data', () => {
  test('listText joins as English', () => {
    expect(listText([], 'or')).toBe('');
    expect(listText(['a'], 'or')).toBe('a');
    expect(listText(['a', 'b'], 'and')).toBe('a and b');
    expect(listText(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });

  test('the choices list every scope, funder and organisation in the configured order', () => {
    expect(scopeChoicesText()).toBe(listText(SCOPES, 'or'));
    expect(scopeChoicesText().startsWith('alliance, ')).toBe(true);
    expect(funderChoicesText()).toBe(
      listText(
        FUNDERS.map((f) => f.id),
        'or',
      ),
    );
    expect(organisationChoicesText()).toBe(
      listText(
        LEAD_ORGANISATIONS.map((o) => o.id),
        'or',
      ),
    );
    expect(funderNamesText()).toBe(
      listText(
        FUNDERS.map((f) => f.name),
        'and',
      ),
    );
    expect(scopeName('alliance')).toBe(`Alliance (${funderNamesText()})`);
  });

  test('today: the scope message reads as it always has', () => {
    expect(`scope must be ${scopeChoicesText()}`).toBe('scope must be alliance, west-mercia or warwickshire');
  });
});
