/** The pane's messages: outside Excel what needs Excel, the last error and the last notice. */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { buildConfig } from '../../config';

export function StatusMessages({ inExcel, error, notice }: { inExcel: boolean; error: string | null; notice: string | null }) {
  return (
    <>
      {!inExcel && (
        <MessageBar intent="info" data-testid="needs-excel">
          <MessageBarBody>
            <MessageBarTitle>Open this pane in Excel</MessageBarTitle>
            {buildConfig.signIn === 'dev-token'
              ? 'Pulling, checking and pushing bids need Excel. Here you can still sign in and see the budget summary.'
              : 'Signing in with Microsoft, and pulling, checking and pushing bids, need Excel.'}
          </MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" data-testid="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {notice && (
        <MessageBar intent="success" data-testid="notice">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
