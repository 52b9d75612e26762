/**
 * What the pane is doing: the running step (with progress), the last error and the last notice.
 * Every sheet or API action goes through `run`, so at most one runs at a time from the buttons,
 * its failure becomes a message, and the progress bar follows it.
 */
import { useCallback, useState } from 'react';
import type { Progress } from '../workflows/workflows';
import { describeError } from './describe-error';

export interface Activity {
  busy: Progress | null;
  error: string | null;
  notice: string | null;
  setBusy: (progress: Progress | null) => void;
  setError: (message: string | null) => void;
  setNotice: (message: string | null) => void;
  /** Runs one step: clears the messages, shows the label, turns a throw into the error message. */
  run: <T>(label: string, work: () => Promise<T>) => Promise<T | undefined>;
}

export function useActivity(): Activity {
  const [busy, setBusy] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = useCallback(async <T>(label: string, work: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    setNotice(null);
    setBusy({ label });
    try {
      return await work();
    } catch (e) {
      setError(describeError(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, notice, setBusy, setError, setNotice, run };
}
