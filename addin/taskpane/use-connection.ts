/**
 * Connecting: where the API is, the local demo users (dev-token builds) or Microsoft sign-in
 * (production builds, tried silently once when the pane opens), and signing out.
 */
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { DemoUser } from '../api/schemas';
import { FundshareClient } from '../api/client';
import { buildConfig, type MicrosoftSignInSettings } from '../config';
import { getSession, setSession, type Session } from '../session';
import { describeError } from './describe-error';
import { loadIdentityPort } from './identity-loader';
import { MicrosoftSignIn } from './microsoft-sign-in';
import { readPageConfig } from './page-config';
import { remembered } from './remembered';
import { signInError } from './sign-in-error';
import { signInWithDevToken } from './sign-in';
import type { Activity } from './use-activity';

export interface Connection {
  apiUrl: string;
  setApiUrl: (url: string) => void;
  users: DemoUser[];
  userSub: string;
  setUserSub: (sub: string) => void;
  connect: () => Promise<void>;
  signOut: () => void;
}

/**
 * Where the API is: ?api= beats the page's fundshare-config.json, which beats what was used last,
 * then the build default. The Entra ID settings: the page's, else the ones built in.
 */
async function discoverConfig(): Promise<{ apiUrl: string; microsoft: MicrosoftSignInSettings | null }> {
  const page = await readPageConfig();
  const fromQuery = new URLSearchParams(window.location.search).get('api');
  const apiUrl = fromQuery || page.apiUrl || (remembered.apiUrl() ?? buildConfig.defaultApiUrl);
  return { apiUrl, microsoft: page.microsoft ?? buildConfig.microsoft ?? null };
}

const trimmedUrl = (url: string) => url.trim().replace(/\/+$/, '');

interface Options {
  inExcel: boolean;
  activity: Activity;
  /** Makes the signed-in session the pane's (reads the budget). */
  begin: (active: Session) => Promise<void>;
  /** Forget what the signed-out session showed. */
  onSignOut: () => void;
}

export function useConnection({ inExcel, activity, begin, onSignOut }: Options): Connection {
  const { run, setError } = activity;
  const [apiUrl, setApiUrl] = useState('');
  const [users, setUsers] = useState<DemoUser[]>([]);
  const [userSub, setUserSub] = useState('');
  const microsoft = useRef<MicrosoftSignIn | null>(null);

  // The dev-user picker lists the local API's demo users.
  useEffect(() => {
    if (buildConfig.signIn !== 'dev-token' || apiUrl === '') return;
    let cancelled = false;
    new FundshareClient({ baseUrl: apiUrl, getToken: async () => null })
      .devUsers()
      .then((list) => {
        if (cancelled) return;
        setUsers(list);
        const last = remembered.devUser();
        setUserSub(list.find((u) => u.sub === last)?.sub ?? list[0]?.sub ?? '');
      })
      .catch((e: unknown) => !cancelled && setError(`Cannot list the demo users: ${describeError(e)}`));
    return () => {
      cancelled = true;
    };
  }, [apiUrl, setError]);

  // Reads the latest run/begin without making the opening effect depend on them.
  const signInSilently = useEffectEvent(async (signIn: MicrosoftSignIn, url: string, isCancelled: () => boolean) => {
    await run('Signing in…', async () => {
      const active = await signIn.signInSilently(trimmedUrl(url));
      if (active && !isCancelled() && !getSession()) await begin(active);
    });
  });

  // Once, when the pane opens: where the API is; in production, Microsoft sign-in, silently (no window opens).
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const config = await discoverConfig();
      const port = buildConfig.signIn === 'microsoft' ? await loadIdentityPort() : null;
      if (cancelled) return;
      if (port) {
        microsoft.current = new MicrosoftSignIn({ port, settings: config.microsoft, inOffice: inExcel, addinHost: window.location.host });
      }
      setApiUrl(config.apiUrl);
      if (microsoft.current && !getSession()) await signInSilently(microsoft.current, config.apiUrl, () => cancelled);
    })();
    return () => {
      cancelled = true;
    };
  }, [inExcel]);

  const connect = () =>
    run('Signing in…', async () => {
      const url = trimmedUrl(apiUrl);
      let active: Session;
      if (buildConfig.signIn === 'microsoft') {
        if (!microsoft.current) throw signInError('not-configured');
        active = await microsoft.current.signIn(url);
      } else {
        const user = users.find((u) => u.sub === userSub);
        if (!user) throw new Error('Choose a demo user first.');
        active = await signInWithDevToken(url, user);
        remembered.setDevUser(user.sub);
      }
      await begin(active);
    }).then(() => undefined);

  const signOut = () => {
    getSession()?.signOut?.();
    setSession(null);
    onSignOut();
  };

  return { apiUrl, setApiUrl, users, userSub, setUserSub, connect, signOut };
}
