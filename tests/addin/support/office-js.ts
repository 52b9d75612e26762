/**
 * The real Office.js for Excel on the web (excel-web-16.00 from @microsoft/office-js: its npm
 * copy is for dev and tests only) in a sandbox, talking to a stand-in for Excel that records the
 * body of every request Office.js sends, byte for byte, and answers as Excel does inside
 * Excel.run: a reference for each object instantiated, so objects live across syncs. It answers
 * no loads, so it serves writes: what a write really costs against the 5 MB request limit.
 */
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';

interface OfficeJs {
  Excel: typeof Excel;
  /** Office.js's base for a custom session: it may supply its own request executor. */
  SessionBase: new () => object;
}

interface RequestBody {
  Actions: { Id: number; ActionType: number }[];
}

/** ActionType 1 in Office.js's protocol: instantiate an object. */
const INSTANTIATE = 1;

let officeJs: OfficeJs | null = null;

function loadOfficeJs(): OfficeJs {
  if (officeJs) return officeJs;
  const source = readFileSync(require.resolve('@microsoft/office-js/dist/excel-web-16.00.debug.js'), 'utf8');
  const page: Record<string, unknown> = { console, setTimeout, clearTimeout, setInterval, clearInterval };
  page.window = page;
  page.self = page;
  page.navigator = { userAgent: 'node' };
  page.location = { href: 'https://localhost/', search: '', hash: '', protocol: 'https:', host: 'localhost' };
  page.document = { getElementsByTagName: () => [], addEventListener: () => undefined, readyState: 'complete', cookie: '' };
  page.addEventListener = () => undefined;
  createContext(page);
  runInContext(source, page, { filename: 'excel-web-16.00.debug.js' });
  officeJs = { Excel: page.Excel as typeof Excel, SessionBase: (page.OfficeExtension as { SessionBase: new () => object }).SessionBase };
  return officeJs;
}

export interface Captured<T> {
  result: T;
  /** UTF-8 bytes of the body of each request the batch's context.sync calls sent, in order. */
  requestBytes: number[];
  /** The batch's context.sync calls. */
  syncs: number;
}

/** Run a batch in Excel.run on the real Office.js and record what each of its requests weighed. */
export async function captureRequests<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<Captured<T>> {
  const { Excel: excel, SessionBase } = loadOfficeJs();
  const bodies: number[] = [];
  const executor = {
    executeAsync: (_customData: unknown, _flags: unknown, message: { Body: RequestBody }) => {
      bodies.push(Buffer.byteLength(JSON.stringify(message.Body), 'utf8'));
      const Results = message.Body.Actions.filter((a) => a.ActionType === INSTANTIATE).map((a) => ({
        ActionId: a.Id,
        Value: { _ReferenceId: `ref${a.Id}` },
      }));
      return Promise.resolve({ HttpStatusCode: 200, ErrorCode: '', ErrorMessage: '', Headers: {}, Body: { Results } });
    },
  };
  class RecordingSession extends SessionBase {
    _resolveRequestUrlAndHeaderInfo() {
      return Promise.resolve({ url: 'https://excel.test/', headers: {} });
    }
    _createRequestExecutorOrNull() {
      return executor;
    }
  }
  const context = new excel.RequestContext(new RecordingSession() as unknown as string);
  let syncs = 0;
  let inBatch = true;
  let requestsInBatch = 0;
  const result = await excel.run(context, async (ctx: Excel.RequestContext) => {
    const sync = ctx.sync.bind(ctx);
    ctx.sync = (<V>(passThroughValue?: V) => {
      if (inBatch) syncs++;
      return sync(passThroughValue);
    }) as typeof ctx.sync;
    const value = await batch(ctx);
    inBatch = false;
    requestsInBatch = bodies.length;
    return value;
  });
  // Excel.run then sends a request of its own, releasing the references it kept: not the batch's.
  return { result, requestBytes: bodies.slice(0, requestsInBatch), syncs };
}
