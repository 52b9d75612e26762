/** The task pane's styles, shared by its panels (Fluent UI v9 tokens, so it follows Office's theme). */
import { makeStyles, tokens } from '@fluentui/react-components';

export const usePaneStyles = makeStyles({
  pane: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '12px', minHeight: '100vh', boxSizing: 'border-box' },
  section: { display: 'flex', flexDirection: 'column', gap: '12px' },
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
