/** A year that has bids but no budget yet is still reconciled and exported. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBid } from '../support/fund';
import { completed, startSyncHarness, type SyncHarness } from './harness';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(() => h.stop());

test('bids filed for a year with no budget are exported', async () => {
  await createBid(h.api, { fy: '2031/32', title: 'Early plan for a year not yet budgeted' });
  expect(await h.api.stack.deps.store.years()).toContain('2031/32');
  const report = completed(await h.run());
  expect(report.years.map((y) => y.fy)).toContain('2031/32');
  expect(readdirSync(join(h.exportsDir, 'latest'))).toContain('fundshare-2031-32.jsonl');
});
