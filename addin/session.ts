/**
 * The sign-in the task pane and the custom functions share. With the shared runtime both run in
 * one JavaScript context, so the pane's connection is the functions' connection too.
 */
import type { FundshareClient } from './api/client';

export interface SignedInUser {
  sub: string;
  name: string;
  roles: readonly string[];
}

export interface Session {
  apiUrl: string;
  client: FundshareClient;
  user: SignedInUser;
  /** Forget what this session holds (tokens, the MSAL instance) when the user signs out. */
  signOut?: () => void;
}

type Listener = (session: Session | null) => void;

let current: Session | null = null;
const listeners = new Set<Listener>();

export function getSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener(current);
}

/**
 * The external store React reads with useSyncExternalStore: the snapshot is the session set (or
 * null) and changes identity only when setSession sets another one.
 */
export const getSnapshot = (): Session | null => current;

export function subscribe(listener: () => void): () => void {
  const wrapped: Listener = () => listener();
  listeners.add(wrapped);
  return () => {
    listeners.delete(wrapped);
  };
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
