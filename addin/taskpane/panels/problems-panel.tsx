/** Rows needing attention after Pull, Check or Push: the first 50, the rest counted (the Check column has all). */
import { Caption1, Subtitle2 } from '@fluentui/react-components';
import type { RowIssue } from '../../sheet/sync-plan';
import { usePaneStyles } from '../pane-styles';

const SHOWN = 50;

export function ProblemsPanel({ problems }: { problems: RowIssue[] }) {
  const styles = usePaneStyles();
  return (
    <section aria-label="Rows needing attention" data-testid="problems">
      <Subtitle2 as="h2">Rows needing attention</Subtitle2>
      <ul className={styles.list}>
        {problems.slice(0, SHOWN).map((p, i) => (
          <li key={`${p.bidId}-${i}`}>
            <b>{p.title || p.bidId}</b>: {p.message}
          </li>
        ))}
      </ul>
      {problems.length > SHOWN && <Caption1>…and {problems.length - SHOWN} more (see the Check column).</Caption1>}
    </section>
  );
}
