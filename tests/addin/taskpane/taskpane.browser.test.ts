/**
 * The task pane in real Chromium against the real local API (dynalite in memory, seeded demo
 * data): it loads outside Office and says it needs Excel, connects as a dev user, and shows the
 * budget summary with the seeded numbers; with a stand-in Excel, the board pulls, types a
 * recommendation in the sheet and records it. A screenshot is kept under test-artifacts/.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { financialYearOf, formatPounds, financialYearToPath, type Budget } from '../../../domain';
import { startAddinServer, type AddinServer } from '../../../local/addin-server';
import { startTestApi, type TestApi } from '../../support/stack';
import { columnIndex } from '../../../addin/sheet/columns';
import { launchChromium, type RunningBrowser } from '../support/chromium';
import { excelStandIn } from '../support/excel-stand-in';

jest.setTimeout(120_000);

const ARTIFACTS = resolve(__dirname, '../../../test-artifacts');

const BUILD_DIR = join(tmpdir(), `fundshare-addin-${process.pid}`);
let addin: AddinServer;
let api: TestApi;
let chromium: RunningBrowser;

beforeAll(async () => {
  // The add-in server first: the API's CORS must allow its origin.
  addin = await startAddinServer({
    port: 0,
    apiUrl: 'http://127.0.0.1:1',
    https: false,
    outDir: join(tmpdir(), `fundshare-addin-${process.pid}`),
  });
  api = await startTestApi({ seed: true, allowedOrigins: [`http://127.0.0.1:${addin.port}`] });
  chromium = await launchChromium();
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await chromium?.close();
  await api?.stop();
  await addin?.close();
  await rm(BUILD_DIR, { recursive: true, force: true });
});

test('loads outside Office, connects as the demo finance user and shows the seeded budget', async () => {
  const fy = financialYearOf(new Date());
  const budget = (await api.call<Budget>('finance', 'GET', `/years/${financialYearToPath(fy)}/budget`)).body;
  expect(budget.funders.length).toBe(2);

  // A task pane is narrow: Excel's default is about 350 px.
  const page = await chromium.browser.newPage();
  await page.setViewportSize({ width: 350, height: 900 });
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  // The dev server's Content-Security-Policy allows everything the pane loads: no violation is reported.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleErrors.push(message.text());
  });
  const loaded = await page.goto(`${addin.url}/taskpane.html?api=${encodeURIComponent(api.stack.apiUrl)}`);
  expect(loaded?.headers()['content-security-policy']).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);

  // Outside Office: it renders and says sheet actions need Excel.
  await page.getByTestId('needs-excel').waitFor();
  expect(await page.getByTestId('needs-excel').innerText()).toContain('need Excel');

  // The dev-user picker lists the API's demo users; connect as the finance officer.
  await page.locator('[data-testid="dev-user"] option[value="finance.demo"]').waitFor({ state: 'attached' });
  await page.getByTestId('dev-user').selectOption('finance.demo');
  await page.getByTestId('connect').click();
  await page.getByTestId('budget-summary').waitFor();
  expect(await page.getByTestId('signed-in').innerText()).toContain('Finance officer (demo)');
  expect(await page.getByTestId('fy').inputValue()).toBe(fy);

  // The seeded numbers, read from the API, formatted the way the pane shows money.
  for (const line of budget.funders) {
    expect(await page.getByTestId(`pot-${line.funder}`).innerText()).toBe(formatPounds(line.potPence));
    expect(await page.getByTestId(`committed-${line.funder}`).innerText()).toBe(formatPounds(line.committedPence));
    expect(await page.getByTestId(`pending-${line.funder}`).innerText()).toBe(formatPounds(line.pendingPence));
    expect(await page.getByTestId(`remaining-${line.funder}`).innerText()).toBe(formatPounds(line.remainingPence));
  }
  expect(await page.getByTestId('budget-summary').innerText()).toContain(formatPounds(budget.fundPence));
  // Nothing overflows the pane and no two figures overlap at that width.
  const layout = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('[data-testid="budget-summary"] dd, [data-testid="budget-summary"] dt')].map((e) =>
      e.getBoundingClientRect(),
    );
    const overlaps = boxes.some((a, i) =>
      boxes.some((b, j) => j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom),
    );
    return { overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth, overlaps };
  });
  expect(layout).toEqual({ overflow: 0, overlaps: false });
  // Sheet actions stay disabled outside Excel; the budget can still be refreshed.
  expect(await page.getByTestId('pull').isDisabled()).toBe(true);
  expect(await page.getByTestId('push').isDisabled()).toBe(true);
  // Finance pushes schedules (from the Schedule sheet, so not outside Excel); releasing is a PCC's.
  expect(await page.getByTestId('push-schedules').isDisabled()).toBe(true);
  expect(await page.getByTestId('release-payments').count()).toBe(0);
  expect(await page.getByTestId('refresh').isEnabled()).toBe(true);

  await page.screenshot({ path: join(ARTIFACTS, 'taskpane-budget.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test('a wrong API address gives a clear error, not a blank pane', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${addin.url}/taskpane.html?api=${encodeURIComponent('http://127.0.0.1:9')}`);
  await page.getByTestId('error').waitFor();
  expect(await page.getByTestId('error').innerText()).toContain('Cannot reach the Fundshare service');
  await page.close();
});

test('in (stand-in) Excel the board pulls, types a recommendation, and Record decisions shows the row recorded', async () => {
  const page = await chromium.browser.newPage();
  await page.route('**/office-js/office.js', (route) => route.fulfill({ contentType: 'text/javascript', body: excelStandIn() }));
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${addin.url}/taskpane.html?api=${encodeURIComponent(api.stack.apiUrl)}`);
  await page.locator('[data-testid="dev-user"] option[value="board.demo"]').waitFor({ state: 'attached' });
  await page.getByTestId('dev-user').selectOption('board.demo');
  await page.getByTestId('connect').click();
  await page.getByTestId('pull').click();
  await page.getByTestId('notice').filter({ hasText: 'Pulled' }).waitFor();
  expect(await page.getByTestId('record').isEnabled()).toBe(true);
  expect(await page.getByTestId('confirm-interests').count()).toBe(1);

  // Type a recommendation on a submitted row, as the board member would in the sheet.
  const columns = { id: columnIndex('id'), status: columnIndex('status'), decision: columnIndex('decision') };
  const bidId = await page.evaluate((c) => {
    const cells = (window as unknown as { __sheets: Record<string, Record<string, unknown>> }).__sheets.Bids as Record<string, unknown>;
    for (let r = 1; cells[`${r},${c.id}`] !== undefined; r++) {
      if (cells[`${r},${c.status}`] !== 'submitted') continue;
      cells[`${r},${c.decision}`] = 'recommend';
      cells[`${r},${c.decision + 1}`] = 250;
      cells[`${r},${c.decision + 2}`] = 'Board minute 2026/11';
      return cells[`${r},${c.id}`] as string;
    }
    return null;
  }, columns);
  expect(bidId).not.toBeNull();
  await page.getByTestId('record').click();
  const row = page.getByTestId(`decision-${bidId}`);
  await row.waitFor();
  expect(await row.innerText()).toContain('Recorded');
  expect(await page.getByTestId('notice').innerText()).toContain('Recorded 1 of 1 decision');
  await page.screenshot({ path: join(ARTIFACTS, 'taskpane-decisions.png'), fullPage: true });
  expect(consoleErrors).toEqual([]);
  await page.close();
});
