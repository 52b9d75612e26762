/**
 * Edges of the HTTP contract (issue 16 C and D), on the real local server: requests Node's
 * parser refuses still get problem+json, only loopback Host names are served, a budget PUT
 * that changes nothing writes no history, a budget race is titled for the budget, and the body
 * limit holds for declared, chunked and (on Lambda) undeclared lengths.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { BudgetEvent } from '../../domain';
import { createApp } from '../../functions/http/app';
import { testActors } from '../support/actors';
import { silentLogger, startTestApi, type TestApi } from '../support/stack';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const port = () => Number(new URL(api.stack.apiUrl).port);

/** Send raw bytes and read the whole answer (the server closes the connection after an error). */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function bodyOf(response: string): { status: number; type: string; body: Record<string, unknown> } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const type = /^content-type:\s*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
  return { status, type, body: body === '' ? {} : (JSON.parse(body) as Record<string, unknown>) };
}

describe('requests the HTTP parser refuses', () => {
  test('headers over the limit: 431 problem+json', async () => {
    const answer = bodyOf(await raw(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer).toMatchObject({ status: 431, type: 'application/problem+json', body: { status: 431, title: expect.any(String) } });
  });

  test('a malformed header line: 400 problem+json', async () => {
    const answer = bodyOf(await raw('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nNot a header\r\n\r\n'));
    expect(answer).toMatchObject({ status: 400, type: 'application/problem+json', body: { status: 400 } });
  });
});

describe('Host names', () => {
  const get = (host: string) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: port(), path: '/health', headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });

  test.each(['127.0.0.1', `127.0.0.1:${3001}`, 'localhost', 'LOCALHOST:8080', '[::1]', '[::1]:3001'])('%s is served', async (host) => {
    expect((await get(host)).status).toBe(200);
  });

  test.each(['evil.example', 'evil.example:3001', '127.0.0.1.evil.example', 'localhost.evil.example', '0.0.0.0', '127.0.0.2'])(
    '%s is refused with 421 problem+json (a DNS-rebinding page cannot reach the dev token issuer)',
    async (host) => {
      const answer = await get(host);
      expect(answer.status).toBe(421);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 421, errors: [{ path: 'host' }] });
    },
  );
});

describe('budget PUT', () => {
  const history = async (fyPath: string) =>
    (await api.call<{ events: BudgetEvent[] }>('admin', 'GET', `/years/${fyPath}/budget/history`)).body.events;

  test('a PUT that changes nothing answers 200 and writes no event; pots.__proto__ is a 400 naming it', async () => {
    const body = { fundPence: 150_000_000, pots: { 'west-mercia': 100_000_000, warwickshire: 50_000_000 } };
    expect((await api.call('admin', 'PUT', '/years/2030-31/budget', { body })).status).toBe(200);
    expect(await history('2030-31')).toHaveLength(1);
    expect((await api.call('admin', 'PUT', '/years/2030-31/budget', { body })).status).toBe(200);
    expect((await api.call('admin', 'PUT', '/years/2030-31/budget', { body: { pots: { warwickshire: 50_000_000 } } })).status).toBe(200);
    expect(await history('2030-31')).toHaveLength(1);

    const proto = await api.call<{ errors: { path: string }[] }>('admin', 'PUT', '/years/2030-31/budget', {
      rawBody: '{"pots":{"__proto__":5}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.status).toBe(400);
    expect(proto.body.errors.map((e) => e.path)).toEqual(['pots.__proto__']);
    expect(await history('2030-31')).toHaveLength(1);
  });

  test('a budget PUT that loses a race is titled for the budget, not a bid', async () => {
    const conflicts: { title: string }[] = [];
    // Simultaneous first PUTs of a new year race to create its ledgers; the losers answer 412.
    for (let year = 2040; year < 2050 && conflicts.length === 0; year++) {
      const path = `/years/${year}-${String((year + 1) % 100).padStart(2, '0')}/budget`;
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) => api.call<{ title: string }>('admin', 'PUT', path, { body: { fundPence: 150_000_000 + i } })),
      );
      conflicts.push(...responses.filter((r) => r.status === 412).map((r) => r.body));
    }
    expect(conflicts.length).toBeGreaterThan(0);
    for (const problem of conflicts) expect(problem.title).toMatch(/budget/i);
    for (const problem of conflicts) expect(problem.title).not.toMatch(/bid/i);
  });
});

describe('the body limit (256 KB)', () => {
  /** POST /bids with the body sent in chunks, no Content-Length: counted as it streams. */
  const chunked = async (bytes: number) => {
    const token = await api.token('finance');
    return new Promise<{ status: number; type: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: port(),
          method: 'POST',
          path: '/bids',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) }));
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
      );
      const text = JSON.stringify({ title: 'x'.repeat(bytes) });
      for (let at = 0; at < text.length; at += 16 * 1024) req.write(text.slice(at, at + 16 * 1024));
      req.end();
    });
  };

  test('a chunked body over the limit: 413 problem+json; under it, read as usual', async () => {
    expect(await chunked(300 * 1024)).toEqual({ status: 413, type: 'application/problem+json' });
    // Under the limit the body reaches the route, which names what is wrong with it.
    expect(await chunked(10)).toEqual({ status: 400, type: 'application/problem+json' });
  });

  test('a declared Content-Length over the limit: 413 before the body is read', async () => {
    const answer = bodyOf(
      await raw(
        `POST /bids HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await api.token('finance')}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${300 * 1024}\r\nConnection: close\r\n\r\n{}`,
      ),
    );
    expect(answer).toMatchObject({ status: 413, type: 'application/problem+json', body: { status: 413 } });
  });

  test('on Lambda, a body whose length is not declared is counted', async () => {
    const app = createApp({
      deps: api.stack.deps,
      authenticate: async () => ({ ok: true, actor: testActors.finance }),
      logger: silentLogger,
    });
    const big = await app.request(
      '/bids',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x'.repeat(300 * 1024) }) },
      { event: {} },
    );
    expect(big.status).toBe(413);
  });
});
