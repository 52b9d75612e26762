/**
 * Every relative link in README.md and docs/*.md resolves: the file or folder it names exists, and
 * a `#anchor` (in the same file or another markdown file) is produced by one of that file's headings,
 * slugged the way GitHub does it (lower case, punctuation dropped, spaces to hyphens, -1, -2 … for
 * repeats). Links inside fenced code blocks and inline code are not links and are skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** README.md and every markdown file in docs/. */
function markdownFiles(): string[] {
  const docs = join(root, 'docs');
  const inDocs = existsSync(docs)
    ? readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(docs, name))
    : [];
  return [join(root, 'README.md'), ...inDocs];
}

/** The text with fenced code blocks blanked out (line count kept) and inline code spans removed. */
function proseOf(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, '');
  });
}

/** GitHub's heading anchor for a heading's text (github-slugger, after markdown is rendered to text). */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images keep their text
    .replace(/`/g, '') // inline code keeps its content
    .replace(/<[^>]+>/g, '') // inline HTML tags
    .replace(/(\*\*|__|\*|~~)/g, '') // emphasis markers (a single _ inside a word is kept by GitHub)
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor the file's headings produce, with GitHub's -1, -2 … suffixes for repeated headings. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = githubSlug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links and images `[text](target "title")`, and reference definitions `[label]: target`. */
export function linksOf(markdown: string, file: string): Link[] {
  const links: Link[] = [];
  proseOf(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ file, line: index + 1, target: match[1]! });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(text);
    if (definition) links.push({ file, line: index + 1, target: definition[1]! });
  });
  return links;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** What is wrong with one link, or undefined when it resolves. */
function problemWith(link: Link, anchorsByFile: Map<string, Set<string>>): string | undefined {
  const hashAt = link.target.indexOf('#');
  const pathPart = hashAt < 0 ? link.target : link.target.slice(0, hashAt);
  const anchor = hashAt < 0 ? undefined : decodeURIComponent(link.target.slice(hashAt + 1));
  const targetFile = pathPart === '' ? link.file : resolve(dirname(link.file), decodeURIComponent(pathPart.split('?')[0]!));
  if (!targetFile.startsWith(root)) return `points outside the repository (${link.target})`;
  if (!existsSync(targetFile)) return `no such file or folder: ${relative(root, targetFile)}`;
  if (anchor === undefined || anchor === '') return undefined;
  if (!targetFile.endsWith('.md') || statSync(targetFile).isDirectory()) {
    return /^L\d+(-L\d+)?$/.test(anchor) ? undefined : `#${anchor} on a file that is not markdown`;
  }
  let anchors = anchorsByFile.get(targetFile);
  if (!anchors) {
    anchors = anchorsOf(readFileSync(targetFile, 'utf8'));
    anchorsByFile.set(targetFile, anchors);
  }
  return anchors.has(anchor) ? undefined : `no heading in ${relative(root, targetFile)} gives #${anchor}`;
}

describe('GitHub heading slugs', () => {
  test.each([
    ['Start here', 'start-here'],
    ['1.2 Money states of an allocation', '12-money-states-of-an-allocation'],
    ['`race_ratio`: where the time goes', 'race_ratio-where-the-time-goes'],
    ['Identity: Microsoft Entra ID', 'identity-microsoft-entra-id'],
    ['What it costs (order of magnitude)', 'what-it-costs-order-of-magnitude'],
    ['Deploying to AWS — in short', 'deploying-to-aws--in-short'],
  ])('%s → #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  test('repeated headings get -1, -2; headings inside code fences do not count', () => {
    const anchors = anchorsOf('# A\n## Notes\n```sh\n# not a heading\n```\n## Notes\n### Notes\n');
    expect([...anchors]).toEqual(['a', 'notes', 'notes-1', 'notes-2']);
  });

  test('links in code are skipped; inline, image and reference links are found', () => {
    const markdown = 'See [a](a.md#x) and ![p](p.png).\n`[no](no.md)`\n```\n[no](no.md)\n```\n[ref]: docs/r.md\n';
    expect(linksOf(markdown, 'f.md').map((l) => l.target)).toEqual(['a.md#x', 'p.png', 'docs/r.md']);
  });
});

describe('relative links in README.md and docs/*.md', () => {
  const files = markdownFiles();
  const anchorsByFile = new Map<string, Set<string>>();

  test('there are docs to check, and README.md links to docs/design.md', () => {
    expect(files.length).toBeGreaterThan(1);
    const readmeTargets = linksOf(readFileSync(join(root, 'README.md'), 'utf8'), join(root, 'README.md')).map((l) => l.target);
    expect(readmeTargets.some((t) => t.split('#')[0] === 'docs/design.md')).toBe(true);
  });

  test.each(files.map((file) => [relative(root, file), file]))('%s: every relative link and anchor resolves', (_name, file) => {
    const links = linksOf(readFileSync(file, 'utf8'), file).filter((link) => !isExternal(link.target));
    const problems = links
      .map((link) => {
        const problem = problemWith(link, anchorsByFile);
        return problem && `${relative(root, link.file)}:${link.line} [${link.target}]: ${problem}`;
      })
      .filter((p): p is string => p !== undefined);
    expect(problems).toEqual([]);
  });
});
