/**
 * The one place a failure becomes a sentence for the user. Office errors branch on their code
 * (their message is localised and not meant for users); debugInfo goes to the console. Sign-in
 * failures arrive as SignInError, already mapped from MSAL's or Office's codes.
 */
import { ApiError } from '../api/api-error';
import { SheetShapeError } from '../excel/bids-sheet';
import { PlanError } from '../sheet/sync-plan';
import { WorkflowError } from '../workflows/workflows';
import { SignInError } from './sign-in-error';

const OFFICE_MESSAGES: Record<string, string> = {
  RequestPayloadSizeLimitExceeded: 'Excel refused a request as too large. Try again; if it persists, tell the Fundshare team.',
  InvalidArgument: 'Excel refused a value the add-in tried to write. Tell the Fundshare team what you were doing.',
  ItemNotFound: 'A sheet or table the add-in needs is missing. Pull bids again to rebuild it.',
  ItemAlreadyExists: 'A sheet or table with a name Fundshare needs already exists (Bids, Budget). Rename it and try again.',
  InsertDeleteConflict:
    'Excel could not make room for the rows: something (a merged cell, another table) is in the way below the Bids table.',
  AccessDenied: 'Excel refused the change: the workbook or sheet may be protected or read-only.',
  InvalidOperationInCellEditMode: 'Finish editing the cell (press Enter or Esc), then try again.',
  EditModeCellEditing: 'Finish editing the cell (press Enter or Esc), then try again.',
  GeneralException: 'Excel reported an error. Try again; if it persists, reload the add-in.',
};

interface OfficeLikeError {
  code: string;
  debugInfo?: unknown;
}

const isOfficeError = (error: unknown): error is OfficeLikeError =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && 'debugInfo' in error;

export function describeError(error: unknown): string {
  if (error instanceof ApiError || error instanceof WorkflowError || error instanceof PlanError || error instanceof SheetShapeError) {
    return error.message;
  }
  if (error instanceof SignInError) {
    // Chosen from MSAL's or Office's code, never their message; what they said goes to the console.
    console.error('Sign-in failed', error.kind, error.code ?? '', error.detail ?? '');
    return error.message;
  }
  if (isOfficeError(error)) {
    console.error('Office error', error.code, error.debugInfo);
    return OFFICE_MESSAGES[error.code] ?? `Excel reported an error (${error.code}). Try again; if it persists, reload the add-in.`;
  }
  console.error(error);
  return 'Something went wrong. Try again; if it persists, reload the add-in.';
}
