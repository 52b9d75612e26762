/** Rows changed on the server since the pull: the server's value beside the sheet's, and a choice per row. */
import { Button, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { Conflict } from '../../sheet/sync-plan';
import { usePaneStyles } from '../pane-styles';
import type { ConflictChoice } from '../use-fund-work';
import { poundsOrBlank } from './pounds';

export function ConflictsPanel({
  conflicts,
  onSettle,
}: {
  conflicts: Conflict[];
  onSettle: (c: Conflict, choice: ConflictChoice) => void;
}) {
  const styles = usePaneStyles();
  return (
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
                {poundsOrBlank(c.serverPence)} (v{c.serverVersion})
              </TableCell>
              <TableCell className={styles.money}>{poundsOrBlank(c.localPence)}</TableCell>
              <TableCell>
                <Button size="small" onClick={() => onSettle(c, 'keep-mine')}>
                  Keep mine
                </Button>{' '}
                <Button size="small" onClick={() => onSettle(c, 'use-server')}>
                  Use server&apos;s
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
