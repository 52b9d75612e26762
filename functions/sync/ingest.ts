/**
 * Ingest: costed action plans in the intake area become submitted bids (docs/design.md §7).
 *
 *   list intake → per file (ingestFile), four steps:
 *     readAndHash: read → SHA-256
 *     → knownFile: the file record (by hash) says done under this name (only the move to done/ was
 *       left: move it), done under another name (a copy: report, move, create nothing), or
 *       ingesting (an interrupted run: resume it); no record: choose the done/ name, start one
 *     → ingestRows: parse rows → per good row (ingestRow): claim its content (row-identity.ts; a
 *       row another file already turned into a bid is reported, not created) → claim (hash,row)
 *       → bid id, then create the bid under the deterministic request id ingest:<hash>:<row> (the
 *       claims come before the bid) → a created bid with the title and lead organisation of an
 *       earlier open bid of its year is reported as a possible correction of it (corrections.ts;
 *       neither bid is changed)
 *     → finishFile: report beside the file → file record done → move the file to done/
 *
 * A file whose header names Bid ID and Quarter holds monitoring returns instead (intake-returns.ts):
 * each return is filed under the request id ingest:<hash>:<first row>, so a re-run files nothing
 * twice (docs/design.md §1.4).
 *
 * A crash anywhere is finished by the next run: the file is still in the intake, its record and
 * row claims say what was done, and a claimed row whose bid never got written is created under
 * the id it claimed. The same content (same hash) never creates a bid twice, and neither does
 * the same row sent again in a corrected file. Runs never overlap (the lease), which is what lets
 * a content claim left by a row that stopped before claiming its row record pass to another.
 */
import { createHash } from 'node:crypto';
import { printableText, type Actor, type BidCreate } from '../../domain';
import type { AppLogger } from '../logger';
import type { IngestedFile, IngestedRow, SyncStore } from '../store/sync-store';
import { createBid, type PreparedYear } from '../use-cases/bid-commands';
import { costShareOf } from '../use-cases/change-bid';
import { fileMonitoringReturn } from '../use-cases/monitoring-returns';
import type { UseCaseDeps } from '../use-cases/deps';
import { correctionReason, KnownBids } from './corrections';
import { toCsv } from './csv-writer';
import { LeaseLostError } from './errors';
import type { FileArea } from './file-area';
import { parseIntake, type ParsedFile, type ParsedRow, type RowIssue } from './intake-rows';
import { intakeNameProblem, setAsideName } from './intake-name';
import { isReturnsFile, parseReturnsIntake, type ParsedReturns } from './intake-returns';
import { intakeKind, readTable, UnreadableFileError, type IntakeKind } from './intake-table';
import { rowContentKeys } from './row-identity';

/** The service identity ingested bids are created by: finance may file for any organisation. */
export const SYNC_ACTOR: Actor = { sub: 'sync', roles: ['finance'] };

export const DONE_FOLDER = 'done';
/**
 * Good rows of one file ingested at once. Each row is crash-safe on its own (its claims come
 * before its bid) and a file's rows have distinct content keys (row-identity.ts numbers repeats),
 * so rows of one file do not wait for each other; files still go one at a time.
 */
export const INGEST_ROWS_IN_FLIGHT = 8;
/** Bid ids reserved per store call while a file is ingested (one counter update, not one a row). */
const BID_ID_BLOCK = 100;
/** Files larger than this are refused whole (a costed action plan is a few KB). */
export const MAX_INTAKE_BYTES = 10 * 1024 * 1024;

export interface IngestDeps {
  fund: UseCaseDeps;
  sync: SyncStore;
  intake: FileArea;
  logger: AppLogger;
  /** Called between files and every few rows: renews the lease, throws if it was lost. */
  keepLease: () => Promise<void>;
}

export interface IngestOptions {
  /** Leave files modified less than this long ago (a local copy may still be being written). */
  settleMs?: number;
}

export type FileOutcome = 'ingested' | 'already-ingested' | 'duplicate' | 'rejected-file' | 'waiting' | 'failed';

export interface FileReport {
  name: string;
  hash?: string;
  outcome: FileOutcome;
  /** Data rows in the file. */
  rows: number;
  /** Bids created by this run (including rows an interrupted run had started). */
  created: string[];
  /** Rows whose bids an earlier run had already created. */
  alreadyCreated: number;
  /** For a returns file: the returns filed, as "<bid id> <quarter>". */
  returnsFiled?: string[];
  rejectedRows: number;
  /** Good rows not created because another file's row already asked for the same bid. */
  duplicateRows: number;
  /** Created bids that repeat the project of an earlier open bid (a corrected plan, most likely). */
  possibleCorrections: number;
  /** Where the file and its report went. */
  movedTo?: string;
  report?: string;
  /** Financial years the file's bids belong to. */
  years: string[];
  /** Why the file failed (it stays in the intake; the next run takes it again). */
  error?: string;
  /** Anything else a person should know (the file was saved again while it was ingested). */
  note?: string;
}

export interface IngestReport {
  files: FileReport[];
  created: number;
  rejectedRows: number;
  duplicateRows: number;
  possibleCorrections: number;
}

const fileReport = (name: string, outcome: FileOutcome): FileReport => ({
  name,
  outcome,
  rows: 0,
  created: [],
  alreadyCreated: 0,
  rejectedRows: 0,
  duplicateRows: 0,
  possibleCorrections: 0,
  years: [],
});

class RowTakenError extends Error {
  constructor(readonly existing: IngestedRow) {
    super('row already claimed');
  }
}

export async function ingestIntake(deps: IngestDeps, options: IngestOptions = {}): Promise<IngestReport> {
  const now = deps.fund.now().getTime();
  const entries = await deps.intake.list('');
  const files: FileReport[] = [];
  const known = new KnownBids((fy) => deps.fund.store.bidsOfYear(fy));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('~$')) continue;
    const kind = intakeKind(entry.name);
    if (!kind) {
      deps.logger.warn('intake file ignored: only .csv and .xlsx are taken', { file: entry.name });
      continue;
    }
    if (options.settleMs && now - entry.modifiedAt.getTime() < options.settleMs) {
      files.push(fileReport(entry.name, 'waiting'));
      continue;
    }
    await deps.keepLease();
    try {
      const nameProblem = intakeNameProblem(entry.name);
      const report = nameProblem ? await setAside(deps, entry.name, nameProblem) : await ingestFile(deps, entry.name, kind, known);
      if (report) files.push(report);
    } catch (error) {
      // One file's failure (the store, the bucket, a bug) must not hold up the others, reconcile
      // or export. Whatever it did is recorded, so the next run finishes it.
      if (error instanceof LeaseLostError) throw error;
      deps.logger.error('intake file failed; it stays in the intake for the next run', { file: entry.name, error: String(error) });
      const message = error instanceof Error ? error.message : String(error);
      files.push({ ...fileReport(entry.name, 'failed'), error: message });
    }
  }
  return {
    files,
    created: files.reduce((sum, f) => sum + f.created.length, 0),
    rejectedRows: files.reduce((sum, f) => sum + f.rejectedRows, 0),
    duplicateRows: files.reduce((sum, f) => sum + f.duplicateRows, 0),
    possibleCorrections: files.reduce((sum, f) => sum + f.possibleCorrections, 0),
  };
}

/**
 * A file whose name the sync will not carry into done/ and its reports as is: moved to done/ under
 * a safe name beside a report saying why, so it is reported once rather than failing every run.
 */
async function setAside(deps: IngestDeps, name: string, problem: string): Promise<FileReport> {
  const { intake, logger } = deps;
  const safe = setAsideName(name);
  const doneName = (await intake.exists(`${DONE_FOLDER}/${safe}`)) ? `${deps.fund.now().getTime()}.${safe}` : safe;
  const report = await writeReport(intake, doneName, [{ row: null, field: '(file name)', value: name, reason: problem }]);
  const moved = await moveToDone(deps, name, doneName, undefined);
  logger.warn('intake file refused for its name; set aside in done/ with a report', { file: printableText(name), movedTo: moved.movedTo });
  return { ...fileReport(name, 'rejected-file'), ...moved, report };
}

/** An intake file as read: its bytes, the version the move to done/ is conditional on, its hash. */
interface IntakeFile {
  name: string;
  kind: IntakeKind;
  bytes: Uint8Array;
  version: string | undefined;
  hash: string;
  /** The report's common fields, before the outcome is known. */
  base: FileReport;
}

/** One file, in four steps: read and hash; what its record says; its rows; report, record done, move. */
async function ingestFile(deps: IngestDeps, name: string, kind: IntakeKind, known: KnownBids): Promise<FileReport | undefined> {
  const file = await readAndHash(deps.intake, name, kind);
  if (!file) return undefined; // gone since the listing
  const seen = await knownFile(deps, file);
  if (seen.kind === 'settled') return seen.report; // already ingested, or a copy of a file that was
  const rows = await ingestRows(deps, file, known);
  return finishFile(deps, file, seen.record, rows);
}

async function readAndHash(intake: FileArea, name: string, kind: IntakeKind): Promise<IntakeFile | undefined> {
  const file = await intake.read(name);
  if (!file) return undefined;
  const hash = createHash('sha256').update(file.bytes).digest('hex');
  return { name, kind, bytes: file.bytes, version: file.version, hash, base: { ...fileReport(name, 'ingested'), hash } };
}

/** Settled: the file needed no ingesting (its report says why). Ingest: the record to ingest under. */
type KnownFile = { kind: 'settled'; report: FileReport } | { kind: 'ingest'; record: IngestedFile };

/**
 * What the file record (by hash) says. Done under this name: only the move to done/ was left.
 * Done under another name: a copy, reported and moved, nothing created. Otherwise the record to
 * ingest under: a new one, or the one an interrupted run left (it is resumed).
 */
async function knownFile(deps: IngestDeps, file: IntakeFile): Promise<KnownFile> {
  const { sync, intake, logger } = deps;
  const { name, hash } = file;
  const record = await sync.getIngestedFile(hash);
  if (record?.state === 'done') {
    if (record.name !== name) return { kind: 'settled', report: await ingestedElsewhere(deps, file, record) };
    // Ingested before; only the move to done/ was left (or the same file was dropped again).
    const moved = await moveToDone(deps, name, record.doneName, file.version);
    logger.info('intake file was already ingested; moved to done', { file: name, hash });
    return { kind: 'settled', report: { ...file.base, outcome: 'already-ingested', rows: record.rows ?? 0, ...moved } };
  }
  if (record) return { kind: 'ingest', record };
  const fresh: IngestedFile = {
    hash,
    name,
    state: 'ingesting',
    doneName: await chooseDoneName(intake, name, hash),
    startedAt: deps.fund.now().toISOString(),
  };
  const started = (await sync.startIngestedFile(fresh)) === 'started' ? fresh : await sync.getIngestedFile(hash);
  if (!started) throw new Error(`ingest record for ${name} (${hash}) vanished`);
  return { kind: 'ingest', record: started };
}

/** The same content was ingested from another file: report that beside it, move it, create nothing. */
async function ingestedElsewhere(deps: IngestDeps, file: IntakeFile, original: IngestedFile): Promise<FileReport> {
  const { intake, logger } = deps;
  const doneName = await chooseDoneName(intake, file.name, file.hash);
  const at = original.doneAt ? ` at ${original.doneAt}` : '';
  const issues = [fileIssue(`the same content was ingested from ${original.name}${at}; nothing was created again`)];
  const report = await writeReport(intake, doneName, issues);
  const moved = await moveToDone(deps, file.name, doneName, file.version);
  logger.warn('intake file is a copy of one already ingested; nothing created', {
    file: file.name,
    original: original.name,
    hash: file.hash,
  });
  return { ...file.base, outcome: 'duplicate', ...moved, report };
}

/** What a file's rows came to. */
interface RowsIngested {
  outcome: 'ingested' | 'rejected-file';
  /** Data rows in the file. */
  rows: number;
  issues: RowIssue[];
  duplicates: RowIssue[];
  corrections: RowIssue[];
  created: string[];
  alreadyCreated: number;
  returnsFiled?: string[];
  years: Set<string>;
}

type GoodRow = Extract<ParsedRow, { ok: true }>;

/** Where a good row is ingested: its file, what earlier runs claimed, the bids it may repeat. */
interface RowContext {
  file: IntakeFile;
  claims: ReadonlyMap<number, IngestedRow>;
  contentKeys: ReadonlyMap<number, string>;
  /** This file's own bids are never "earlier": two rows of one plan may name the same project. */
  ownBids: Set<string>;
  known: KnownBids;
  /** The year registered and its cost share read, once per file (not once per row). */
  prepareYear: (fy: string) => Promise<PreparedYear>;
  /** A new bid id from the file's reserved blocks. */
  drawId: () => Promise<string>;
}

/** Parse the file and make each good row its one bid (row claims first), in row order. */
async function ingestRows(deps: IngestDeps, file: IntakeFile, known: KnownBids): Promise<RowsIngested> {
  const tally = emptyTally();
  const content = await parseFile(file);
  if (content.kind === 'returns') return ingestReturns(deps, file, content.parsed, tally);
  const parsed = content.parsed;
  if (!parsed.ok) return { ...tally, outcome: 'rejected-file', issues: [...parsed.issues] };
  tally.rows = parsed.rows.length;
  const claims = new Map((await deps.sync.ingestedRows(file.hash)).map((r) => [r.row, r]));
  const goodRows = parsed.rows.flatMap((r) => (r.ok ? [r] : []));
  const contentKeys = new Map(rowContentKeys(goodRows.map((r) => r.input)).map((key, i) => [goodRows[i]!.row, key]));
  const years = new Map<string, Promise<PreparedYear>>();
  const prepareYear = (fy: string): Promise<PreparedYear> => {
    let prepared = years.get(fy);
    if (!prepared) {
      // createBid still registers the year before its first bid (docs/design.md §7), once.
      prepared = (async () => {
        const [costShare, close] = await Promise.all([costShareOf(deps.fund.store, fy), deps.fund.store.getYearClose(fy)]);
        let registered: Promise<void> | undefined;
        // A closed year's rows are rejected like other bad rows (docs/design.md §3.1).
        return { costShare, closed: close !== undefined, register: () => (registered ??= deps.fund.store.registerYear(fy)) };
      })();
      years.set(fy, prepared);
    }
    return prepared;
  };
  const at: RowContext = {
    file,
    claims,
    contentKeys,
    ownBids: new Set([...claims.values()].map((c) => c.bidId)),
    known,
    prepareYear,
    drawId: idPool(deps.fund.store, goodRows.length - claims.size),
  };
  for (const row of parsed.rows) if (!row.ok) tally.issues.push(...row.issues);
  const outcomes = new Map<number, RowsIngested>();
  let sinceLease = 0;
  await settledInParallel(goodRows, INGEST_ROWS_IN_FLIGHT, async (row) => {
    if (++sinceLease % 25 === 0) await deps.keepLease();
    const outcome = emptyTally();
    outcomes.set(row.row, outcome);
    await ingestRow(deps, at, row, outcome);
  });
  // Folded in row order, so the report reads as the file does.
  for (const row of goodRows) {
    const outcome = outcomes.get(row.row);
    if (!outcome) continue;
    tally.issues.push(...outcome.issues);
    tally.duplicates.push(...outcome.duplicates);
    tally.corrections.push(...outcome.corrections);
    tally.created.push(...outcome.created);
    tally.alreadyCreated += outcome.alreadyCreated;
    for (const fy of outcome.years) tally.years.add(fy);
  }
  return tally;
}

/**
 * New bid ids drawn from blocks reserved in one store call each, at most `rows` in all. A crash
 * leaves a block's undrawn ids unused, as a lost id race does (ids only need to be unique).
 */
function idPool(store: UseCaseDeps['store'], rows: number): () => Promise<string> {
  const block: string[] = [];
  let left = Math.max(1, rows);
  let reserving: Promise<void> | undefined;
  return async () => {
    while (block.length === 0) {
      reserving ??= store
        .reserveBidIds(Math.max(1, Math.min(BID_ID_BLOCK, left)))
        .then((ids) => {
          block.push(...ids);
        })
        .finally(() => (reserving = undefined));
      await reserving;
    }
    left--;
    return block.shift() as string;
  };
}

const emptyTally = (): RowsIngested => ({
  outcome: 'ingested',
  rows: 0,
  issues: [],
  duplicates: [],
  corrections: [],
  created: [],
  alreadyCreated: 0,
  years: new Set(),
});

/**
 * `work` over `items`, `concurrency` at a time; after a failure no new item starts, and the
 * failure is thrown only once every started item has finished, so a failed run never leaves rows
 * running beside the next run (runs never overlap: the lease, docs/design.md §7).
 */
async function settledInParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
}

type FileContent =
  | { kind: 'bids'; parsed: ParsedFile }
  | { kind: 'returns'; parsed: { ok: true; parsed: ParsedReturns } | { ok: false; issues: RowIssue[] } };

async function parseFile(file: IntakeFile): Promise<FileContent> {
  if (file.bytes.byteLength > MAX_INTAKE_BYTES) {
    return { kind: 'bids', parsed: { ok: false, issues: [fileIssue(`the file is larger than ${MAX_INTAKE_BYTES / 1024 / 1024} MB`)] } };
  }
  return readTable(file.kind, file.bytes).then(
    (tables): FileContent =>
      isReturnsFile(tables) ? { kind: 'returns', parsed: parseReturnsIntake(tables) } : { kind: 'bids', parsed: parseIntake(tables) },
    (error: unknown): FileContent => {
      if (error instanceof UnreadableFileError) return { kind: 'bids', parsed: { ok: false, issues: [fileIssue(error.message)] } };
      throw error;
    },
  );
}

/** A returns file: file each good return (the sync acts as finance), report the rest like bid rows. */
async function ingestReturns(
  deps: IngestDeps,
  file: IntakeFile,
  content: { ok: true; parsed: ParsedReturns } | { ok: false; issues: RowIssue[] },
  tally: RowsIngested,
): Promise<RowsIngested> {
  if (!content.ok) return { ...tally, outcome: 'rejected-file', issues: [...content.issues] };
  const { filings, issues, rows } = content.parsed;
  const done: RowsIngested = { ...tally, rows, issues: [...issues], returnsFiled: [] };
  for (const filing of filings) {
    await deps.keepLease();
    const result = await fileMonitoringReturn(deps.fund, filing.bidId, filing.quarter, filing.input, {
      actor: SYNC_ACTOR,
      requestId: `ingest:${file.hash}:${filing.rows[0]}`,
    });
    if (result.ok) {
      done.returnsFiled!.push(`${filing.bidId} ${filing.quarter}`);
      done.years.add(result.value.monitoringReturn.fy);
    } else {
      for (const row of filing.rows)
        done.issues.push({ row, field: '(return)', value: `${filing.bidId} ${filing.quarter}`, reason: result.error.message });
    }
  }
  return done;
}

/** One good row: claim its content (unless an earlier run did), then its bid; tally the result. */
async function ingestRow(deps: IngestDeps, at: RowContext, row: GoodRow, tally: RowsIngested): Promise<void> {
  const { hash, name } = at.file;
  const claim = at.claims.get(row.row);
  if (!claim) {
    const owner = await ensureContentOwner(deps, { contentKey: at.contentKeys.get(row.row)!, hash, row: row.row });
    if (owner.kind === 'duplicate') {
      tally.duplicates.push({ row: row.row, field: '(duplicate)', value: owner.bidId, reason: owner.reason });
      return;
    }
  }
  const prepared = await at.prepareYear(row.input.fy);
  const result = await ensureRowBid(deps, { hash, name, row: row.row, input: row.input, claim, prepared, drawId: at.drawId });
  if (result.kind === 'rejected') {
    tally.issues.push({ row: row.row, field: '(row)', value: '', reason: result.reason });
    return;
  }
  tally.years.add(row.input.fy);
  if (result.kind === 'created') tally.created.push(result.bidId);
  else tally.alreadyCreated++;
  at.ownBids.add(result.bidId);
  await noteCorrection(deps, at, row, result.bidId, tally);
}

/** A bid with the title and lead organisation of an earlier open bid of its year is reported, not changed. */
async function noteCorrection(deps: IngestDeps, at: RowContext, row: GoodRow, bidId: string, tally: RowsIngested): Promise<void> {
  const earlier = await at.known.earlierBidsOf(row.input, at.ownBids);
  if (earlier.length > 0) {
    tally.corrections.push({
      row: row.row,
      field: '(possible correction)',
      value: bidId,
      reason: correctionReason(bidId, row.input, earlier),
    });
    deps.logger.warn('an ingested bid repeats the project of an earlier open bid: a corrected plan? both are kept', {
      file: at.file.name,
      row: row.row,
      bidId,
      earlier: earlier.map((b) => b.id),
    });
  }
  await at.known.add({ id: bidId, status: 'submitted', ...row.input });
}

/** Report beside the file (when there is anything to say), record the file done, move it to done/. */
async function finishFile(deps: IngestDeps, file: IntakeFile, record: IngestedFile, rows: RowsIngested): Promise<FileReport> {
  const { name, hash } = file;
  const rejectedRows = new Set(rows.issues.flatMap((i) => (i.row === null ? [] : [i.row]))).size;
  const reported = [...rows.issues, ...rows.duplicates, ...rows.corrections].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const report = reported.length > 0 ? await writeReport(deps.intake, record.doneName, reported) : undefined;
  await deps.sync.finishIngestedFile(hash, {
    rows: rows.rows,
    created: rows.created.length + rows.alreadyCreated,
    rejected: rejectedRows,
    doneAt: deps.fund.now().toISOString(),
  });
  const moved = await moveToDone(deps, name, record.doneName, file.version);
  const counts = {
    rows: rows.rows,
    created: rows.created.length,
    alreadyCreated: rows.alreadyCreated,
    rejectedRows,
    duplicateRows: rows.duplicates.length,
    possibleCorrections: rows.corrections.length,
  };
  deps.logger.info('intake file ingested', { file: name, hash, outcome: rows.outcome, ...counts });
  return {
    ...file.base,
    outcome: rows.outcome,
    ...counts,
    created: rows.created,
    ...(rows.returnsFiled ? { returnsFiled: rows.returnsFiled } : {}),
    ...moved,
    ...(report ? { report } : {}),
    years: [...rows.years],
  };
}

/**
 * Move the file as read to done/. If it was saved again since it was read, the new version is
 * left in the intake: it is new content (a new hash), so the next run ingests it.
 */
async function moveToDone(
  deps: IngestDeps,
  name: string,
  doneName: string,
  version: string | undefined,
): Promise<Pick<FileReport, 'movedTo' | 'note'>> {
  const movedTo = `${DONE_FOLDER}/${doneName}`;
  if ((await deps.intake.move(name, movedTo, version)) === 'moved') return { movedTo };
  deps.logger.warn('intake file was saved again while it was being ingested; the new version is left for the next run', { file: name });
  return { note: 'the file was saved again while it was being ingested: the new version stays in the intake for the next run' };
}

function fileIssue(reason: string): RowIssue {
  return { row: null, field: '(file)', value: '', reason };
}

type ContentOwnership = { kind: 'owner' } | { kind: 'duplicate'; bidId: string; reason: string };

/**
 * Make this row the owner of its content, unless a row of another file already asked for the
 * same bid: then say which, so the person reading the report can find it.
 */
async function ensureContentOwner(deps: IngestDeps, row: { contentKey: string; hash: string; row: number }): Promise<ContentOwnership> {
  const { sync } = deps;
  const claimed = await sync.claimRowContent(row);
  if (claimed.kind === 'claimed') return { kind: 'owner' };
  const owner = claimed.existing;
  if (owner.hash === row.hash && owner.row === row.row) return { kind: 'owner' }; // our own, before a crash
  const ownerRow = await sync.getIngestedRow(owner.hash, owner.row);
  if (ownerRow) {
    const ownerFile = await sync.getIngestedFile(owner.hash);
    const from = `row ${owner.row} of ${ownerFile?.name ?? 'an earlier file'}`;
    const state = ownerFile?.state === 'done' ? `bid ${ownerRow.bidId}` : `bid ${ownerRow.bidId}, still being ingested`;
    return { kind: 'duplicate', bidId: ownerRow.bidId, reason: `the same bid as ${from} (${state}); not created again` };
  }
  // Its owner stopped before claiming its row record (a crash) and, the lease being ours, is not
  // running now: the content passes to this row. If that file is ingested later, it is its
  // rows that are reported as duplicates.
  if (await sync.takeRowContent(row.contentKey, owner, row)) return { kind: 'owner' };
  throw new LeaseLostError();
}

type RowResult = { kind: 'created' | 'already-created'; bidId: string } | { kind: 'rejected'; reason: string };

/** One good row → exactly one bid, however many times this runs and wherever the last run stopped. */
async function ensureRowBid(
  deps: IngestDeps,
  row: {
    hash: string;
    name: string;
    row: number;
    input: BidCreate;
    claim: IngestedRow | undefined;
    prepared: PreparedYear;
    drawId: () => Promise<string>;
  },
): Promise<RowResult> {
  const { fund, sync } = deps;
  const requestId = `ingest:${row.hash}:${row.row}`;
  const ctx = { actor: SYNC_ACTOR, requestId, source: { file: row.name, row: row.row }, prepared: row.prepared };
  let claim = row.claim;
  for (let attempt = 0; attempt < 3; attempt++) {
    let result;
    if (claim) {
      // An earlier run chose this row's bid id; its bid may or may not have been written. Its
      // create event waits in the bid's outbox until reconcile copies it (docs/design.md §3).
      if (await fund.store.readBid(claim.bidId)) return { kind: 'already-created', bidId: claim.bidId };
      result = await createBid(fund, row.input, { ...ctx, reuseBidId: claim.bidId });
    } else {
      try {
        result = await createBid(fund, row.input, {
          ...ctx,
          drawId: row.drawId,
          onIdChosen: async (bidId) => {
            const outcome = await sync.claimIngestedRow({ hash: row.hash, row: row.row, requestId, bidId });
            if (outcome.kind === 'taken') throw new RowTakenError(outcome.existing);
          },
        });
      } catch (error) {
        if (!(error instanceof RowTakenError)) throw error;
        claim = error.existing; // another run claimed it first (the id we drew stays unused)
        continue;
      }
    }
    if (!result.ok) return { kind: 'rejected', reason: result.error.message };
    return { kind: 'created', bidId: result.value.id };
  }
  throw new Error(`row ${row.row} of ${row.name} could not be settled`);
}

/** done/<name>, unless a different file already has that name there: then done/<name>.<hash>.<ext>. */
async function chooseDoneName(intake: FileArea, name: string, hash: string): Promise<string> {
  if (!(await intake.exists(`${DONE_FOLDER}/${name}`))) return name;
  const dot = name.lastIndexOf('.');
  return `${name.slice(0, dot)}.${hash.slice(0, 12)}${name.slice(dot)}`;
}

async function writeReport(intake: FileArea, doneName: string, issues: readonly RowIssue[]): Promise<string> {
  const path = `${DONE_FOLDER}/${doneName}.rejected.csv`;
  const csv = toCsv(
    ['Row', 'Field', 'Value', 'Reason'],
    // Values are copied from the file: control characters are written as visible escapes.
    issues.map((i) => [i.row === null ? '(whole file)' : { count: i.row }, i.field, printableText(i.value), printableText(i.reason)]),
  );
  await intake.write(path, csv, 'text/csv; charset=utf-8');
  return path;
}
