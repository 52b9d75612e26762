/**
 * Store calls on a use case's critical path: the counting proxy of tests/sync/harness.ts
 * (`counted`), plus a step counter. A call that starts while another of the same request is still
 * in flight runs beside it and adds no round trip, so only calls started with none in flight count
 * as steps (docs/design.md §3: an older outbox copy runs beside the bid write).
 */
import type { FundStore } from '../../functions/store/types';
import { counted, type CallCounts } from '../sync/harness';

export interface CriticalPathCounter {
  store: FundStore;
  /** Every call, by method. */
  calls: CallCounts;
  /** The methods of the calls that started with no other in flight, in order. */
  steps: string[];
  reset: () => void;
}

export function criticalPathCounter(store: FundStore): CriticalPathCounter {
  const calls: CallCounts = {};
  const steps: string[] = [];
  let inFlight = 0;
  const wrapped = counted(store, calls, async (method, _args, call) => {
    if (inFlight === 0) steps.push(method);
    inFlight++;
    try {
      return await call();
    } finally {
      inFlight--;
    }
  });
  return {
    store: wrapped,
    calls,
    steps,
    reset: () => {
      for (const key of Object.keys(calls)) delete calls[key];
      steps.length = 0;
    },
  };
}
