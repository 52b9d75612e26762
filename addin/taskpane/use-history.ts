/**
 * The history of the selected bid: inside Excel the pane follows the selection on the Bids sheet
 * and reads the selected bid's audit trail; "Show" reads it on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEvent } from '../../domain';
import { currentSelectedBidId, watchBidSelection } from '../excel/host';
import { getSession, type Session } from '../session';
import type { Activity } from './use-activity';
import { describeError } from './describe-error';

export interface BidHistory {
  bidId: string;
  events: AuditEvent[];
}

export interface HistoryState {
  history: BidHistory | null;
  clearHistory: () => void;
  /** Start (or restart, once the Bids sheet exists) following the selection. */
  followSelection: () => Promise<void>;
  showSelected: () => Promise<void>;
}

export function useHistory(session: Session | null, inExcel: boolean, activity: Activity): HistoryState {
  const { run, setError } = activity;
  const [history, setHistory] = useState<BidHistory | null>(null);
  const stopWatching = useRef<(() => Promise<void>) | null>(null);

  const show = useCallback(
    async (bidId: string | null) => {
      const active = getSession();
      if (!bidId || !active) return;
      try {
        setHistory({ bidId, events: await active.client.history(bidId) });
      } catch (e) {
        setError(describeError(e));
      }
    },
    [setError],
  );

  const followSelection = useCallback(async () => {
    if (!inExcel) return;
    await stopWatching.current?.().catch(() => undefined);
    stopWatching.current = await watchBidSelection((id) => void show(id)).catch(() => null);
  }, [inExcel, show]);

  useEffect(() => {
    if (session) void followSelection();
  }, [session, followSelection]);

  const showSelected = () =>
    run('Reading history…', async () => {
      const id = await currentSelectedBidId();
      if (!id) throw new Error('Select a row of the Bids table first.');
      await show(id);
    }).then(() => undefined);

  return { history, clearHistory: () => setHistory(null), followSelection, showSelected };
}
