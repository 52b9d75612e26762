/** The in-memory store port against the same contract as the DynamoDB adapter. */
import { MemoryFundStore } from '../../functions/store/memory/memory-fund-store';
import { counted, type CallCounts } from '../sync/harness';
import { STORE_READS, STORE_WRITES } from '../support/store-methods';
import { describeFundStoreContract } from './fund-store-contract';

describeFundStoreContract('in memory', () => Promise.resolve({ store: new MemoryFundStore() }));

test('every port method is a method of the composed store, so proxies that count or intercept calls see each one', async () => {
  const store = new MemoryFundStore();
  for (const method of [...STORE_READS, ...STORE_WRITES]) expect(typeof store[method]).toBe('function');
  const calls: CallCounts = {};
  const watched = counted(store, calls);
  await watched.putBudget({ fy: '2025/26', fundPence: 1, costShare: { 'west-mercia': 6900, warwickshire: 3100 } });
  expect(await watched.years()).toEqual(['2025/26']);
  expect(calls).toEqual({ putBudget: 1, years: 1 });
});
