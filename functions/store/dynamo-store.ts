/**
 * The DynamoDB adapter of the store port: single table, ledger item per (FY, funder) as the
 * consistency boundary for money (DESIGN §3). Every money movement is one conditional
 * UpdateItem on one ledger; no multi-item transactions (dynalite has none, and single-item
 * writes never fail on transaction conflicts).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Bid, BudgetEvent, FunderId, Pence } from '../../domain';
import { decodeCursor, encodeCursor } from './cursor';
import { StoreUnavailableError } from './errors';
import { formatBidId, keys } from './keys';
import { itemKeyString, TableAccess, type Item } from './table-access';
import { BIDS_BY_FY_INDEX } from './table-schema';
import type {
  BidListQuery,
  BidVersionRef,
  BidPage,
  BudgetRecord,
  CommitOutcome,
  FundStore,
  IdempotencyClaim,
  Ledger,
  LedgerAllocation,
  ReleaseOutcome,
  SetPotOutcome,
  StoredBid,
  StoredResponse,
  UncommitOutcome,
} from './types';

/** What the single-entry ledger read returns. */
interface LedgerEntry {
  potPence: Pence;
  committedPence: Pence;
  remainingPence: Pence;
  allocation: LedgerAllocation | undefined;
}

/** Attributes that exist for the table, not for the bid. */
const BID_INTERNAL = new Set(['pk', 'sk', 'fyKey', 'changedKey', 'kind', 'outbox', 'lastRequestId']);
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export class DynamoFundStore implements FundStore {
  private readonly table: TableAccess;
  private readonly tableName: string;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new TableAccess(doc, tableName);
    this.tableName = tableName;
  }

  // ── bids ────────────────────────────────────────────────────────────────────────────

  async nextBidId(): Promise<string> {
    const out = await this.table.send<{ Attributes?: { n?: number } }>(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.bidCounter,
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return formatBidId(Number(out.Attributes?.n));
  }

  async readBid(id: string): Promise<StoredBid | undefined> {
    // The bid item (sk "BID") sorts after its audit items ("AUDIT#…"): one descending query of
    // two items returns the bid and its latest recorded audit event.
    const out = await this.table.send<{ Items?: Item[] }>(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.bid(id).pk },
        ScanIndexForward: false,
        Limit: 2,
        ConsistentRead: true,
      }),
    );
    const [item, latestAudit] = out.Items ?? [];
    if (!item || item.sk !== 'BID') return undefined;
    const recordedThrough = latestAudit ? Number(latestAudit.version) : 0;
    const outbox = (item.outbox as AuditEvent[] | undefined) ?? [];
    return {
      bid: toBid(item),
      lastRequestId: String(item.lastRequestId ?? ''),
      unrecorded: outbox.filter((event) => event.version > recordedThrough),
    };
  }

  private bidItem(bid: Bid, outbox: readonly AuditEvent[], requestId: string): Item {
    return {
      ...bid,
      ...keys.bid(bid.id),
      kind: 'bid',
      fyKey: keys.fyIndexKey(bid.fy),
      changedKey: keys.changedIndexKey(bid.updatedAt, bid.id),
      outbox,
      lastRequestId: requestId,
    };
  }

  async insertBid(bid: Bid, event: AuditEvent, requestId: string): Promise<'created' | 'exists'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: this.bidItem(bid, [event], requestId),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return written ? 'created' : 'exists';
  }

  async replaceBid(next: Bid, expectedVersion: number, outbox: AuditEvent[], requestId: string): Promise<'written' | 'conflict'> {
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: this.bidItem(next, outbox, requestId),
        ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
    return written ? 'written' : 'conflict';
  }

  async recordEvents(events: readonly AuditEvent[]): Promise<void> {
    // In version order, so "the latest audit item exists" implies every earlier one does.
    for (const event of [...events].sort((a, b) => a.version - b.version)) {
      await this.table.send(
        new PutCommand({ TableName: this.tableName, Item: { ...event, ...keys.audit(event.bidId, event.version), kind: 'audit' } }),
      );
    }
  }

  async versionsWithoutAudit(refs: readonly BidVersionRef[]): Promise<BidVersionRef[]> {
    if (refs.length === 0) return [];
    const found = await this.table.existingKeys(refs.map((r) => keys.audit(r.bidId, r.version)));
    return refs.filter((r) => !found.has(itemKeyString(keys.audit(r.bidId, r.version))));
  }

  async listBids(query: BidListQuery): Promise<BidPage> {
    const fyKey = keys.fyIndexKey(query.fy);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':fy': fyKey };
    let keyCondition = 'fyKey = :fy';
    if (query.changedSince !== undefined) {
      keyCondition += ' AND changedKey >= :since';
      values[':since'] = query.changedSince;
    }
    let filter: string | undefined;
    if (query.status !== undefined) {
      filter = '#status = :status';
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    const out = await this.table.send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BIDS_BY_FY_INDEX,
        KeyConditionExpression: keyCondition,
        FilterExpression: filter,
        ExpressionAttributeNames: Object.keys(names).length > 0 ? names : undefined,
        ExpressionAttributeValues: values,
        Limit: query.limit,
        ExclusiveStartKey: query.cursor !== undefined ? decodeCursor(query.cursor, fyKey) : undefined,
      }),
    );
    const items = out.Items ?? [];
    const bids = items.map(toBid);
    let latestChange: string | undefined;
    for (const bid of bids) if (latestChange === undefined || bid.updatedAt > latestChange) latestChange = bid.updatedAt;
    // A filtered page can be empty yet not the last: the position still moves on.
    if (out.LastEvaluatedKey && typeof out.LastEvaluatedKey.changedKey === 'string') {
      const position = out.LastEvaluatedKey.changedKey.split('#')[0];
      if (position !== undefined && (latestChange === undefined || position > latestChange)) latestChange = position;
    }
    return {
      bids,
      ...(out.LastEvaluatedKey ? { nextCursor: encodeCursor(out.LastEvaluatedKey) } : {}),
      ...(latestChange !== undefined ? { latestChange } : {}),
    };
  }

  async bidsOfYear(fy: string): Promise<Bid[]> {
    const items = await this.table.queryAll({
      IndexName: BIDS_BY_FY_INDEX,
      KeyConditionExpression: 'fyKey = :fy',
      ExpressionAttributeValues: { ':fy': keys.fyIndexKey(fy) },
    });
    return items.map(toBid);
  }

  async recommendedSharesOfYear(fy: string): Promise<Pick<Bid, 'status' | 'shares' | 'decisions'>[]> {
    // Filtered and projected by the store: at 10,000 bids the budget summary moved ~1 MB of whole
    // bids per page through the client to sum a few hundred shares.
    const items = await this.table.queryAll({
      IndexName: BIDS_BY_FY_INDEX,
      KeyConditionExpression: 'fyKey = :fy',
      FilterExpression: '#status = :recommended',
      ProjectionExpression: '#status, shares, decisions',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':fy': keys.fyIndexKey(fy), ':recommended': 'recommended' },
    });
    return items.map((item) => ({
      status: item.status as Bid['status'],
      shares: (item.shares ?? {}) as Bid['shares'],
      decisions: (item.decisions ?? {}) as Bid['decisions'],
    }));
  }

  async history(bidId: string): Promise<AuditEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': keys.bid(bidId).pk, ':audit': keys.auditPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => strip(item, ['pk', 'sk', 'kind']) as AuditEvent);
  }

  // ── budgets and ledgers ─────────────────────────────────────────────────────────────

  async years(): Promise<string[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.yearsPartition },
      ConsistentRead: true,
    });
    return items.map((item) => String(item.fy));
  }

  async getBudget(fy: string): Promise<BudgetRecord | undefined> {
    const item = await this.table.get(keys.budget(fy));
    return item
      ? { fy: String(item.fy), fundPence: Number(item.fundPence), costShare: item.costShare as BudgetRecord['costShare'] }
      : undefined;
  }

  async putBudget(budget: BudgetRecord): Promise<void> {
    await this.table.send(new PutCommand({ TableName: this.tableName, Item: { ...budget, ...keys.budget(budget.fy), kind: 'budget' } }));
    await this.registerYear(budget.fy);
  }

  async recordBudgetEvent(event: BudgetEvent): Promise<void> {
    // Keyed by request: a retried request keeps the event its first attempt recorded.
    await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...event, ...keys.budgetEvent(event.fy, event.requestId), kind: 'budget-event' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async budgetHistory(fy: string): Promise<BudgetEvent[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.budget(fy).pk, ':prefix': keys.budgetEventPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => strip(item, ['pk', 'sk', 'kind']) as BudgetEvent).sort((a, b) => a.at.localeCompare(b.at));
  }

  async registerYear(fy: string): Promise<void> {
    await this.table.send(new PutCommand({ TableName: this.tableName, Item: { fy, ...keys.year(fy), kind: 'year' } }));
  }

  async getLedgers(fy: string): Promise<Ledger[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ledger)',
      ExpressionAttributeValues: { ':pk': keys.budget(fy).pk, ':ledger': keys.ledgerPrefix },
      ConsistentRead: true,
    });
    return items.map(toLedger);
  }

  /**
   * A ledger's totals and one bid's entry, without the rest of its allocations: a ledger holds
   * an entry for every approved bid of the year, and these reads need only one.
   */
  private async ledgerEntry(fy: string, funder: FunderId, bidId?: string): Promise<LedgerEntry | undefined> {
    const out = await this.table.send<{ Item?: Item }>(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.ledger(fy, funder),
        ConsistentRead: true,
        ...(bidId === undefined
          ? { ProjectionExpression: 'potPence, committedPence, remainingPence' }
          : {
              ProjectionExpression: 'potPence, committedPence, remainingPence, allocations.#bid',
              ExpressionAttributeNames: { '#bid': bidId },
            }),
      }),
    );
    if (!out.Item) return undefined;
    const allocations = out.Item.allocations as Record<string, LedgerAllocation> | undefined;
    return {
      potPence: Number(out.Item.potPence),
      committedPence: Number(out.Item.committedPence),
      remainingPence: Number(out.Item.remainingPence),
      allocation: bidId === undefined ? undefined : allocations?.[bidId],
    };
  }

  async createLedger(fy: string, funder: FunderId, potPence: Pence): Promise<'created' | 'exists'> {
    const ledger: Ledger = { fy, funder, potPence, committedPence: 0, releasedPence: 0, remainingPence: potPence, allocations: {} };
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...ledger, ...keys.ledger(fy, funder), kind: 'ledger' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return written ? 'created' : 'exists';
  }

  async setPot(fy: string, funder: FunderId, fromPence: Pence, toPence: Pence): Promise<SetPotOutcome> {
    // remainingPence ≥ from − to  ⇔  the new pot still covers what is committed.
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'SET potPence = :to, remainingPence = remainingPence + :delta',
        ConditionExpression: 'potPence = :from AND remainingPence >= :floor',
        ExpressionAttributeValues: { ':to': toPence, ':from': fromPence, ':delta': toPence - fromPence, ':floor': fromPence - toPence },
      }),
    );
    if (written) return { kind: 'set' };
    const ledger = await this.ledgerEntry(fy, funder);
    if (ledger && ledger.potPence === fromPence) return { kind: 'below-committed', committedPence: ledger.committedPence };
    return { kind: 'changed' };
  }

  async commitShare(fy: string, funder: FunderId, bidId: string, allocation: LedgerAllocation): Promise<CommitOutcome> {
    // DESIGN §3: the one write that decides whether money is available. DynamoDB serialises
    // writes to an item, so concurrent approvals never overspend or double-commit.
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression:
          'SET remainingPence = remainingPence - :share, committedPence = committedPence + :share, allocations.#bid = :entry',
        ConditionExpression: 'attribute_exists(pk) AND remainingPence >= :share AND attribute_not_exists(allocations.#bid)',
        ExpressionAttributeNames: { '#bid': bidId },
        ExpressionAttributeValues: { ':share': allocation.sharePence, ':entry': allocation },
      }),
    );
    if (written) return { kind: 'committed' };
    const ledger = await this.ledgerEntry(fy, funder, bidId);
    if (!ledger) return { kind: 'no-ledger' };
    if (ledger.allocation) return { kind: 'exists', allocation: ledger.allocation };
    return { kind: 'over-budget', remainingPence: ledger.remainingPence, potPence: ledger.potPence };
  }

  async uncommitShare(fy: string, funder: FunderId, bidId: string, onlyRequestId?: string): Promise<UncommitOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const allocation = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
      if (!allocation || allocation.state !== 'committed') return { kind: 'absent' };
      if (onlyRequestId !== undefined && allocation.requestId !== onlyRequestId) return { kind: 'absent' };
      const written = await this.table.conditional(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.ledger(fy, funder),
          UpdateExpression:
            'REMOVE allocations.#bid SET remainingPence = remainingPence + :share, committedPence = committedPence - :share',
          ConditionExpression: 'allocations.#bid.#share = :share AND allocations.#bid.#state = :committed AND allocations.#bid.#rid = :rid',
          ExpressionAttributeNames: { '#bid': bidId, '#share': 'sharePence', '#state': 'state', '#rid': 'requestId' },
          ExpressionAttributeValues: { ':share': allocation.sharePence, ':committed': 'committed', ':rid': allocation.requestId },
        }),
      );
      if (written) return { kind: 'uncommitted', sharePence: allocation.sharePence };
    }
    throw new StoreUnavailableError('ledger too busy to give back a share; try again');
  }

  async releaseShare(fy: string, funder: FunderId, bidId: string): Promise<ReleaseOutcome> {
    const allocation = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
    if (!allocation) return { kind: 'absent' };
    if (allocation.state === 'released') return { kind: 'already-released' };
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'SET allocations.#bid.#state = :released, releasedPence = releasedPence + :share',
        ConditionExpression: 'allocations.#bid.#state = :committed AND allocations.#bid.#share = :share',
        ExpressionAttributeNames: { '#bid': bidId, '#share': 'sharePence', '#state': 'state' },
        ExpressionAttributeValues: { ':share': allocation.sharePence, ':committed': 'committed', ':released': 'released' },
      }),
    );
    if (written) return { kind: 'released' };
    const after = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
    return after?.state === 'released' ? { kind: 'already-released' } : { kind: 'absent' };
  }

  async takeAllocation(fy: string, funder: FunderId, bidId: string, fromRequestId: string, toRequestId: string): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'SET allocations.#bid.#rid = :to',
        ConditionExpression: 'allocations.#bid.#rid = :from AND allocations.#bid.#state = :committed',
        ExpressionAttributeNames: { '#bid': bidId, '#rid': 'requestId', '#state': 'state' },
        ExpressionAttributeValues: { ':from': fromRequestId, ':to': toRequestId, ':committed': 'committed' },
      }),
    );
  }

  async repairLedgerTotals(
    ledger: Ledger,
    totals: Pick<Ledger, 'committedPence' | 'releasedPence' | 'remainingPence'>,
  ): Promise<'repaired' | 'changed'> {
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.ledger(ledger.fy, ledger.funder),
        UpdateExpression: 'SET committedPence = :c, releasedPence = :r, remainingPence = :m',
        ConditionExpression: 'potPence = :pot AND committedPence = :oc AND releasedPence = :or AND remainingPence = :om',
        ExpressionAttributeValues: {
          ':c': totals.committedPence,
          ':r': totals.releasedPence,
          ':m': totals.remainingPence,
          ':pot': ledger.potPence,
          ':oc': ledger.committedPence,
          ':or': ledger.releasedPence,
          ':om': ledger.remainingPence,
        },
      }),
    );
    return written ? 'repaired' : 'changed';
  }

  // ── idempotency ─────────────────────────────────────────────────────────────────────

  async claimIdempotency(scope: string, key: string, fingerprint: string, requestId: string): Promise<IdempotencyClaim> {
    const claimed = await this.table.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.idempotency(scope, key),
          kind: 'idempotency',
          fingerprint,
          requestId,
          state: 'in-progress',
          createdAt: new Date().toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    if (claimed) return { kind: 'new' };
    const item = await this.table.get(keys.idempotency(scope, key));
    if (!item) return this.claimIdempotency(scope, key, fingerprint, requestId);
    if (item.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (item.state === 'done') return { kind: 'done', response: item.response as StoredResponse };
    return { kind: 'unfinished', requestId: String(item.requestId), ...(typeof item.bidId === 'string' ? { bidId: item.bidId } : {}) };
  }

  async noteIdempotentBid(scope: string, key: string, bidId: string): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET bidId = :id',
        ExpressionAttributeValues: { ':id': bidId },
      }),
    );
  }

  async completeIdempotency(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.table.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(scope, key),
        UpdateExpression: 'SET #state = :done, #response = :response',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response },
      }),
    );
  }
}

function strip(item: Item, drop: Iterable<string>): Item {
  const out: Item = { ...item };
  for (const key of drop) delete out[key];
  return out;
}

function toBid(item: Item): Bid {
  return strip(item, BID_INTERNAL) as Bid;
}

function toLedger(item: Item): Ledger {
  return {
    fy: String(item.fy),
    funder: item.funder as FunderId,
    potPence: Number(item.potPence),
    committedPence: Number(item.committedPence),
    releasedPence: Number(item.releasedPence),
    remainingPence: Number(item.remainingPence),
    allocations: (item.allocations as Record<string, LedgerAllocation> | undefined) ?? {},
  };
}
