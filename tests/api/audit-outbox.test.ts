/**
 * An approval answers after its bid write: its audit event is in the bid's outbox, not yet in the
 * audit trail (docs/design.md §3). GET /bids/{id}/history merges the outbox, so it is never stale;
 * the bid's next change records the older event beside its own write, so the outbox stays bounded.
 */
import type { Bid } from '../../domain';
import { act, recommendedBid, setPots } from '../support/fund';
import { startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  await setPots(api, { 'west-mercia': 103_500_000, warwickshire: 46_500_000 });
});
afterAll(() => api.stop());

const history = async (bid: Pick<Bid, 'id'>) =>
  (await api.call<{ events: { action: string; version: number }[] }>('finance', 'GET', `/bids/${bid.id}/history`)).body.events;

test('history shows an approval right after it answers, while its audit copy is still in the outbox', async () => {
  const bid = await recommendedBid(api);
  const approved = await act(api, 'westMerciaPcc', bid, 'approve');
  expect(approved.status).toBe(200);
  const { store } = api.stack.deps;
  const stored = await store.readBid(bid.id);
  expect(stored?.unrecorded.map((e) => e.action)).toEqual(['approve']);
  expect((await store.history(bid.id)).map((e) => e.action)).not.toContain('approve');
  expect((await history(bid)).map((e) => [e.action, e.version]).at(-1)).toEqual(['approve', bid.version + 1]);
});

test("the next change records the older outbox events, so a bid's outbox holds only what came after them", async () => {
  const bid = await recommendedBid(api);
  const first = await act(api, 'westMerciaPcc', bid, 'approve');
  expect(first.status).toBe(200);
  const second = await act(api, 'warwickshirePcc', first.body, 'approve');
  expect(second.status).toBe(200);
  const { store } = api.stack.deps;
  const stored = await store.readBid(bid.id);
  expect(stored?.unrecorded.map((e) => [e.action, e.version])).toEqual([['approve', bid.version + 2]]);
  const recorded = await store.history(bid.id);
  expect(recorded.filter((e) => e.action === 'approve').map((e) => e.version)).toEqual([bid.version + 1]);
  const shown = await history(bid);
  expect(shown.filter((e) => e.action === 'approve').map((e) => e.version)).toEqual([bid.version + 1, bid.version + 2]);
  expect(shown.map((e) => e.version)).toEqual([...new Set(shown.map((e) => e.version))].sort((a, b) => a - b));
});
