/**
 * The ledger item per (FY, funder): the consistency boundary for money (docs/design.md §3). Every money
 * movement is one conditional UpdateItem on one ledger; no multi-item transactions.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CarryIn, FunderId, InstalmentPayment, Pence } from '../../../domain';
import { StoreUnavailableError } from '../errors';
import { keys } from '../keys';
import type { LedgerRepository } from '../ports/ledger-repository';
import type { TableAccess } from '../table-access';
import type {
  AdjustOutcome,
  CarryInOutcome,
  CommitOutcome,
  Ledger,
  LedgerAllocation,
  PayOutcome,
  ReleaseOutcome,
  ReturnOutcome,
  SetPotOutcome,
  UncommitOutcome,
} from '../types';
import { toLedger } from './items';

/** What the single-entry ledger read returns. */
interface LedgerEntry {
  potPence: Pence;
  committedPence: Pence;
  remainingPence: Pence;
  allocation: LedgerAllocation | undefined;
  /** The year's close request, when the ledger is closed. */
  closedBy: string | undefined;
}

export class DynamoLedgerRepository implements LedgerRepository {
  constructor(private readonly table: TableAccess) {}

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
    const out = await this.table.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        ConsistentRead: true,
        ...(bidId === undefined
          ? { ProjectionExpression: 'potPence, committedPence, remainingPence, closedBy' }
          : {
              ProjectionExpression: 'potPence, committedPence, remainingPence, closedBy, allocations.#bid',
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
      closedBy: typeof out.Item.closedBy === 'string' ? out.Item.closedBy : undefined,
    };
  }

  async createLedger(fy: string, funder: FunderId, potPence: Pence): Promise<'created' | 'exists'> {
    const ledger: Ledger = { fy, funder, potPence, committedPence: 0, releasedPence: 0, remainingPence: potPence, allocations: {} };
    const written = await this.table.conditional(
      new PutCommand({
        TableName: this.table.tableName,
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
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'SET potPence = :to, remainingPence = remainingPence + :delta',
        // A closed year's pots are final (docs/design.md §3.1).
        ConditionExpression: 'potPence = :from AND remainingPence >= :floor AND attribute_not_exists(closedBy)',
        ExpressionAttributeValues: { ':to': toPence, ':from': fromPence, ':delta': toPence - fromPence, ':floor': fromPence - toPence },
      }),
    );
    if (written) return { kind: 'set' };
    const ledger = await this.ledgerEntry(fy, funder);
    if (ledger?.closedBy !== undefined) return { kind: 'closed' };
    if (ledger && ledger.potPence === fromPence) return { kind: 'below-committed', committedPence: ledger.committedPence };
    return { kind: 'changed' };
  }

  async commitShare(fy: string, funder: FunderId, bidId: string, allocation: LedgerAllocation): Promise<CommitOutcome> {
    // docs/design.md §3: the one write that decides whether money is available. DynamoDB serialises
    // writes to an item, so concurrent approvals never overspend or double-commit.
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression:
          'SET remainingPence = remainingPence - :share, committedPence = committedPence + :share, allocations.#bid = :entry',
        // A closed year commits nothing new (docs/design.md §3.1): the close marks the ledger first.
        ConditionExpression:
          'attribute_exists(pk) AND remainingPence >= :share AND attribute_not_exists(allocations.#bid) AND attribute_not_exists(closedBy)',
        ExpressionAttributeNames: { '#bid': bidId },
        ExpressionAttributeValues: { ':share': allocation.sharePence, ':entry': allocation },
      }),
    );
    if (written) return { kind: 'committed' };
    const ledger = await this.ledgerEntry(fy, funder, bidId);
    if (!ledger) return { kind: 'no-ledger' };
    if (ledger.allocation) return { kind: 'exists', allocation: ledger.allocation };
    if (ledger.closedBy !== undefined) return { kind: 'closed' };
    return { kind: 'over-budget', remainingPence: ledger.remainingPence, potPence: ledger.potPence };
  }

  async uncommitShare(fy: string, funder: FunderId, bidId: string, onlyRequestId?: string): Promise<UncommitOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const allocation = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
      if (!allocation || allocation.state !== 'committed') return { kind: 'absent' };
      if (onlyRequestId !== undefined && allocation.requestId !== onlyRequestId) return { kind: 'absent' };
      const written = await this.table.conditional(
        new UpdateCommand({
          TableName: this.table.tableName,
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
        TableName: this.table.tableName,
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

  async payInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, payment: InstalmentPayment): Promise<PayOutcome> {
    const names = { '#bid': bidId, '#state': 'state', '#share': 'sharePence', '#paid': 'paidPence', '#payments': 'payments' };
    // Each lost round means another write to this entry landed; a share holds few instalments.
    for (let attempt = 0; attempt < 25; attempt++) {
      const allocation = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
      if (!allocation || allocation.state !== 'committed') return { kind: 'absent' };
      const held = allocation.payments?.[String(instalment)];
      if (held) return { kind: 'already-paid', requestId: held.requestId, partPence: held.partPence };
      const paidPence = allocation.paidPence ?? 0;
      if (paidPence + payment.partPence > allocation.sharePence)
        return { kind: 'over-share', paidPence, sharePence: allocation.sharePence };
      if (allocation.payments === undefined) {
        // A document path cannot SET below a map that does not exist: create the empty map first (idempotent).
        await this.table.conditional(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: keys.ledger(fy, funder),
            UpdateExpression: 'SET allocations.#bid.#payments = if_not_exists(allocations.#bid.#payments, :empty)',
            ConditionExpression: 'attribute_exists(allocations.#bid)',
            ExpressionAttributeNames: { '#bid': bidId, '#payments': 'payments' },
            ExpressionAttributeValues: { ':empty': {} },
          }),
        );
      }
      // docs/design.md §3.1: paidPence + part ≤ sharePence. Conditions cannot add, so the entry's
      // share is pinned and paidPence compared with share − part; each instalment is paid once.
      const written = await this.table.conditional(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keys.ledger(fy, funder),
          UpdateExpression:
            'SET allocations.#bid.#paid = if_not_exists(allocations.#bid.#paid, :zero) + :part, allocations.#bid.#payments.#n = :payment',
          ConditionExpression:
            'allocations.#bid.#state = :committed AND allocations.#bid.#share = :share AND attribute_not_exists(allocations.#bid.#payments.#n) ' +
            'AND (attribute_not_exists(allocations.#bid.#paid) OR allocations.#bid.#paid <= :limit)',
          ExpressionAttributeNames: { ...names, '#n': String(instalment) },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':part': payment.partPence,
            ':payment': payment,
            ':committed': 'committed',
            ':share': allocation.sharePence,
            ':limit': allocation.sharePence - payment.partPence,
          },
        }),
      );
      if (written) return { kind: 'paid' };
      // Lost to a concurrent write on the ledger: read again and decide again.
    }
    throw new StoreUnavailableError('ledger too busy to pay an instalment; try again');
  }

  async adjustShare(
    fy: string,
    funder: FunderId,
    bidId: string,
    fromPence: Pence,
    toPence: Pence,
    requestId: string,
  ): Promise<AdjustOutcome> {
    const delta = toPence - fromPence;
    // remainingPence >= max(delta, 0): an increase must fit in the pot; a decrease always does.
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression:
          'SET allocations.#bid.#share = :to, allocations.#bid.#by = :rid, remainingPence = remainingPence - :delta, committedPence = committedPence + :delta',
        // An increase is new money: a closed year's ledger refuses it; a decrease always goes on.
        ConditionExpression:
          'allocations.#bid.#share = :from AND allocations.#bid.#state = :committed AND remainingPence >= :need' +
          (delta > 0 ? ' AND attribute_not_exists(closedBy)' : ''),
        ExpressionAttributeNames: { '#bid': bidId, '#share': 'sharePence', '#state': 'state', '#by': 'adjustedBy' },
        ExpressionAttributeValues: {
          ':to': toPence,
          ':from': fromPence,
          ':rid': requestId,
          ':delta': delta,
          ':need': Math.max(delta, 0),
          ':committed': 'committed',
        },
      }),
    );
    if (written) return { kind: 'adjusted' };
    const ledger = await this.ledgerEntry(fy, funder, bidId);
    const allocation = ledger?.allocation;
    if (!ledger || !allocation || allocation.state !== 'committed') return { kind: 'absent' };
    if (allocation.sharePence === toPence && fromPence !== toPence) return { kind: 'already-adjusted', requestId: allocation.adjustedBy };
    if (allocation.sharePence !== fromPence) return { kind: 'absent' };
    if (delta > 0 && ledger.closedBy !== undefined) return { kind: 'closed' };
    return { kind: 'over-budget', remainingPence: ledger.remainingPence, potPence: ledger.potPence };
  }

  async closeLedger(fy: string, funder: FunderId, requestId: string): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'SET closedBy = :rid',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(closedBy) OR closedBy = :rid)',
        ExpressionAttributeValues: { ':rid': requestId },
      }),
    );
  }

  async carryIn(fy: string, funder: FunderId, fromFy: string, carry: CarryIn): Promise<CarryInOutcome> {
    const key = keys.ledger(fy, funder);
    // A document path cannot SET below a map that does not exist: create the empty map first (idempotent).
    const exists = await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: key,
        UpdateExpression: 'SET carriedIn = if_not_exists(carriedIn, :empty)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    if (!exists) return 'no-ledger';
    // docs/design.md §3.1: pot and remaining grow together, once per closed year (the marker).
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: key,
        UpdateExpression: 'SET potPence = potPence + :c, remainingPence = remainingPence + :c, carriedIn.#from = :carry',
        ConditionExpression: 'attribute_not_exists(carriedIn.#from)',
        ExpressionAttributeNames: { '#from': fromFy },
        ExpressionAttributeValues: { ':c': carry.pence, ':carry': carry },
      }),
    );
    return written ? 'carried' : 'already-carried';
  }

  async returnUnderspend(fy: string, funder: FunderId, bidId: string, fromPence: Pence, toPence: Pence): Promise<ReturnOutcome> {
    const delta = toPence - fromPence;
    // An entry never returned has no returnedPence: from 0 means the attribute is absent.
    const from = fromPence === 0 ? 'attribute_not_exists(allocations.#bid.#returned)' : 'allocations.#bid.#returned = :from';
    const written = await this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression:
          'SET allocations.#bid.#returned = :to, committedPence = committedPence - :delta, remainingPence = remainingPence + :delta',
        ConditionExpression: `attribute_exists(allocations.#bid.#share) AND allocations.#bid.#share >= :to AND ${from}`,
        ExpressionAttributeNames: { '#bid': bidId, '#share': 'sharePence', '#returned': 'returnedPence' },
        ExpressionAttributeValues: { ':to': toPence, ':delta': delta, ...(fromPence === 0 ? {} : { ':from': fromPence }) },
      }),
    );
    if (written) return { kind: 'returned' };
    const allocation = (await this.ledgerEntry(fy, funder, bidId))?.allocation;
    const returnedPence = allocation?.returnedPence ?? 0;
    if (allocation && returnedPence >= toPence) return { kind: 'already-returned', returnedPence };
    return { kind: 'absent' };
  }

  async unpayInstalment(fy: string, funder: FunderId, bidId: string, instalment: number, requestId: string): Promise<boolean> {
    const held = (await this.ledgerEntry(fy, funder, bidId))?.allocation?.payments?.[String(instalment)];
    if (!held || held.requestId !== requestId) return false;
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: keys.ledger(fy, funder),
        UpdateExpression: 'REMOVE allocations.#bid.#payments.#n SET allocations.#bid.#paid = allocations.#bid.#paid - :part',
        ConditionExpression: 'allocations.#bid.#payments.#n.#rid = :rid AND allocations.#bid.#state = :committed',
        ExpressionAttributeNames: {
          '#bid': bidId,
          '#payments': 'payments',
          '#paid': 'paidPence',
          '#n': String(instalment),
          '#rid': 'requestId',
          '#state': 'state',
        },
        ExpressionAttributeValues: { ':rid': requestId, ':part': held.partPence, ':committed': 'committed' },
      }),
    );
  }

  async takeAllocation(fy: string, funder: FunderId, bidId: string, fromRequestId: string, toRequestId: string): Promise<boolean> {
    return this.table.conditional(
      new UpdateCommand({
        TableName: this.table.tableName,
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
        TableName: this.table.tableName,
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
}
