/**
 * Retries with one Idempotency-Key that arrive while the first request still runs, against the
 * real local stack (dynalite): the change happens once, and every answer is the first result
 * replayed or 409 request-in-progress with Retry-After — never a second bid, never a replayed 412.
 * A claim whose request outlived the lease is taken over by exactly one retry, which rolls the
 * first request forward.
 */
import type { Bid, Budget } from '../../domain';
import { IDEMPOTENCY_LEASE_MS } from '../../functions/store/ports/idempotency-repository';
import type { ProtocolStep } from '../../functions/use-cases/deps';
import { bidBody, createBid } from '../support/fund';
import { startTestApi, type ApiResponse, type TestApi } from '../support/stack';

let api: TestApi;
/** Added to the API's clock: moving it on ages every claim. */
let clockOffsetMs = 0;
/** A one-shot pause at a protocol step, standing in for a request that is slow or has hung. */
let holdAt: { step: ProtocolStep; reached: () => void; until: Promise<void> } | undefined;

beforeAll(async () => {
  api = await startTestApi({
    deps: {
      now: () => new Date(Date.now() + clockOffsetMs),
      checkpoint: async (step) => {
        const hold = holdAt;
        if (hold?.step !== step) return;
        holdAt = undefined;
        hold.reached();
        await hold.until;
      },
    },
  });
});
afterAll(() => api.stop());

/** Pause the next request that reaches `step`; resolves once one has, with the function that lets it go on. */
function holdNextAt(step: ProtocolStep): { reached: Promise<void>; release: () => void } {
  let release = () => undefined as void;
  let reached = () => undefined as void;
  const until = new Promise<void>((done) => (release = done));
  const reachedPromise = new Promise<void>((done) => (reached = done));
  holdAt = { step, reached, until };
  return { reached: reachedPromise, release };
}

const IN_PROGRESS = 'urn:fundshare:problem:request-in-progress';

function expectInProgress(response: ApiResponse): void {
  expect(response.status).toBe(409);
  expect(response.body).toMatchObject({ type: IN_PROGRESS, status: 409 });
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
}

/** Every answer is the one success (same status and body) or 409 request-in-progress; at least one success. */
function expectOneOutcome(responses: ApiResponse[], status: number): ApiResponse {
  const successes = responses.filter((r) => r.status === status);
  expect(successes.length).toBeGreaterThan(0);
  for (const success of successes) expect(success.body).toEqual(successes[0]?.body);
  for (const other of responses.filter((r) => r.status !== status)) expectInProgress(other);
  return successes[0] as ApiResponse;
}

async function bidsTitled(title: string): Promise<Bid[]> {
  const page = await api.call<{ bids: Bid[] }>('finance', 'GET', '/bids?fy=2025/26&limit=1000');
  return page.body.bids.filter((b) => b.title === title);
}

const history = async (id: string) =>
  (await api.call<{ events: { action: string }[] }>('finance', 'GET', `/bids/${id}/history`)).body.events.map((e) => e.action);

beforeAll(async () => {
  const put = await api.call('admin', 'PUT', '/years/2025-26/budget', {
    body: { fundPence: 150_000_000, pots: { 'west-mercia': 103_500_000, warwickshire: 46_500_000 } },
  });
  expect(put.status).toBe(200);
});

test('30 simultaneous POST /bids with one key and body create exactly one bid; every answer is that 201 or in progress', async () => {
  const body = bidBody({ title: 'Thirty retries, one bid' });
  const responses = await Promise.all(
    Array.from({ length: 30 }, () => api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-30' } })),
  );
  const created = expectOneOutcome(responses, 201);
  const bids = await bidsTitled('Thirty retries, one bid');
  expect(bids.map((b) => b.id)).toEqual([(created.body as Bid).id]);
  expect(await history(bids[0]?.id ?? '')).toEqual(['create']);
});

test('simultaneous PATCH retries with one key edit once; every answer is the edit or in progress, never a replayed 412', async () => {
  const draft = await createBid(api, { title: 'Draft to rename', submit: false });
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      api.call<Bid>('finance', 'PATCH', `/bids/${draft.id}`, {
        body: { title: 'Renamed once' },
        headers: { 'idempotency-key': 'patch-20', 'if-match': `"${draft.version}"` },
      }),
    ),
  );
  const edited = expectOneOutcome(responses, 200);
  expect(edited.body).toMatchObject({ title: 'Renamed once', version: draft.version + 1 });
  expect(await history(draft.id)).toEqual(['create', 'edit']);
});

test('simultaneous budget PUT retries with one key change the budget once; never a replayed 412', async () => {
  const body = { fundPence: 90_000, pots: { 'west-mercia': 60_000, warwickshire: 30_000 } };
  const responses = await Promise.all(
    Array.from({ length: 20 }, () =>
      api.call<Budget>('admin', 'PUT', '/years/2037-38/budget', { body, headers: { 'idempotency-key': 'budget-20' } }),
    ),
  );
  expectOneOutcome(responses, 200);
  const events = await api.call<{ events: unknown[] }>('finance', 'GET', '/years/2037-38/budget/history');
  expect(events.body.events).toHaveLength(1);
});

test('a retry of a request still running waits, then answers 409 request-in-progress; once it finishes, its result', async () => {
  const body = bidBody({ title: 'Slow create' });
  const hold = holdNextAt('bid-written');
  const first = api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-slow' } });
  await hold.reached;
  const duplicate = await api.call('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-slow' } });
  expectInProgress(duplicate);
  hold.release();
  const finished = await first;
  expect(finished.status).toBe(201);
  const replay = await api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-slow' } });
  expect(replay).toMatchObject({ status: 201, body: finished.body });
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect((await bidsTitled('Slow create')).map((b) => b.id)).toEqual([finished.body.id]);
});

test('a claim older than the lease is taken over by exactly one retry, which rolls the first request forward', async () => {
  const body = bidBody({ title: 'Hung create' });
  const hold = holdNextAt('bid-written');
  const hung = api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-hung' } });
  await hold.reached;
  clockOffsetMs += IDEMPOTENCY_LEASE_MS + 1_000;
  try {
    const retries = await Promise.all(
      Array.from({ length: 10 }, () => api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-hung' } })),
    );
    const created = expectOneOutcome(retries, 201);
    // Rolled forward: the bid the hung request inserted, not a second one.
    const bids = await bidsTitled('Hung create');
    expect(bids.map((b) => b.id)).toEqual([(created.body as Bid).id]);
    expect(await history(bids[0]?.id ?? '')).toEqual(['create']);

    // The hung request comes back: it no longer holds the claim, so the saved result stays the taker's.
    hold.release();
    expect((await hung).body).toEqual(created.body);
    const replay = await api.call<Bid>('finance', 'POST', '/bids', { body, headers: { 'idempotency-key': 'create-hung' } });
    expect(replay).toMatchObject({ status: 201, body: created.body });
    expect(await bidsTitled('Hung create')).toHaveLength(1);
  } finally {
    hold.release();
  }
});
