/** Signed in: who, the financial year, the sheet actions (Pull / Check / Push / Record decisions / Release payments / Push schedules / Panel pack / Refresh budget) and the last sync. */
import { Button, Caption1, Checkbox, Field, Select, Text } from '@fluentui/react-components';
import { CONFIRM_INTERESTS_LABEL } from '../../sheet/decision-plan';
import type { Session } from '../../session';
import { usePaneStyles } from '../pane-styles';
import type { FundWork } from '../use-fund-work';

interface Props {
  session: Session;
  years: readonly string[];
  fy: string;
  onYear: (fy: string) => void;
  work: FundWork;
  inExcel: boolean;
  busy: boolean;
  signOut: () => void;
}

export function WorkPanel({ session, years, fy, onYear, work, inExcel, busy, signOut }: Props) {
  const styles = usePaneStyles();
  const sheetIdle = inExcel && !busy;
  return (
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
        <Select value={fy} onChange={(_, d) => onYear(d.value)} data-testid="fy">
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </Select>
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!sheetIdle} onClick={() => void work.pull(session)} data-testid="pull">
          Pull bids
        </Button>
        <Button disabled={!sheetIdle} onClick={() => void work.check(session)} data-testid="check">
          Check
        </Button>
        <Button disabled={!sheetIdle} onClick={() => void work.push(session)} data-testid="push">
          Push allocations
        </Button>
        <Button disabled={!sheetIdle} onClick={() => void work.record(session)} data-testid="record">
          Record decisions
        </Button>
        {session.user.roles.includes('pcc') && (
          <Button disabled={!sheetIdle} onClick={() => void work.release(session)} data-testid="release-payments">
            Release payments
          </Button>
        )}
        {session.user.roles.includes('finance') && (
          <Button disabled={!sheetIdle} onClick={() => void work.schedule(session)} data-testid="push-schedules">
            Push schedules
          </Button>
        )}
        <Button disabled={!sheetIdle} onClick={() => void work.panel(session)} data-testid="panel-pack">
          Panel pack
        </Button>
        <Button disabled={busy} onClick={() => void work.refresh(session)} data-testid="refresh">
          Refresh budget
        </Button>
      </div>
      {/* An approval is sent only with this ticked, as the PCC's decision notice confirms it. */}
      <Checkbox
        checked={work.interestsConfirmed}
        onChange={(_, d) => work.confirmInterests(d.checked === true)}
        label={CONFIRM_INTERESTS_LABEL}
        data-testid="confirm-interests"
      />
      <Caption1 className={styles.muted} data-testid="last-sync">
        {work.lastSync ? `Last sync ${work.lastSync.toLocaleString('en-GB')}` : 'Not synced yet'}
      </Caption1>
    </>
  );
}
