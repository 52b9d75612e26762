/**
 * The Office host: whether we run inside Excel, Excel.run, selection events and recalculation.
 * With addin/excel/*-sheet.ts and identity.ts (sign-in), the only code that touches Office.js.
 */
import type { RunExcel } from '../workflows/workflows';
import { selectedBidId } from './bids-sheet';
import { BIDS_SHEET } from '../sheet/columns';

export interface HostInfo {
  /** "Excel" inside Excel; null in a plain browser (Office.onReady resolves with no host). */
  host: string | null;
}

export async function officeReady(timeoutMs = 10_000): Promise<HostInfo> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return { host: null };
  const ready = Office.onReady().then((info) => ({ host: info.host ? String(info.host) : null }));
  const timeout = new Promise<HostInfo>((resolve) => setTimeout(() => resolve({ host: null }), timeoutMs));
  return Promise.race([ready, timeout]);
}

export const isExcelHost = (info: HostInfo): boolean => info.host === 'Excel';

export const runExcel: RunExcel = (work) => Excel.run(work);

/** Recalculate so the functions re-read the service (after sign-in, a push or a refresh). */
export async function recalculate(): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.application.calculate('Full');
    await context.sync();
  });
}

/** Follow the selected Bids row; returns a function that stops following. */
export async function watchBidSelection(onChange: (bidId: string | null) => void): Promise<() => Promise<void>> {
  const handler = await Excel.run(async (context) => {
    const sheet = context.workbook.worksheets.getItemOrNullObject(BIDS_SHEET);
    sheet.load('isNullObject');
    await context.sync();
    if (sheet.isNullObject) return null;
    const registered = sheet.onSelectionChanged.add(async () => {
      onChange(await Excel.run((inner) => selectedBidId(inner)).catch(() => null));
    });
    await context.sync();
    return registered;
  });
  if (!handler) return async () => undefined;
  return async () => {
    await Excel.run(handler.context, async (context) => {
      handler.remove();
      await context.sync();
    });
  };
}

export async function currentSelectedBidId(): Promise<string | null> {
  return Excel.run((context) => selectedBidId(context));
}
