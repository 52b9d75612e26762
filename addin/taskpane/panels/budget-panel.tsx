/**
 * One card per funder, label beside value: a task pane is about 320–350 px wide, too narrow for
 * five columns of pounds side by side.
 */
import { MessageBar, MessageBarBody, Subtitle2, Text } from '@fluentui/react-components';
import { formatPounds } from '../../../domain';
import type { BudgetSummary } from '../../sheet/budget-summary';
import { usePaneStyles } from '../pane-styles';

export function BudgetPanel({ summary, showProposed }: { summary: BudgetSummary; showProposed: boolean }) {
  const styles = usePaneStyles();
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
