/**
 * `npm start`'s sync timer: one pass shortly after start, then one every interval
 * (FUNDSHARE_SYNC_INTERVAL_SECONDS, default 60), never two at once (the next is scheduled when
 * the last ends), errors logged and never thrown into the server.
 */
import type { AppLogger } from '../functions/logger';
import type { SyncReport } from '../functions/sync/run-sync';

export interface SyncTimer {
  stop: () => Promise<void>;
}

export function startSyncTimer(options: {
  run: () => Promise<SyncReport>;
  intervalMs: number;
  firstDelayMs?: number;
  logger: AppLogger;
  onReport?: (report: SyncReport) => void;
}): SyncTimer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = () => {
    timer = undefined;
    running = options
      .run()
      .then(options.onReport, (error: unknown) =>
        options.logger.error('scheduled sync failed; it runs again next interval', error as Error),
      )
      .catch((error: unknown) => options.logger.error('sync report handler failed', error as Error))
      .finally(() => {
        running = undefined;
        if (!stopped && options.intervalMs > 0) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.firstDelayMs ?? 2_000);

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
