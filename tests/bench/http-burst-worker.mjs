/**
 * The bench's HTTP client, on a worker thread (tests/bench/http-burst.ts): a burst of requests
 * sent all at once with fetch, answered with each status and problem type. The API under test
 * shares its Node thread with the embedded dynalite, as under `npm start`; its clients (Excel,
 * the sync) are other processes, so the client's own work is kept off that thread here too.
 */
/* global fetch */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', async (burst) => {
  const answers = await Promise.all(
    burst.requests.map(async (request) => {
      try {
        const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
        const text = await response.text();
        let type;
        try {
          type = JSON.parse(text).type;
        } catch {
          type = undefined;
        }
        return { status: response.status, ...(typeof type === 'string' ? { type } : {}) };
      } catch (error) {
        return { status: 0, type: String(error) };
      }
    }),
  );
  parentPort?.postMessage({ id: burst.id, answers });
});
