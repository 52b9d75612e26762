/**
 * The shared runtime page's script: registers the FUND.* functions, waits for Office, then renders
 * the pane. Outside Office (a plain browser) Office.onReady resolves with no host and the pane
 * still renders, saying that sheet actions need Excel.
 */
import { createRoot } from 'react-dom/client';
import { registerCustomFunctions } from '../functions/register';
import { officeReady } from '../excel/host';
import { App } from './app';

registerCustomFunctions();

async function start(): Promise<void> {
  const info = await officeReady();
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(<App host={info} />);
}

void start();
