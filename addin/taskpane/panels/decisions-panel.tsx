/** After Record decisions: each sent row's outcome, and for a row changed meanwhile the server's bid beside the decision typed. */
import { Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { DecisionConflict, RecordedRow } from '../../sheet/decision-plan';

const OUTCOME_TEXT: Record<RecordedRow['outcome'], string> = {
  ok: 'Recorded',
  'version-conflict': 'Changed meanwhile',
  invalid: 'Not valid',
  forbidden: 'Refused',
  'over-budget': 'Over budget',
};

export function DecisionsPanel({ rows, conflicts }: { rows: RecordedRow[]; conflicts: DecisionConflict[] }) {
  return (
    <section aria-label="Decisions recorded" data-testid="decisions">
      <Subtitle2 as="h2">Decisions</Subtitle2>
      <Table size="small">
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.bidId} data-testid={`decision-${r.bidId}`}>
              <TableCell>{r.title || r.bidId}</TableCell>
              <TableCell>
                <b>{OUTCOME_TEXT[r.outcome]}</b>: {r.message}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {conflicts.length > 0 && (
        <Table size="small" aria-label="Decisions on rows changed meanwhile" data-testid="decision-conflicts">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Bid</TableHeaderCell>
              <TableHeaderCell>Server</TableHeaderCell>
              <TableHeaderCell>Yours</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {conflicts.map((c) => (
              <TableRow key={c.bidId}>
                <TableCell>{c.title}</TableCell>
                <TableCell>{c.server}</TableCell>
                <TableCell>{c.yours}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
