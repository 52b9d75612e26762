/**
 * Ingest: costed action plans in the intake area become submitted bids (DESIGN §7).
 *
 *   list intake → per file: read → SHA-256 → file record (by hash)
 *     → parse rows → per good row: claim its content (row-identity.ts; a row another file already
 *       turned into a bid is reported, not created) → claim (hash,row) → bid id, then create the
 *       bid under the deterministic request id ingest:<hash>:<row> (the claims come before the bid)
 *     → a created bid with the title and lead organisation of an earlier open bid of its year is
 *       reported as a possible correction of it (corrections.ts; neither bid is changed)
 *     → report beside the file → file record done → move the file to done/
 *
 * A crash anywhere is finished by the next run: the file is still in the intake, its record and
 * row claims say what was done, and a claimed row whose bid never got written is created under
 * the id it claimed. The same content (same hash) never creates a bid twice, and neither does
 * the same row sent again in a corrected file. Runs never overlap (the lease), which is what lets
 * a content claim left by a row that stopped before claiming its row record pass to another.
 */
import { createHash } from 'node:crypto';
import type { Actor, BidCreate } from '../../domain';
import type { AppLogger } from '../logger';
import type { IngestedFile, IngestedRow, SyncStore } from '../store/sync-store';
import { createBid } from '../use-cases/bid-commands';
import type { UseCaseDeps } from '../use-cases/deps';
import { correctionReason, KnownBids } from './corrections';
import { toCsv } from './csv-writer';
import { LeaseLostError } from './errors';
import type { FileArea } from './file-area';
import { parseIntake, type RowIssue } from './intake-rows';
import { intakeKind, readTable, UnreadableFileError } from './intake-table';
import { rowContentKeys } from './row-identity';

/** The service identity ingested bids are created by: finance may file for any organisation. */
export const SYNC_ACTOR: Actor = { sub: 'sync', roles: ['finance'] };

export const DONE_FOLDER = 'done';
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
      const report = await ingestFile(deps, entry.name, kind, known);
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

async function ingestFile(deps: IngestDeps, name: string, kind: 'csv' | 'xlsx', known: KnownBids): Promise<FileReport | undefined> {
  const { sync, intake, logger } = deps;
  const file = await intake.read(name);
  if (!file) return undefined; // gone since the listing
  const { bytes, version } = file;
  const hash = createHash('sha256').update(bytes).digest('hex');
  const base: FileReport = { ...fileReport(name, 'ingested'), hash };

  let record = await sync.getIngestedFile(hash);
  if (record?.state === 'done') {
    if (record.name === name) {
      // Ingested before; only the move to done/ was left (or the same file was dropped again).
      const moved = await moveToDone(deps, name, record.doneName, version);
      logger.info('intake file was already ingested; moved to done', { file: name, hash });
      return { ...base, outcome: 'already-ingested', rows: record.rows ?? 0, ...moved };
    }
    const doneName = await chooseDoneName(intake, name, hash);
    const issues: RowIssue[] = [
      {
        row: null,
        field: '(file)',
        value: '',
        reason: `the same content was ingested from ${record.name}${record.doneAt ? ` at ${record.doneAt}` : ''}; nothing was created again`,
      },
    ];
    const report = await writeReport(intake, doneName, issues);
    const moved = await moveToDone(deps, name, doneName, version);
    logger.warn('intake file is a copy of one already ingested; nothing created', { file: name, original: record.name, hash });
    return { ...base, outcome: 'duplicate', ...moved, report };
  }
  if (!record) {
    const fresh: IngestedFile = {
      hash,
      name,
      state: 'ingesting',
      doneName: await chooseDoneName(intake, name, hash),
      startedAt: deps.fund.now().toISOString(),
    };
    record = (await sync.startIngestedFile(fresh)) === 'started' ? fresh : await sync.getIngestedFile(hash);
    if (!record) throw new Error(`ingest record for ${name} (${hash}) vanished`);
  }

  const issues: RowIssue[] = [];
  const duplicates: RowIssue[] = [];
  const corrections: RowIssue[] = [];
  const created: string[] = [];
  let alreadyCreated = 0;
  let rowCount = 0;
  const years = new Set<string>();
  let outcome: FileOutcome = 'ingested';
  const parsed =
    bytes.byteLength > MAX_INTAKE_BYTES
      ? ({ ok: false, issues: [fileIssue(`the file is larger than ${MAX_INTAKE_BYTES / 1024 / 1024} MB`)] } as const)
      : await readTable(kind, bytes).then(parseIntake, (error: unknown) => {
          if (error instanceof UnreadableFileError) return { ok: false, issues: [fileIssue(error.message)] } as const;
          throw error;
        });
  if (!parsed.ok) {
    outcome = 'rejected-file';
    issues.push(...parsed.issues);
  } else {
    rowCount = parsed.rows.length;
    const claims = new Map((await sync.ingestedRows(hash)).map((r) => [r.row, r]));
    // This file's own bids are never "earlier": two rows of one plan may name the same project.
    const ownBids = new Set([...claims.values()].map((c) => c.bidId));
    const goodRows = parsed.rows.flatMap((r) => (r.ok ? [r] : []));
    const contentKeys = new Map(rowContentKeys(goodRows.map((r) => r.input)).map((key, i) => [goodRows[i]!.row, key]));
    let sinceLease = 0;
    for (const row of parsed.rows) {
      if (!row.ok) {
        issues.push(...row.issues);
        continue;
      }
      if (++sinceLease % 25 === 0) await deps.keepLease();
      const claim = claims.get(row.row);
      if (!claim) {
        const owner = await ensureContentOwner(deps, { contentKey: contentKeys.get(row.row)!, hash, row: row.row });
        if (owner.kind === 'duplicate') {
          duplicates.push({ row: row.row, field: '(duplicate)', value: owner.bidId, reason: owner.reason });
          continue;
        }
      }
      const result = await ensureRowBid(deps, { hash, name, row: row.row, input: row.input, claim });
      if (result.kind === 'rejected') {
        issues.push({ row: row.row, field: '(row)', value: '', reason: result.reason });
        continue;
      }
      years.add(row.input.fy);
      if (result.kind === 'created') created.push(result.bidId);
      else alreadyCreated++;
      ownBids.add(result.bidId);
      const earlier = await known.earlierBidsOf(row.input, ownBids);
      if (earlier.length > 0) {
        corrections.push({
          row: row.row,
          field: '(possible correction)',
          value: result.bidId,
          reason: correctionReason(result.bidId, row.input, earlier),
        });
        logger.warn('an ingested bid repeats the project of an earlier open bid: a corrected plan? both are kept', {
          file: name,
          row: row.row,
          bidId: result.bidId,
          earlier: earlier.map((b) => b.id),
        });
      }
      await known.add({ id: result.bidId, status: 'submitted', ...row.input });
    }
  }

  const rejectedRows = new Set(issues.flatMap((i) => (i.row === null ? [] : [i.row]))).size;
  const reported = [...issues, ...duplicates, ...corrections].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const report = reported.length > 0 ? await writeReport(intake, record.doneName, reported) : undefined;
  await sync.finishIngestedFile(hash, {
    rows: rowCount,
    created: created.length + alreadyCreated,
    rejected: rejectedRows,
    doneAt: deps.fund.now().toISOString(),
  });
  const moved = await moveToDone(deps, name, record.doneName, version);
  logger.info('intake file ingested', {
    file: name,
    hash,
    outcome,
    rows: rowCount,
    created: created.length,
    alreadyCreated,
    rejectedRows,
    duplicateRows: duplicates.length,
    possibleCorrections: corrections.length,
  });
  return {
    ...base,
    outcome,
    rows: rowCount,
    created,
    alreadyCreated,
    rejectedRows,
    duplicateRows: duplicates.length,
    possibleCorrections: corrections.length,
    ...moved,
    ...(report ? { report } : {}),
    years: [...years],
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
    const state = ownerRow.state === 'created' ? `bid ${ownerRow.bidId}` : `bid ${ownerRow.bidId}, still being ingested`;
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
  row: { hash: string; name: string; row: number; input: BidCreate; claim: IngestedRow | undefined },
): Promise<RowResult> {
  const { fund, sync } = deps;
  const requestId = `ingest:${row.hash}:${row.row}`;
  const ctx = { actor: SYNC_ACTOR, requestId, source: { file: row.name, row: row.row } };
  let claim = row.claim;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (claim?.state === 'created') return { kind: 'already-created', bidId: claim.bidId };
    let result;
    if (claim) {
      // An earlier run chose this row's bid id; its bid may or may not have been written.
      const earlier = await fund.store.readBid(claim.bidId);
      if (earlier) {
        await fund.store.recordEvents(earlier.unrecorded);
        await sync.markIngestedRowCreated(row.hash, row.row);
        return { kind: 'created', bidId: claim.bidId };
      }
      result = await createBid(fund, row.input, { ...ctx, reuseBidId: claim.bidId });
    } else {
      try {
        result = await createBid(fund, row.input, {
          ...ctx,
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
    await sync.markIngestedRowCreated(row.hash, row.row);
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
    issues.map((i) => [i.row === null ? '(whole file)' : { count: i.row }, i.field, i.value, i.reason]),
  );
  await intake.write(path, csv, 'text/csv; charset=utf-8');
  return path;
}
