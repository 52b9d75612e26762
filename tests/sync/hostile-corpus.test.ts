/**
 * The hostile-xlsx corpus (tests/corpus/xlsx/, made by make-corpus.ts) dropped into the intake
 * beside a good plan and taken by one real sync run: every hostile file is refused whole with the
 * reason its manifest expects, each within 2 s and without growing the process by 200 MB, and
 * the good plan is still ingested in the same run.
 *
 * Per file, the time runs from the sync reading the file to moving it to done/ (the intake area
 * is wrapped to see both). Memory: the heap used, and the process's peak RSS (its high-water
 * mark) above the RSS when the file was read, whenever the file raised that mark.
 */
import { parse } from 'csv-parse/sync';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileArea } from '../../functions/sync/file-area';
import { LocalFileArea } from '../../functions/sync/local-file-area';
import { writeXlsx } from '../../functions/sync/xlsx/write-xlsx';
import { completed, HEADER, startSyncHarness, type SyncHarness } from './harness';

const CORPUS = join(__dirname, '..', 'corpus', 'xlsx');
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { file: string; tries: string; expected: string }[];

/**
 * The 2 s budget per file is checked on this process's CPU time, not wall time: on a shared
 * machine (CI, or other jobs beside the suite) wall time measures the neighbours. Wall time is
 * printed beside it.
 */
const MAX_MS = 2_000;
const MAX_GROWTH = 200 * 1024 * 1024;

interface Measured {
  /** Wall time from read to move. */
  ms: number;
  /** This process's CPU time (user + system) over the same span. */
  cpuMs: number;
  heapGrowth: number;
  rssPeakGrowth: number;
}

/** The intake area, timing and measuring each top-level file from its read to its move to done/. */
function measuredIntake(inner: FileArea, measured: Map<string, Measured>): FileArea {
  const started = new Map<string, { at: number; cpu: NodeJS.CpuUsage; heap: number; rss: number; maxRss: number }>();
  const maxRss = () => process.resourceUsage().maxRSS * 1024;
  return {
    list: (folder) => inner.list(folder),
    exists: (path) => inner.exists(path),
    write: (path, body, type) => inner.write(path, body, type),
    read: async (path) => {
      if (!path.includes('/')) {
        const { heapUsed, rss } = process.memoryUsage();
        started.set(path, { at: performance.now(), cpu: process.cpuUsage(), heap: heapUsed, rss, maxRss: maxRss() });
      }
      return inner.read(path);
    },
    move: async (from, to, ifVersion) => {
      const result = await inner.move(from, to, ifVersion);
      const start = started.get(from);
      if (start) {
        const peak = maxRss();
        measured.set(from, {
          ms: performance.now() - start.at,
          cpuMs: ((cpu) => (cpu.user + cpu.system) / 1000)(process.cpuUsage(start.cpu)),
          heapGrowth: process.memoryUsage().heapUsed - start.heap,
          rssPeakGrowth: peak > start.maxRss ? peak - start.rss : 0,
        });
      }
      return result;
    },
  };
}

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
  mkdirSync(h.intakeDir, { recursive: true });
});
afterAll(() => h.stop());

const goodPlan = () =>
  writeXlsx(
    [
      {
        name: 'Plan',
        columns: HEADER.split(',').map((header) => ({ header, width: 12 })),
        rows: [['Corpus neighbour', 'shropshire', 'alliance', 'rural', null, '2025/26', { number: 1234.5 }, 'beside the hostile files']],
      },
    ],
    { creator: 'test', created: new Date('2026-01-01T00:00:00Z') },
  );

test('the corpus has at least 30 files, each in the manifest with what it tries and the reason expected', () => {
  expect(manifest.length).toBeGreaterThanOrEqual(30);
  for (const entry of manifest) {
    expect(entry.tries).not.toBe('');
    expect(entry.expected).not.toBe('');
    expect(readFileSync(join(CORPUS, entry.file)).length).toBeLessThanOrEqual(32 * 1024);
  }
});

test('every hostile file is refused with its reason, quickly and in bounded memory; the good plan beside them is ingested', async () => {
  for (const entry of manifest) writeFileSync(join(h.intakeDir, entry.file), readFileSync(join(CORPUS, entry.file)));
  writeFileSync(join(h.intakeDir, 'zz-good-plan.xlsx'), goodPlan());
  const measured = new Map<string, Measured>();
  const intake = measuredIntake(new LocalFileArea(h.intakeDir), measured);

  const result = completed(await h.run({}, {}, { intake }));

  const byName = new Map(result.ingest.files.map((f) => [f.name, f]));
  expect(byName.get('zz-good-plan.xlsx')).toMatchObject({ outcome: 'ingested', rows: 1, created: [expect.any(String)] });
  expect((await h.store.bidsOfYear('2025/26')).map((b) => [b.title, b.requestedPence])).toEqual([['Corpus neighbour', 123_450]]);

  const rows = manifest.map(({ file, expected }) => {
    const report = byName.get(file);
    const reason = report?.report
      ? ((parse(readFileSync(join(h.intakeDir, report.report)), { bom: true }) as string[][])[1]?.[3] ?? '')
      : '';
    return { file, outcome: report?.outcome, created: report?.created.length, reason, expected, ...measured.get(file) };
  });
  const mb = (bytes: number | undefined) => ((bytes ?? 0) / 1024 / 1024).toFixed(1);
  console.log(
    rows
      .map(
        (r) =>
          `${r.file.padEnd(34)} ${String(Math.round(r.cpuMs ?? -1)).padStart(5)} ms CPU ${String(Math.round(r.ms ?? -1)).padStart(5)} ms wall  heap ${mb(r.heapGrowth).padStart(6)} MB  peak RSS +${mb(r.rssPeakGrowth)} MB  ${r.reason}`,
      )
      .join('\n'),
  );
  for (const r of rows) {
    expect({ file: r.file, outcome: r.outcome, created: r.created, reasonMatches: r.reason.includes(r.expected) }).toEqual({
      file: r.file,
      outcome: 'rejected-file',
      created: 0,
      reasonMatches: true,
    });
    expect({ file: r.file, measured: r.ms !== undefined }).toEqual({ file: r.file, measured: true });
    expect({ file: r.file, withinTime: (r.cpuMs ?? Infinity) <= MAX_MS }).toEqual({ file: r.file, withinTime: true });
    expect({ file: r.file, heapUnder: (r.heapGrowth ?? 0) < MAX_GROWTH, rssUnder: (r.rssPeakGrowth ?? 0) < MAX_GROWTH }).toEqual({
      file: r.file,
      heapUnder: true,
      rssUnder: true,
    });
  }
}, 120_000);
