/** The HTML pages of the add-in. Production loads Office.js from Microsoft's CDN; dev and tests serve the npm copy. */

export const OFFICE_JS_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
export const OFFICE_JS_LOCAL = '/office-js/office.js';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function taskpaneHtml(options: { title: string; officeJsUrl: string }): string {
  return `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title)}</title>
    <script src="${escapeHtml(options.officeJsUrl)}"></script>
    <style>html, body { margin: 0; height: 100%; } #root { min-height: 100%; }</style>
  </head>
  <body>
    <div id="root"><p style="font-family: 'Segoe UI', sans-serif; padding: 12px">Loading Fundshare…</p></div>
    <script src="taskpane.js"></script>
  </body>
</html>
`;
}

export function helpHtml(options: { title: string; namespace: string }): string {
  const ns = escapeHtml(options.namespace);
  return `<!doctype html>
<html lang="en-GB">
  <head><meta charset="utf-8" /><title>${escapeHtml(options.title)}: help</title></head>
  <body style="font-family: 'Segoe UI', sans-serif; max-width: 40em; padding: 1em">
    <h1>${escapeHtml(options.title)}</h1>
    <p>Open the pane from <b>Home → Fundshare</b>. Connect, choose the financial year, then <b>Pull bids</b>.
    Type proposals in the <b>Proposed £</b> column, <b>Check</b>, then <b>Push allocations</b>.</p>
    <h2>Worksheet functions</h2>
    <ul>
      <li><code>=${ns}.SPLIT(amount, scope, [fy])</code>: each funder's share; spills one row per amount.</li>
      <li><code>=${ns}.SHARE(amount, scope, funder, [fy])</code>: one funder's share.</li>
      <li><code>=${ns}.COSTSHARE(funder, [fy])</code>: the funder's weight (0.69 = 69 %).</li>
      <li><code>=${ns}.REMAINING(funder, [fy])</code> and <code>=${ns}.COMMITTED(funder, [fy])</code>: from the service.</li>
      <li><code>=${ns}.CHECK(requested, scope, leadOrganisation, [proposed])</code>: OK or what is wrong.</li>
    </ul>
  </body>
</html>
`;
}
