/** The audit trail of the bid selected on the Bids sheet. */
import { Button, Caption1, Divider, Subtitle2 } from '@fluentui/react-components';
import { usePaneStyles } from '../pane-styles';
import type { BidHistory } from '../use-history';
import { poundsOrBlank } from './pounds';

export function HistoryPanel({ history, onShow }: { history: BidHistory | null; onShow: () => void }) {
  const styles = usePaneStyles();
  return (
    <section aria-label="Bid history" data-testid="history">
      <Divider />
      <div className={styles.row}>
        <Subtitle2 as="h2">History of the selected bid</Subtitle2>
        <Button size="small" onClick={onShow}>
          Show
        </Button>
      </div>
      {history ? (
        <ul className={styles.list}>
          {history.events.map((e) => (
            <li key={`${e.at}-${e.version}-${e.action}`}>
              {new Date(e.at).toLocaleString('en-GB')}: {e.action} by {e.actor} ({e.role}){e.from ? `, ${e.from} → ${e.to}` : `, ${e.to}`}
              {e.amounts?.proposedPence !== undefined ? `, proposed ${poundsOrBlank(e.amounts.proposedPence ?? null)}` : ''}
              {e.reason ? `: ${e.reason}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <Caption1 className={styles.muted}>Select a row of the Bids table.</Caption1>
      )}
    </section>
  );
}
