/**
 * The sign-in the task pane and the custom functions share. With the shared runtime both run in
 * one JavaScript context, so the pane's connection is the functions' connection too.
 */
import { ROLES, type Actor, type Role } from '../domain';
import type { FundshareClient } from './api/client';

export interface SignedInUser {
  sub: string;
  name: string;
  roles: readonly string[];
  /** The role bindings the token carries (a PCC's funder, a submitter's organisation, a board member's affiliation). */
  funder?: Actor['funder'];
  organisation?: Actor['organisation'];
  affiliation?: Actor['affiliation'];
}

/**
 * The user as the domain's rules see them, for what the pane offers (the Decision drop-down).
 * Only an offer: the API decides from the verified token.
 */
export function actorOfUser(user: SignedInUser): Actor {
  // A role value may carry its binding (pcc.<funder id>): the role is the part before the dot.
  const names = user.roles.map((value) => value.split('.', 1)[0] as string);
  const roles = [...new Set(names.filter((r): r is Role => (ROLES as readonly string[]).includes(r)))];
  return {
    sub: user.sub,
    roles,
    ...(user.funder ? { funder: user.funder } : {}),
    ...(user.organisation ? { organisation: user.organisation } : {}),
    ...(user.affiliation ? { affiliation: user.affiliation } : {}),
  };
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
