/** Before sign-in: the API's address and, in dev-token builds, the local demo user to act as. */
import { Button, Field, Input, Select } from '@fluentui/react-components';
import { buildConfig } from '../../config';
import { usePaneStyles } from '../pane-styles';
import type { Connection } from '../use-connection';

export function ConnectPanel({ connection, busy }: { connection: Connection; busy: boolean }) {
  const styles = usePaneStyles();
  const devToken = buildConfig.signIn === 'dev-token';
  return (
    <section aria-label="Connect" className={styles.section}>
      <Field label="Fundshare API">
        <Input value={connection.apiUrl} onChange={(_, d) => connection.setApiUrl(d.value)} data-testid="api-url" />
      </Field>
      {devToken ? (
        <Field label="Sign in as (local demo user)">
          <Select value={connection.userSub} onChange={(_, d) => connection.setUserSub(d.value)} data-testid="dev-user">
            {connection.users.map((u) => (
              <option key={u.sub} value={u.sub}>
                {u.name}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <Button
        appearance="primary"
        onClick={() => void connection.connect()}
        disabled={busy || connection.apiUrl === ''}
        data-testid="connect"
      >
        {devToken ? 'Connect' : 'Sign in with Microsoft'}
      </Button>
    </section>
  );
}
