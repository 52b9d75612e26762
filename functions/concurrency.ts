/**
 * `work` over `items`, at most `concurrency` at a time, each item handed out once in index order.
 * For store calls that may overlap (reconcile's reads, batch reads, a proposals batch) without
 * opening hundreds of requests at once.
 */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** `inParallel`, keeping each item's result: the results in the items' order. */
export async function mapInParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  await inParallel(items, concurrency, async (item, index) => {
    results[index] = await work(item, index);
  });
  return results;
}
