/** Workflow dependencies for the fake-Excel workflow tests: the real local API as `who`, no retries, a fresh cache. */
import { FundshareClient } from '../../../addin/api/client';
import { BidCache, type WorkflowDeps } from '../../../addin/workflows/workflows';
import { testActors, type TestActorName, type TestApi } from '../../support/stack';
import type { FakeExcel } from './fake-excel';

export function workflowDepsFor(api: TestApi, excel: FakeExcel, who: TestActorName, now?: Date): WorkflowDeps {
  const client = new FundshareClient({
    baseUrl: api.stack.apiUrl,
    getToken: () => api.token(who),
    sleep: async () => undefined,
    maxRetries: 0,
  });
  return {
    client,
    runExcel: (work) => work(excel.context),
    namespace: 'FUNDDEV',
    cache: new BidCache(),
    actor: testActors[who],
    ...(now ? { now: () => now } : {}),
  };
}
