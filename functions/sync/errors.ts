/** How a sync run ends badly: the handler throws these, so the scheduler retries and alarms fire. */

export class LeaseLostError extends Error {
  constructor() {
    super('the sync lease was lost to another run (this run took longer than the lease); stopping');
    this.name = 'LeaseLostError';
  }
}

/** Some intake files or years failed (each is tried again on the next run); everything else was done. */
export class SyncIncompleteError<Report = unknown> extends Error {
  constructor(
    readonly report: Report,
    failures: readonly { name: string; error?: string }[],
  ) {
    super(
      `${failures.length} part(s) of the sync could not be done and are tried again on the next run: ${failures
        .map((f) => `${f.name} (${f.error ?? 'unknown error'})`)
        .join('; ')}`,
    );
    this.name = 'SyncIncompleteError';
  }
}
