/** What the in-memory repositories share: values copied in and out, and a turn of the event loop per call. */

/**
 * A deep copy of plain data, as a round trip through the table would give it: callers can neither
 * change stored state through a value they passed in nor through one they were handed, and
 * undefined attributes are dropped (the document client removes them too).
 */
export function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Yield (a microtask) before acting, so concurrent calls interleave as they would against a
 * server; a microtask, not a timer, so tests with fake timers still run.
 */
export async function tick(): Promise<void> {
  await Promise.resolve();
}
