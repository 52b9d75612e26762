/**
 * The Fundshare task pane: connect, choose the year, Pull / Check / Push / Refresh budget,
 * progress and last sync, the budget summary, conflicts (server beside local) and the history
 * of the selected bid. Fluent UI v9 for Office's own look.
 */
import {
  Badge,
  Button,
  Caption1,
  Divider,
  Field,
  FluentProvider,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Select,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  makeStyles,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { financialYearOf, formatFinancialYear, formatPounds, parseFinancialYear, type AuditEvent, type Pence } from '../../domain';
import { FundshareClient } from '../api/client';
import type { DemoUser } from '../api/schemas';
import { buildConfig, type MicrosoftSignInSettings } from '../config';
import { currentSelectedBidId, isExcelHost, recalculate, runExcel, watchBidSelection, type HostInfo } from '../excel/host';
import { refreshFunctionBudgets } from '../functions/budget-source';
import { getSession, setSession, type Session } from '../session';
import { useSession } from './use-session';
import type { BudgetSummary } from '../sheet/budget-summary';
import type { Conflict, RowIssue } from '../sheet/sync-plan';
import { BidCache, checkSheet, pullBids, pushAllocations, refreshBudget, settleConflict, type Progress } from '../workflows/workflows';
import { describeError } from './describe-error';
import { loadIdentityPort } from './identity-loader';
import { MicrosoftSignIn } from './microsoft-sign-in';
import { readPageConfig } from './page-config';
import { signInError } from './sign-in-error';
import { signInWithDevToken } from './sign-in';

const useStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '12px', minHeight: '100vh', boxSizing: 'border-box' },
  row: { display: 'flex', gap: '8px', flexWrap: 'wrap', alignItems: 'center' },
  actions: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '8px' },
  muted: { color: tokens.colorNeutralForeground3 },
  money: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  list: { margin: 0, paddingLeft: '18px' },
  funders: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: '8px', marginTop: '8px' },
  funderCard: {
    padding: '8px 12px',
    borderRadius: tokens.borderRadiusMedium,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  figures: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    columnGap: '12px',
    rowGap: '2px',
    margin: '4px 0 0',
    '& dt': { color: tokens.colorNeutralForeground2 },
    '& dd': { margin: 0 },
  },
});

const API_URL_KEY = 'fundshare.apiUrl';
const USER_KEY = 'fundshare.devUser';

function yearChoices(today: Date): string[] {
  const current = parseFinancialYear(financialYearOf(today));
  const start = current.ok ? current.value : today.getFullYear();
  return [start - 1, start, start + 1].map(formatFinancialYear);
}

const pounds = (pence: Pence | null) => (pence === null ? 'blank' : formatPounds(pence));
const repeatsNotice = (count: number) =>
  count === 0
    ? ''
    : ` ${count} bid${count === 1 ? ' repeats' : 's repeat'} an earlier bid's project (a corrected plan sent again?): see below.`;

/**
 * Where the API is: ?api= beats the page's fundshare-config.json, which beats what was used last,
 * then the build default. The Entra ID settings: the page's, else the ones built in.
 */
async function discoverConfig(): Promise<{ apiUrl: string; microsoft: MicrosoftSignInSettings | null }> {
  const page = await readPageConfig();
  const fromQuery = new URLSearchParams(window.location.search).get('api');
  const apiUrl = fromQuery || page.apiUrl || (window.localStorage.getItem(API_URL_KEY) ?? buildConfig.defaultApiUrl);
  return { apiUrl, microsoft: page.microsoft ?? buildConfig.microsoft ?? null };
}

export function App({ host }: { host: HostInfo }) {
  const styles = useStyles();
  const inExcel = isExcelHost(host);
  const years = useMemo(() => yearChoices(new Date()), []);
  const [apiUrl, setApiUrl] = useState('');
  const [users, setUsers] = useState<DemoUser[]>([]);
  const [userSub, setUserSub] = useState('');
  const session = useSession();
  const [fy, setFy] = useState(years[1] as string);
  const [busy, setBusy] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lastSync, setLastSync] = useState<Date | null>(null);
  const [summary, setSummary] = useState<BudgetSummary | null>(null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [problems, setProblems] = useState<RowIssue[]>([]);
  const [history, setHistory] = useState<{ bidId: string; events: AuditEvent[] } | null>(null);
  const cache = useRef(new BidCache());
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
        const remembered = window.localStorage.getItem(USER_KEY);
        setUserSub(list.find((u) => u.sub === remembered)?.sub ?? list[0]?.sub ?? '');
      })
      .catch((e: unknown) => !cancelled && setError(`Cannot list the demo users: ${describeError(e)}`));
    return () => {
      cancelled = true;
    };
  }, [apiUrl]);

  const run = useCallback(async <T,>(label: string, work: () => Promise<T>): Promise<T | undefined> => {
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

  const deps = useCallback(
    (active: Session) => ({ client: active.client, runExcel, namespace: buildConfig.namespace, cache: cache.current, onProgress: setBusy }),
    [],
  );

  const loadBudget = useCallback(
    async (active: Session, year: string) => {
      const result = await refreshBudget({ ...deps(active), ...(inExcel ? { runExcel } : { runExcel: undefined }) }, year);
      setSummary(result);
      refreshFunctionBudgets();
      return result;
    },
    [deps, inExcel],
  );

  const begin = useCallback(
    async (active: Session) => {
      window.localStorage.setItem(API_URL_KEY, active.apiUrl);
      setSession(active);
      cache.current = new BidCache();
      await loadBudget(active, fy);
      if (inExcel) await recalculate().catch(() => undefined);
    },
    [fy, inExcel, loadBudget],
  );

  // Where the API is; in production, Microsoft sign-in, tried silently once (no window opens).
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
      const signIn = microsoft.current;
      if (!signIn || getSession()) return;
      await run('Signing in…', async () => {
        const active = await signIn.signInSilently(config.apiUrl.replace(/\/+$/, ''));
        if (active && !cancelled && !getSession()) await begin(active);
      });
    })();
    return () => {
      cancelled = true;
    };
    // Once, when the pane opens.
  }, []);

  const connect = () =>
    run('Signing in…', async () => {
      const url = apiUrl.trim().replace(/\/+$/, '');
      let active: Session;
      if (buildConfig.signIn === 'microsoft') {
        if (!microsoft.current) throw signInError('not-configured');
        active = await microsoft.current.signIn(url);
      } else {
        const user = users.find((u) => u.sub === userSub);
        if (!user) throw new Error('Choose a demo user first.');
        active = await signInWithDevToken(url, user);
        window.localStorage.setItem(USER_KEY, user.sub);
      }
      await begin(active);
    });

  const signOut = () => {
    getSession()?.signOut?.();
    setSession(null);
    setSummary(null);
    setConflicts([]);
    setHistory(null);
  };

  // Follow the selected row for its history (inside Excel, once the Bids sheet exists).
  const showHistory = useCallback(async (bidId: string | null) => {
    const active = getSession();
    if (!bidId || !active) return;
    try {
      setHistory({ bidId, events: await active.client.history(bidId) });
    } catch (e) {
      setError(describeError(e));
    }
  }, []);
  const stopWatching = useRef<(() => Promise<void>) | null>(null);
  const followSelection = useCallback(async () => {
    if (!inExcel) return;
    await stopWatching.current?.().catch(() => undefined);
    stopWatching.current = await watchBidSelection((id) => void showHistory(id)).catch(() => null);
  }, [inExcel, showHistory]);
  useEffect(() => {
    if (session) void followSelection();
  }, [session, followSelection]);

  const pull = (active: Session) =>
    run('Pulling bids…', async () => {
      const result = await pullBids(deps(active), fy);
      setSummary(result.summary);
      setConflicts(result.conflicts);
      setProblems([...result.orphans, ...result.repeats]);
      setLastSync(result.at);
      refreshFunctionBudgets();
      await followSelection();
      setNotice(
        `Pulled ${result.bids} bids${result.delta ? ' (changes only)' : ''}.` +
          (result.keptEdits > 0 ? ` Kept ${result.keptEdits} unsent proposal${result.keptEdits === 1 ? '' : 's'}.` : '') +
          (result.failedChecks > 0 ? ` ${result.failedChecks} row${result.failedChecks === 1 ? '' : 's'} fail a check.` : '') +
          repeatsNotice(result.repeats.length),
      );
    });

  const check = (active: Session) =>
    run('Checking…', async () => {
      const result = await checkSheet(deps(active), fy);
      setSummary(result.summary);
      setProblems([...result.failed, ...result.repeats]);
      setNotice(
        (result.failed.length === 0
          ? `All ${result.rows} rows pass the checks.`
          : `${result.failed.length} of ${result.rows} rows fail a check.`) + repeatsNotice(result.repeats.length),
      );
    });

  const push = (active: Session) =>
    run('Pushing allocations…', async () => {
      const result = await pushAllocations(deps(active), fy);
      if (result.summary) setSummary(result.summary);
      setConflicts(result.conflicts);
      setProblems([...result.refused, ...result.skipped]);
      setLastSync(result.at);
      refreshFunctionBudgets();
      setNotice(
        result.sent === 0
          ? 'Nothing to push: no proposal differs from what was pulled.'
          : `Saved ${result.saved} of ${result.sent} proposals.` +
              (result.conflicts.length > 0 ? ` ${result.conflicts.length} changed on the server meanwhile: choose below.` : '') +
              (result.refused.length > 0 ? ` ${result.refused.length} refused.` : ''),
      );
    });

  const settle = (active: Session, conflict: Conflict, choice: 'keep-mine' | 'use-server') =>
    run('Updating the row…', async () => {
      await settleConflict(deps(active), fy, conflict.bidId, choice);
      setConflicts((list) => list.filter((c) => c.bidId !== conflict.bidId));
      setNotice(choice === 'keep-mine' ? 'Kept your value; push to send it.' : "Took the server's value.");
    });

  const historyOfSelection = () =>
    run('Reading history…', async () => {
      const id = await currentSelectedBidId();
      if (!id) throw new Error('Select a row of the Bids table first.');
      await showHistory(id);
    });

  return (
    <FluentProvider theme={webLightTheme}>
      <main className={styles.pane} data-testid="fundshare-pane">
        <div className={styles.row}>
          <Title3 as="h1">Fundshare</Title3>
          {buildConfig.environment === 'dev' && <Badge appearance="tint">dev</Badge>}
        </div>

        {!inExcel && (
          <MessageBar intent="info" data-testid="needs-excel">
            <MessageBarBody>
              <MessageBarTitle>Open this pane in Excel</MessageBarTitle>
              {buildConfig.signIn === 'dev-token'
                ? 'Pulling, checking and pushing bids need Excel. Here you can still sign in and see the budget summary.'
                : 'Signing in with Microsoft, and pulling, checking and pushing bids, need Excel.'}
            </MessageBarBody>
          </MessageBar>
        )}
        {error && (
          <MessageBar intent="error" data-testid="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        {notice && (
          <MessageBar intent="success" data-testid="notice">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}

        {!session ? (
          <section aria-label="Connect" className={styles.pane} style={{ padding: 0 }}>
            <Field label="Fundshare API">
              <Input value={apiUrl} onChange={(_, d) => setApiUrl(d.value)} data-testid="api-url" />
            </Field>
            {buildConfig.signIn === 'dev-token' ? (
              <Field label="Sign in as (local demo user)">
                <Select value={userSub} onChange={(_, d) => setUserSub(d.value)} data-testid="dev-user">
                  {users.map((u) => (
                    <option key={u.sub} value={u.sub}>
                      {u.name}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            <Button appearance="primary" onClick={() => void connect()} disabled={busy !== null || apiUrl === ''} data-testid="connect">
              {buildConfig.signIn === 'dev-token' ? 'Connect' : 'Sign in with Microsoft'}
            </Button>
          </section>
        ) : (
          <>
            <div className={styles.row}>
              <Text data-testid="signed-in">
                Signed in as <b>{session.user.name}</b> {session.user.roles.length > 0 && `(${session.user.roles.join(', ')})`}
              </Text>
              <Button size="small" appearance="subtle" onClick={signOut}>
                Sign out
              </Button>
            </div>
            <Field label="Financial year">
              <Select
                value={fy}
                onChange={(_, d) => {
                  setFy(d.value);
                  setConflicts([]);
                  void run('Reading the budget…', () => loadBudget(session, d.value));
                }}
                data-testid="fy"
              >
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </Select>
            </Field>
            <div className={styles.actions}>
              <Button appearance="primary" disabled={!inExcel || busy !== null} onClick={() => void pull(session)} data-testid="pull">
                Pull bids
              </Button>
              <Button disabled={!inExcel || busy !== null} onClick={() => void check(session)} data-testid="check">
                Check
              </Button>
              <Button disabled={!inExcel || busy !== null} onClick={() => void push(session)} data-testid="push">
                Push allocations
              </Button>
              <Button
                disabled={busy !== null}
                onClick={() => void run('Reading the budget…', () => loadBudget(session, fy))}
                data-testid="refresh"
              >
                Refresh budget
              </Button>
            </div>
            <Caption1 className={styles.muted} data-testid="last-sync">
              {lastSync ? `Last sync ${lastSync.toLocaleString('en-GB')}` : 'Not synced yet'}
            </Caption1>
          </>
        )}

        {busy && (
          <Field validationMessage={busy.total ? `${busy.label} ${busy.done ?? 0} of ${busy.total}` : busy.label} validationState="none">
            {busy.total ? <ProgressBar value={(busy.done ?? 0) / Math.max(1, busy.total)} /> : <Spinner size="tiny" label={busy.label} />}
          </Field>
        )}

        {conflicts.length > 0 && session && (
          <section aria-label="Conflicts" data-testid="conflicts">
            <Subtitle2 as="h2">Changed on the server meanwhile</Subtitle2>
            <Table size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Bid</TableHeaderCell>
                  <TableHeaderCell>Server</TableHeaderCell>
                  <TableHeaderCell>Yours</TableHeaderCell>
                  <TableHeaderCell />
                </TableRow>
              </TableHeader>
              <TableBody>
                {conflicts.map((c) => (
                  <TableRow key={c.bidId}>
                    <TableCell>{c.title}</TableCell>
                    <TableCell className={styles.money}>
                      {pounds(c.serverPence)} (v{c.serverVersion})
                    </TableCell>
                    <TableCell className={styles.money}>{pounds(c.localPence)}</TableCell>
                    <TableCell>
                      <Button size="small" onClick={() => void settle(session, c, 'keep-mine')}>
                        Keep mine
                      </Button>{' '}
                      <Button size="small" onClick={() => void settle(session, c, 'use-server')}>
                        Use server&apos;s
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </section>
        )}

        {problems.length > 0 && (
          <section aria-label="Rows needing attention" data-testid="problems">
            <Subtitle2 as="h2">Rows needing attention</Subtitle2>
            <ul className={styles.list}>
              {problems.slice(0, 50).map((p, i) => (
                <li key={`${p.bidId}-${i}`}>
                  <b>{p.title || p.bidId}</b>: {p.message}
                </li>
              ))}
            </ul>
            {problems.length > 50 && <Caption1>…and {problems.length - 50} more (see the Check column).</Caption1>}
          </section>
        )}

        {summary && <BudgetTable summary={summary} showProposed={inExcel} />}

        {session && inExcel && (
          <section aria-label="Bid history" data-testid="history">
            <Divider />
            <div className={styles.row}>
              <Subtitle2 as="h2">History of the selected bid</Subtitle2>
              <Button size="small" onClick={() => void historyOfSelection()}>
                Show
              </Button>
            </div>
            {history ? (
              <ul className={styles.list}>
                {history.events.map((e) => (
                  <li key={`${e.at}-${e.version}-${e.action}`}>
                    {new Date(e.at).toLocaleString('en-GB')}: {e.action} by {e.actor} ({e.role})
                    {e.from ? `, ${e.from} → ${e.to}` : `, ${e.to}`}
                    {e.amounts?.proposedPence !== undefined ? `, proposed ${pounds(e.amounts.proposedPence ?? null)}` : ''}
                    {e.reason ? `: ${e.reason}` : ''}
                  </li>
                ))}
              </ul>
            ) : (
              <Caption1 className={styles.muted}>Select a row of the Bids table.</Caption1>
            )}
          </section>
        )}
      </main>
    </FluentProvider>
  );
}

/**
 * One card per funder, label beside value: a task pane is about 320–350 px wide, too narrow for
 * five columns of pounds side by side.
 */
function BudgetTable({ summary, showProposed }: { summary: BudgetSummary; showProposed: boolean }) {
  const styles = useStyles();
  return (
    <section aria-label="Budget summary" data-testid="budget-summary">
      <Subtitle2 as="h2">
        Budget {summary.fy}: fund {formatPounds(summary.fundPence)}
      </Subtitle2>
      <div className={styles.funders}>
        {summary.funders.map((f) => (
          <div key={f.funder} className={styles.funderCard} data-testid={`budget-${f.funder}`}>
            <Text weight="semibold">{f.name}</Text>
            <dl className={styles.figures}>
              <dt>Pot</dt>
              <dd className={styles.money} data-testid={`pot-${f.funder}`}>
                {formatPounds(f.potPence)}
              </dd>
              <dt>Committed</dt>
              <dd className={styles.money} data-testid={`committed-${f.funder}`}>
                {formatPounds(f.committedPence)}
              </dd>
              <dt>Pending</dt>
              <dd className={styles.money} data-testid={`pending-${f.funder}`}>
                {formatPounds(f.pendingPence)}
              </dd>
              {showProposed && (
                <>
                  <dt>Proposed in the sheet</dt>
                  <dd className={styles.money}>{formatPounds(f.proposedPence)}</dd>
                </>
              )}
              <dt>Remaining</dt>
              <dd className={styles.money} data-testid={`remaining-${f.funder}`}>
                {formatPounds(f.remainingPence)}
              </dd>
            </dl>
          </div>
        ))}
      </div>
      {summary.findings.map((f) => (
        <MessageBar key={`${f.check}-${f.funder ?? ''}`} intent={f.severity === 'error' ? 'error' : 'warning'} data-testid="budget-finding">
          <MessageBarBody>{f.message}</MessageBarBody>
        </MessageBar>
      ))}
    </section>
  );
}
