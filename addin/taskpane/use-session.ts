/** The pane's view of the shared session (addin/session.ts), re-rendering when it changes. */
import { useSyncExternalStore } from 'react';
import { getSnapshot, subscribe, type Session } from '../session';

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
