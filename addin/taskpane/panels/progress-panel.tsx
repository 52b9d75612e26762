/** The running step: a progress bar when it counts rows, else a spinner with its label. */
import { Field, ProgressBar, Spinner } from '@fluentui/react-components';
import type { Progress } from '../../workflows/workflows';

export function ProgressPanel({ busy }: { busy: Progress }) {
  return (
    <Field validationMessage={busy.total ? `${busy.label} ${busy.done ?? 0} of ${busy.total}` : busy.label} validationState="none">
      {busy.total ? <ProgressBar value={(busy.done ?? 0) / Math.max(1, busy.total)} /> : <Spinner size="tiny" label={busy.label} />}
    </Field>
  );
}
