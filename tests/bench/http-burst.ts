/**
 * Bursts of HTTP requests sent from a worker thread (tests/bench/http-burst-worker.mjs), so the
 * client's own work is not charged to the API's thread (docs/bench.md, `race_vs_floor`).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface BurstRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** One answer: HTTP status (0 when the request failed outright) and the problem type if any. */
export interface BurstAnswer {
  status: number;
  type?: string;
}

export interface HttpBurster {
  /** Send every request at once; resolves with the answers in request order. */
  send: (requests: readonly BurstRequest[]) => Promise<BurstAnswer[]>;
  stop: () => Promise<void>;
}

export function startHttpBurster(): HttpBurster {
  const worker = new Worker(join(__dirname, 'http-burst-worker.mjs'));
  worker.unref(); // a bench that fails half-way still exits
  const waiting = new Map<number, { resolve: (answers: BurstAnswer[]) => void; reject: (error: unknown) => void }>();
  let next = 0;
  worker.on('message', (message: { id: number; answers: BurstAnswer[] }) => {
    waiting.get(message.id)?.resolve(message.answers);
    waiting.delete(message.id);
  });
  worker.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  });
  return {
    send: (requests) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, requests });
      }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
