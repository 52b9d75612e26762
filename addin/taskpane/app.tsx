/**
 * The Fundshare task pane: connect, choose the year, Pull / Check / Push / Record decisions / Refresh budget,
 * progress and last sync, the budget summary, conflicts (server beside local) and the history
 * of the selected bid. Fluent UI v9 for Office's own look. State lives in hooks (use-*.ts);
 * each panel is a small component in panels/.
 */
import { Badge, FluentProvider, Title3, webLightTheme } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { financialYearOf, formatFinancialYear, parseFinancialYear } from '../../domain';
import { buildConfig } from '../config';
import { isExcelHost, type HostInfo } from '../excel/host';
import { usePaneStyles } from './pane-styles';
import { BudgetPanel } from './panels/budget-panel';
import { ConflictsPanel } from './panels/conflicts-panel';
import { ConnectPanel } from './panels/connect-panel';
import { DecisionsPanel } from './panels/decisions-panel';
import { HistoryPanel } from './panels/history-panel';
import { ProblemsPanel } from './panels/problems-panel';
import { ProgressPanel } from './panels/progress-panel';
import { StatusMessages } from './panels/status-messages';
import { WorkPanel } from './panels/work-panel';
import { useActivity } from './use-activity';
import { useConnection } from './use-connection';
import { useFundWork } from './use-fund-work';
import { useHistory } from './use-history';
import { useSession } from './use-session';

/** Last year, this year and next (the year a bid is made for is often the coming one). */
function yearChoices(today: Date): string[] {
  const current = parseFinancialYear(financialYearOf(today));
  const start = current.ok ? current.value : today.getFullYear();
  return [start - 1, start, start + 1].map(formatFinancialYear);
}

export function App({ host }: { host: HostInfo }) {
  const styles = usePaneStyles();
  const inExcel = isExcelHost(host);
  const years = useMemo(() => yearChoices(new Date()), []);
  const [fy, setFy] = useState(years[1] as string);
  const session = useSession();
  const activity = useActivity();
  const history = useHistory(session, inExcel, activity);
  const work = useFundWork({ inExcel, fy, activity, afterPull: history.followSelection });
  const connection = useConnection({
    inExcel,
    activity,
    begin: work.begin,
    onSignOut: () => {
      work.clear();
      history.clearHistory();
    },
  });
  const busy = activity.busy !== null;

  return (
    <FluentProvider theme={webLightTheme}>
      <main className={styles.pane} data-testid="fundshare-pane">
        <div className={styles.row}>
          <Title3 as="h1">Fundshare</Title3>
          {buildConfig.environment === 'dev' && <Badge appearance="tint">dev</Badge>}
        </div>
        <StatusMessages inExcel={inExcel} error={activity.error} notice={activity.notice} />
        {session ? (
          <WorkPanel
            session={session}
            years={years}
            fy={fy}
            onYear={(year) => {
              setFy(year);
              void work.changeYear(session, year);
            }}
            work={work}
            inExcel={inExcel}
            busy={busy}
            signOut={connection.signOut}
          />
        ) : (
          <ConnectPanel connection={connection} busy={busy} />
        )}
        {activity.busy && <ProgressPanel busy={activity.busy} />}
        {session && work.conflicts.length > 0 && (
          <ConflictsPanel conflicts={work.conflicts} onSettle={(c, choice) => void work.settle(session, c, choice)} />
        )}
        {session && work.recorded.length > 0 && <DecisionsPanel rows={work.recorded} conflicts={work.decisionConflicts} />}
        {work.problems.length > 0 && <ProblemsPanel problems={work.problems} />}
        {work.summary && <BudgetPanel summary={work.summary} showProposed={inExcel} />}
        {session && inExcel && <HistoryPanel history={history.history} onShow={() => void history.showSelected()} />}
      </main>
    </FluentProvider>
  );
}
