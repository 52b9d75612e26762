/**
 * The bench's HTTP client, on a worker thread (tests/bench/http-burst.ts): a burst of requests
 * sent all at once over node:http keep-alive connections, answered with each status and problem
 * type. The API under test shares its Node thread with the embedded dynalite, as under
 * `npm start`; its clients (Excel, the sync) are other processes, so the client's own work is
 * kept off that thread here too, and kept small (node:http, not fetch) so it takes as little as
 * it can of the other core, where the API's garbage collector also runs.
 */
import { Buffer } from 'node:buffer';
import { Agent, request as httpRequest } from 'node:http';
import { parentPort } from 'node:worker_threads';

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/** One request: resolves with its status and problem type (0 and the error when it failed outright). */
function send(request) {
  return new Promise((resolve) => {
    const req = httpRequest(request.url, { method: request.method, headers: request.headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        let type;
        try {
          type = JSON.parse(Buffer.concat(chunks).toString('utf8')).type;
        } catch {
          type = undefined;
        }
        resolve({ status: response.statusCode ?? 0, ...(typeof type === 'string' ? { type } : {}) });
      });
      response.on('error', (error) => resolve({ status: 0, type: String(error) }));
    });
    req.on('error', (error) => resolve({ status: 0, type: String(error) }));
    req.end(request.body);
  });
}

parentPort?.on('message', async (burst) => {
  const answers = await Promise.all(burst.requests.map(send));
  parentPort?.postMessage({ id: burst.id, answers });
});
