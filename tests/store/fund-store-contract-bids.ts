/** The store contract's bid, list, audit and budget cases (run by describeFundStoreContract). */
import type { AuditEvent, BudgetEvent, Declaration, MonitoringReturn } from '../../domain';
import { InvalidCursorError } from '../../functions/store/cursor';
import type { BidPage, FundStore } from '../../functions/store/types';
import { contractBid, contractEvent } from './contract-values';

export function describeBidContract(current: () => FundStore): void {
  test('a bid is written once, replaced only at its version, and read back with its unrecorded outbox', async () => {
    const store = current();
    const fy = '2036/37';
    const bid = contractBid('OUT-1', fy);
    const e1 = contractEvent('OUT-1', 1);
    expect(await store.readBid('OUT-1')).toBeUndefined();
    expect(await store.insertBid(bid, e1, 'req-1')).toBe('created');
    expect(await store.insertBid({ ...bid, title: 'again' }, e1, 'req-x')).toBe('exists');
    bid.title = 'changed by the caller after the write';
    expect(await store.readBid('OUT-1')).toEqual({ bid: contractBid('OUT-1', fy), lastRequestId: 'req-1', unrecorded: [e1] });

    await store.recordEvents([e1]);
    const read = await store.readBid('OUT-1');
    expect(read?.unrecorded).toEqual([]);
    if (read) read.bid.title = 'changed by the reader';
    expect((await store.readBid('OUT-1'))?.bid.title).toBe('Bid OUT-1');

    const v2 = contractBid('OUT-1', fy, { version: 2, title: 'Second' });
    const e2 = contractEvent('OUT-1', 2);
    expect(await store.replaceBid(v2, 1, [e1, e2], 'req-2')).toBe('written');
    expect(await store.replaceBid({ ...v2, version: 3 }, 1, [e2], 'req-3')).toBe('conflict');
    expect(await store.replaceBid(contractBid('OUT-none', fy, { version: 2 }), 1, [], 'req-4')).toBe('conflict');
    expect(await store.readBid('OUT-1')).toEqual({ bid: v2, lastRequestId: 'req-2', unrecorded: [e2] });
    expect(await store.versionsWithoutAudit([{ bidId: 'OUT-1', version: 2 }])).toEqual([{ bidId: 'OUT-1', version: 2 }]);

    await store.recordEvents([e2]);
    expect((await store.readBid('OUT-1'))?.unrecorded).toEqual([]);
    expect(await store.versionsWithoutAudit([{ bidId: 'OUT-1', version: 2 }])).toEqual([]);
  });

  test('history is the audit trail oldest first, whatever order the events were recorded in; recording is idempotent', async () => {
    const store = current();
    const events: AuditEvent[] = [3, 1, 2].map((v) => contractEvent('HIST-1', v));
    await store.recordEvents(events.slice(0, 1));
    await store.recordEvents(events);
    await store.recordEvents(events);
    expect(await store.history('HIST-1')).toEqual([1, 2, 3].map((v) => contractEvent('HIST-1', v)));
    expect(await store.history('HIST-none')).toEqual([]);
  });

  test('listBids pages a year by last change, with cursors, a status filter, changedSince and the latest change', async () => {
    const store = current();
    const fy = '2037/38';
    // Ids in one order, last changes in another.
    const changed = ['2037-06-05', '2037-06-01', '2037-06-04', '2037-06-02', '2037-06-03'];
    for (const [i, day] of changed.entries()) {
      const bid = contractBid(`LIST-${i}`, fy, { updatedAt: `${day}T00:00:00.000Z`, status: i % 2 === 0 ? 'submitted' : 'draft' });
      await store.insertBid(bid, contractEvent(bid.id, 1), `list-${i}`);
    }
    await store.insertBid(contractBid('LIST-other', '2038/39'), contractEvent('LIST-other', 1), 'list-other');
    const inOrder = ['LIST-1', 'LIST-3', 'LIST-4', 'LIST-2', 'LIST-0'];
    expect((await store.bidsOfYear(fy)).map((b) => b.id)).toEqual(inOrder);

    const all = async (query: Omit<Parameters<FundStore['listBids']>[0], 'fy' | 'cursor'>): Promise<BidPage[]> => {
      const pages: BidPage[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listBids({ fy, ...query, ...(cursor !== undefined ? { cursor } : {}) });
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor !== undefined && pages.length < 10);
      return pages;
    };
    const pages = await all({ limit: 2 });
    expect(pages.map((p) => p.bids.map((b) => b.id))).toEqual([inOrder.slice(0, 2), inOrder.slice(2, 4), inOrder.slice(4)]);
    expect(pages.map((p) => p.latestChange)).toEqual(['2037-06-02T00:00:00.000Z', '2037-06-04T00:00:00.000Z', '2037-06-05T00:00:00.000Z']);
    expect(pages[2]?.nextCursor).toBeUndefined();

    // A page filled to its limit has a cursor, though the next page is empty.
    const exact = await all({ limit: 5 });
    expect(exact.map((p) => p.bids.length)).toEqual([5, 0]);
    expect(exact[1]).toEqual({ bids: [] });

    // The filter applies after the limit: a page may come back short, or empty, and still move on.
    const submitted = await all({ limit: 2, status: 'submitted' });
    expect(submitted.map((p) => p.bids.map((b) => b.id))).toEqual([[], ['LIST-4', 'LIST-2'], ['LIST-0']]);
    expect(submitted[0]?.latestChange).toBe('2037-06-02T00:00:00.000Z');

    const since = await all({ limit: 10, changedSince: '2037-06-03T00:00:00.000Z' });
    expect(since.map((p) => p.bids.map((b) => b.id))).toEqual([['LIST-4', 'LIST-2', 'LIST-0']]);
    expect(since[0]?.latestChange).toBe('2037-06-05T00:00:00.000Z');
    expect(await store.listBids({ fy: '2040/41', limit: 5 })).toEqual({ bids: [] });

    // A change moves the bid to the end of the feed.
    const moved = contractBid('LIST-1', fy, { version: 2, updatedAt: '2037-06-09T00:00:00.000Z', status: 'draft' });
    expect(await store.replaceBid(moved, 1, [contractEvent('LIST-1', 2)], 'list-move')).toBe('written');
    expect((await store.bidsOfYear(fy)).map((b) => b.id)).toEqual([...inOrder.slice(1), 'LIST-1']);
    const late = await store.listBids({ fy, limit: 10, changedSince: '2037-06-06T00:00:00.000Z' });
    expect(late).toEqual({ bids: [moved], latestChange: moved.updatedAt });

    const cursor = pages[0]?.nextCursor ?? '';
    await expect(store.listBids({ fy: '2038/39', limit: 2, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listBids({ fy, limit: 2, cursor: 'not-a-cursor!' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  test('years are those registered; a budget registers its year and reads back as written', async () => {
    const store = current();
    expect(await store.getBudget('2041/42')).toBeUndefined();
    await store.registerYear('2042/43');
    await store.registerYear('2042/43');
    const budget = { fy: '2041/42', fundPence: 1_000_000, costShare: { 'west-mercia': 6900, warwickshire: 3100 } };
    await store.putBudget(budget);
    budget.costShare['west-mercia'] = 1;
    expect(await store.getBudget('2041/42')).toEqual({
      fy: '2041/42',
      fundPence: 1_000_000,
      costShare: { 'west-mercia': 6900, warwickshire: 3100 },
    });
    await store.putBudget({ ...budget, fundPence: 2_000_000, costShare: { 'west-mercia': 5000, warwickshire: 5000 } });
    expect(await store.getBudget('2041/42')).toMatchObject({ fundPence: 2_000_000 });
    expect(await store.years()).toEqual(['2041/42', '2042/43']);
  });

  test('budget events are kept once per request id and read oldest first', async () => {
    const store = current();
    const setting = {
      fundPence: 100,
      costShare: { 'west-mercia': 6900, warwickshire: 3100 },
      pots: { 'west-mercia': 69, warwickshire: 31 },
    };
    const event = (requestId: string, at: string): BudgetEvent => ({
      fy: '2043/44',
      at,
      actor: 'admin',
      role: 'admin',
      requestId,
      before: null,
      after: setting,
    });
    await store.recordBudgetEvent(event('b-req', '2043-06-02T00:00:00.000Z'));
    await store.recordBudgetEvent(event('a-req', '2043-06-03T00:00:00.000Z'));
    await store.recordBudgetEvent(event('c-req', '2043-06-01T00:00:00.000Z'));
    // A retried request keeps the event its first attempt recorded.
    await store.recordBudgetEvent(event('b-req', '2043-06-09T00:00:00.000Z'));
    expect(await store.budgetHistory('2043/44')).toEqual([
      event('c-req', '2043-06-01T00:00:00.000Z'),
      event('b-req', '2043-06-02T00:00:00.000Z'),
      event('a-req', '2043-06-03T00:00:00.000Z'),
    ]);
    expect(await store.budgetHistory('2044/45')).toEqual([]);
  });

  test('declarations are kept once per id, by year, read oldest first, and copied in and out', async () => {
    const store = current();
    const declaration = (id: string, declaredAt: string): Declaration => ({
      id,
      fy: '2045/46',
      member: 'bob',
      leadOrganisation: 'shropshire',
      nature: 'councillor',
      declaredAt,
      declaredBy: 'bob',
    });
    const second = declaration('DOI-b', '2045-06-02T00:00:00.000Z');
    await store.recordDeclaration(second);
    await store.recordDeclaration(declaration('DOI-a', '2045-06-01T00:00:00.000Z'));
    // A retried request keeps the declaration its first attempt recorded.
    await store.recordDeclaration({ ...declaration('DOI-b', '2045-06-09T00:00:00.000Z'), nature: 'changed' });
    second.nature = 'changed by the caller after the write';
    expect(await store.declarations('2045/46')).toEqual([
      declaration('DOI-a', '2045-06-01T00:00:00.000Z'),
      declaration('DOI-b', '2045-06-02T00:00:00.000Z'),
    ]);
    expect(await store.declarations('2046/47')).toEqual([]);
  });

  test('monitoring returns are written at their version, read by bid and by year in key order, and copied in and out', async () => {
    const store = current();
    const fy = '2047/48';
    const monitoringReturn = (bidId: string, quarter: string, version = 1): MonitoringReturn => ({
      bidId,
      fy,
      quarter,
      status: 'submitted',
      spendToDatePence: 1_000 * version,
      actuals: [{ measure: 'Farms visited', value: 3 }],
      rag: 'green',
      narrative: 'On track',
      dueOn: '2047-07-30',
      version,
      filedAt: '2047-07-01T00:00:00.000Z',
      filedBy: 'sam',
      updatedAt: '2047-07-01T00:00:00.000Z',
      history: [],
    });
    expect(await store.readReturn(fy, 'RET-1', '2047-48-Q1')).toBeUndefined();
    const first = monitoringReturn('RET-1', '2047-48-Q1');
    expect(await store.putReturn(first, 0)).toBe('written');
    expect(await store.putReturn(monitoringReturn('RET-1', '2047-48-Q1'), 0)).toBe('conflict');
    first.narrative = 'changed by the caller after the write';
    expect(await store.readReturn(fy, 'RET-1', '2047-48-Q1')).toEqual(monitoringReturn('RET-1', '2047-48-Q1'));
    expect(await store.putReturn(monitoringReturn('RET-1', '2047-48-Q1', 2), 1)).toBe('written');
    expect(await store.putReturn(monitoringReturn('RET-1', '2047-48-Q1', 3), 1)).toBe('conflict');
    await store.putReturn(monitoringReturn('RET-2', '2047-48-Q1'), 0);
    await store.putReturn(monitoringReturn('RET-1', '2047-48-Q2'), 0);
    const read = await store.returnsOfBid(fy, 'RET-1');
    expect(read.map((r) => [r.quarter, r.version])).toEqual([
      ['2047-48-Q1', 2],
      ['2047-48-Q2', 1],
    ]);
    read[0]!.narrative = 'changed by the reader';
    expect((await store.readReturn(fy, 'RET-1', '2047-48-Q1'))?.narrative).toBe('On track');
    expect((await store.returnsOfYear(fy)).map((r) => `${r.bidId} ${r.quarter}`)).toEqual([
      'RET-1 2047-48-Q1',
      'RET-1 2047-48-Q2',
      'RET-2 2047-48-Q1',
    ]);
    expect(await store.returnsOfYear('2048/49')).toEqual([]);
    expect(await store.returnsOfBid(fy, 'RET-3')).toEqual([]);
  });
}
