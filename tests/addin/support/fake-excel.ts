/**
 * A small Excel workbook for adapter tests, built from office-addin-mock's OfficeMockObject.
 * Like Office.js it queues writes and applies them only at context.sync(); a property read
 * without load + sync gives office-addin-mock's "not loaded" error; a string written as a value
 * becomes a formula unless its cell is formatted as text ("@") or starts with a quote; and a
 * request or response above 5 MB fails with RequestPayloadSizeLimitExceeded or
 * ResponsePayloadSizeLimitExceeded, as on the web. Sizes are the UTF-8 bytes of the JSON of the
 * values written or read (what Office.js sends; its envelope around them is not counted here:
 * tests/addin/excel/office-js-requests.test.ts measures that with the real Office.js).
 */
import { OfficeMockObject } from 'office-addin-mock';

export const PAYLOAD_LIMIT_BYTES = 5 * 1024 * 1024;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export interface Cell {
  value: string | number | boolean;
  formula?: string;
  format?: string;
}

interface Area {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

type WriteKind = 'values' | 'formulas' | 'numberFormat';

function columnNumber(letters: string): number {
  return [...letters].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1;
}

/** "Bids!A1:C3", "B2", "A:A" → zero-based area (whole columns: rows 0..∞). */
export function parseAddress(address: string): Area {
  const local = address.includes('!') ? (address.split('!')[1] as string) : address;
  const [from = '', to = from] = local.split(':');
  const cell = (ref: string) => {
    const match = /^([A-Z]+)(\d*)$/.exec(ref);
    if (!match) throw new Error(`bad address ${address}`);
    return { c: columnNumber(match[1] as string), r: match[2] ? Number(match[2]) - 1 : -1 };
  };
  const a = cell(from);
  const b = cell(to);
  return { r1: a.r < 0 ? 0 : a.r, c1: a.c, r2: b.r < 0 ? 1_048_575 : b.r, c2: b.c };
}

export class FakeSheet {
  readonly cells = new Map<string, Cell>();
  visibility = 'Visible';
  frozenRows = 0;
  constructor(readonly name: string) {}

  get(r: number, c: number): Cell | undefined {
    return this.cells.get(`${r},${c}`);
  }

  /** Displayed values of an area (a formula shows 0 here: nothing is calculated). */
  valuesOf(area: Area): (string | number | boolean)[][] {
    const rows: (string | number | boolean)[][] = [];
    for (let r = area.r1; r <= area.r2; r++) {
      const row: (string | number | boolean)[] = [];
      for (let c = area.c1; c <= area.c2; c++) {
        const cell = this.get(r, c);
        row.push(cell ? (cell.formula !== undefined ? 0 : cell.value) : '');
      }
      rows.push(row);
    }
    return rows;
  }

  usedArea(): Area | null {
    let area: Area | null = null;
    for (const [key, cell] of this.cells) {
      if (cell.value === '' && cell.formula === undefined) continue;
      const [r, c] = key.split(',').map(Number) as [number, number];
      area = area
        ? { r1: Math.min(area.r1, r), c1: Math.min(area.c1, c), r2: Math.max(area.r2, r), c2: Math.max(area.c2, c) }
        : { r1: r, c1: c, r2: r, c2: c };
    }
    return area;
  }

  /** Cell text as Excel would show its content: the formula if it is one, else the value. */
  content(address: string): string | number | boolean {
    const area = parseAddress(address);
    const cell = this.get(area.r1, area.c1);
    return cell ? (cell.formula ?? cell.value) : '';
  }
}

export class FakeExcel {
  readonly sheets = new Map<string, FakeSheet>();
  readonly tables: OfficeMockObject[] = [];
  /** The address each table was created over. */
  readonly tableAddresses: string[] = [];
  readonly conditionalFormats: { sheet: string; address: string; format: OfficeMockObject }[] = [];
  readonly validations: { sheet: string; address: string; validation: OfficeMockObject }[] = [];
  readonly charts: OfficeMockObject[] = [];
  /** What each chart was added with: its sheet, type, source range (sheet!address) and series. */
  readonly chartSources = new Map<OfficeMockObject, { sheet: string; type: string; source: string; seriesBy: string }>();
  /** The sheet each table (by index in tables) was added on. */
  readonly tableSheets: string[] = [];
  /** The sheet and address each range object this fake handed out was made for. */
  private readonly sheetRefs: { name: string }[] = [];
  private readonly rangeAddresses = new WeakMap<object, { sheet: string; address: string }>();
  /** Every request's size in bytes, for assertions about chunking. */
  readonly requestBytes: number[] = [];
  /** Every answered request's response size in bytes (the values read). */
  readonly responseBytes: number[] = [];
  /** Requests refused as too large, and which side was: the request or its response. */
  readonly refused: ('request' | 'response')[] = [];
  readonly context: Excel.RequestContext;
  private readonly pending: (() => void)[] = [];
  private pendingBytes = 0;
  private readonly tracked: OfficeMockObject[] = [];
  private readonly loaded: { sheet: FakeSheet; area: Area }[] = [];

  constructor() {
    const root = new OfficeMockObject({
      workbook: {
        worksheets: {
          getItemOrNullObject: (name: string) => this.sheetMock(name),
          getItem: (name: string) => {
            if (!this.sheets.has(name)) throw new Error(`ItemNotFound: ${name}`);
            return this.sheetMock(name);
          },
          add: (name: string) => {
            if (this.sheets.has(name)) throw new Error(`ItemAlreadyExists: ${name}`);
            this.sheets.set(name, new FakeSheet(name));
            return this.sheetMock(name);
          },
        },
        tables: {
          getItemOrNullObject: (name: string) => this.tableMock(name),
          getItem: (name: string) => this.tableMock(name),
        },
      },
    });
    root.sync = async () => this.sync();
    this.context = root as unknown as Excel.RequestContext;
  }

  sheet(name: string): FakeSheet {
    const sheet = this.sheets.get(name);
    if (!sheet) throw new Error(`no sheet ${name}`);
    return sheet;
  }

  /** Seed a sheet's cells directly (as if typed), starting at a cell. */
  put(sheetName: string, topLeft: string, rows: (string | number | boolean)[][]): void {
    const sheet = this.sheets.get(sheetName) ?? new FakeSheet(sheetName);
    this.sheets.set(sheetName, sheet);
    const { r1, c1 } = parseAddress(topLeft);
    rows.forEach((row, r) =>
      row.forEach((value, c) => {
        const key = `${r1 + r},${c1 + c}`;
        sheet.cells.set(key, { ...sheet.cells.get(key), value });
      }),
    );
  }

  private async sync(): Promise<void> {
    const responseBytes = this.loaded.reduce((sum, l) => sum + utf8Bytes(JSON.stringify(l.sheet.valuesOf(l.area))), 0);
    const bytes = this.pendingBytes;
    this.pendingBytes = 0;
    this.loaded.length = 0;
    if (bytes > PAYLOAD_LIMIT_BYTES || responseBytes > PAYLOAD_LIMIT_BYTES) {
      this.pending.length = 0;
      const request = bytes > PAYLOAD_LIMIT_BYTES;
      this.refused.push(request ? 'request' : 'response');
      throw Object.assign(new Error(`The ${request ? 'request' : 'response'} payload size has exceeded the limit.`), {
        code: request ? 'RequestPayloadSizeLimitExceeded' : 'ResponsePayloadSizeLimitExceeded',
        debugInfo: {},
      });
    }
    this.requestBytes.push(bytes);
    this.responseBytes.push(responseBytes);
    for (const apply of this.pending.splice(0)) apply();
    for (const mock of this.tracked) await mock.sync();
  }

  private track<T extends OfficeMockObject>(mock: T, onWrite?: (kind: WriteKind, value: unknown) => void, onLoad?: () => void): T {
    let internal = false;
    this.tracked.push(mock);
    const proxy: T = new Proxy(mock, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if ((prop === 'load' || prop === 'sync') && typeof value === 'function') {
          return (...args: unknown[]) => {
            internal = true;
            try {
              if (prop === 'load') onLoad?.();
              return (value as (...a: unknown[]) => unknown).apply(proxy, args);
            } finally {
              internal = false;
            }
          };
        }
        return value;
      },
      set: (target, prop, value: unknown) => {
        // office-addin-mock refreshes loaded properties asynchronously after sync (this[name] = its stored
        // value); only an assignment of a new value is a write.
        const stored = (target as unknown as { _properties: Map<string | symbol, { _value: unknown }> })._properties.get(prop)?._value;
        const refresh = stored === value || value === 'Error, property was not loaded' || value === 'Error, context.sync() was not called';
        if (!internal && !refresh && (prop === 'values' || prop === 'formulas' || prop === 'numberFormat')) onWrite?.(prop, value);
        (target as unknown as Record<string | symbol, unknown>)[prop] = value;
        return true;
      },
    });
    this.tracked[this.tracked.length - 1] = proxy;
    return proxy;
  }

  private queue(bytes: number, apply: () => void): void {
    this.pendingBytes += bytes;
    this.pending.push(apply);
  }

  private sheetMock(initialName: string): OfficeMockObject {
    // The sheet's current name: a rename reaches every object handed out for it.
    const ref = { name: initialName };
    this.sheetRefs.push(ref);
    const exists = this.sheets.has(ref.name);
    const sheet = () => this.sheet(ref.name);
    const mock = new OfficeMockObject({
      isNullObject: !exists,
      name: initialName,
      getUsedRangeOrNullObject: () => {
        const area = exists ? sheet().usedArea() : null;
        return this.track(
          new OfficeMockObject({ isNullObject: area === null, rowCount: area ? area.r2 + 1 : 0, columnCount: area ? area.c2 + 1 : 0 }),
        );
      },
      getRange: (address: string) => this.rangeMock(ref.name, address),
      getRanges: (address: string) => {
        const validation = new OfficeMockObject({ clear: () => undefined, rule: {}, errorAlert: {} });
        this.validations.push({ sheet: ref.name, address, validation });
        const areas = new OfficeMockObject({ address });
        (areas as unknown as Record<string, unknown>).dataValidation = validation;
        return this.track(areas);
      },
      tables: {
        add: (address: string) => {
          const table = this.track(
            new OfficeMockObject({ name: '', address, style: '', showFilterButton: false, resize: () => undefined, isNullObject: false }),
          );
          this.tables.push(table);
          this.tableAddresses.push(address);
          this.tableSheets.push(ref.name);
          return table;
        },
      },
      freezePanes: { freezeRows: (count: number) => this.queue(16, () => (sheet().frozenRows = count)) },
      charts: {
        getItemOrNullObject: (chartName: string) => {
          const found = this.charts.find((c) => c.name === chartName);
          return this.track(
            new OfficeMockObject({
              isNullObject: !found,
              delete: () => this.queue(16, () => found && this.charts.splice(this.charts.indexOf(found), 1)),
            }),
          );
        },
        add: (type: string, source: object, seriesBy = 'Auto') => {
          const chart = new OfficeMockObject({ name: '', title: { text: '' }, setPosition: () => undefined });
          const range = this.rangeAddresses.get(source);
          this.charts.push(chart);
          this.chartSources.set(chart, { sheet: ref.name, type, source: range ? `${range.sheet}!${range.address}` : '?', seriesBy });
          return chart;
        },
      },
      activate: () => undefined,
      // Like Excel: the sheet goes with its tables and charts.
      delete: () => this.queue(16, () => this.deleteSheet(ref.name)),
    });
    const proxy = this.track(mock);
    return new Proxy(proxy, {
      set: (target, prop, value: unknown) => {
        if (prop === 'visibility') this.queue(16, () => (sheet().visibility = String(value)));
        if (prop === 'name' && value !== ref.name) this.queue(16, () => this.renameSheet(ref.name, String(value)));
        (target as unknown as Record<string | symbol, unknown>)[prop] = value;
        return true;
      },
    });
  }

  private deleteSheet(name: string): void {
    this.sheets.delete(name);
    for (let i = this.tables.length - 1; i >= 0; i--) {
      if (this.tableSheets[i] !== name) continue;
      this.tables.splice(i, 1);
      this.tableAddresses.splice(i, 1);
      this.tableSheets.splice(i, 1);
    }
    for (const [chart, source] of [...this.chartSources]) {
      if (source.sheet !== name) continue;
      this.chartSources.delete(chart);
      this.charts.splice(this.charts.indexOf(chart), 1);
    }
  }

  private renameSheet(from: string, to: string): void {
    const sheet = this.sheets.get(from);
    if (!sheet) throw new Error(`ItemNotFound: ${from}`);
    if (this.sheets.has(to)) throw new Error(`ItemAlreadyExists: ${to}`);
    const renamed = new FakeSheet(to);
    for (const [key, cell] of sheet.cells) renamed.cells.set(key, cell);
    this.sheets.delete(from);
    this.sheets.set(to, renamed);
    this.tableSheets.forEach((s, i) => s === from && (this.tableSheets[i] = to));
    for (const ref of this.sheetRefs) if (ref.name === from) ref.name = to;
    for (const source of this.chartSources.values()) {
      if (source.sheet !== from) continue;
      source.sheet = to;
      source.source = source.source.replace(`${from}!`, `${to}!`);
    }
  }

  private tableMock(name: string): OfficeMockObject {
    const table = this.tables.find((t) => t.name === name);
    if (table) return table;
    return this.track(new OfficeMockObject({ isNullObject: true, name }));
  }

  private rangeMock(sheetName: string, address: string): OfficeMockObject {
    const area = parseAddress(address);
    const whole = area.r2 - area.r1 > 100_000;
    const sheet = this.sheets.get(sheetName);
    const conditionalFormats = {
      clearAll: () => undefined,
      add: () => {
        const format = new OfficeMockObject({ custom: { rule: { formula: '' }, format: { fill: { color: '' }, font: { color: '' } } } });
        this.conditionalFormats.push({ sheet: sheetName, address, format });
        return format;
      },
    };
    const validation = new OfficeMockObject({ clear: () => undefined, rule: {}, errorAlert: {} });
    this.validations.push({ sheet: sheetName, address, validation });
    const mock = new OfficeMockObject({
      address,
      values: !whole && sheet ? sheet.valuesOf(area) : [],
      format: { columnWidth: 0, font: { bold: false, size: 11, color: '' } },
      conditionalFormats,
      clear: () => this.queue(32, () => this.clearArea(sheetName, area)),
    });
    (mock as unknown as Record<string, unknown>).dataValidation = validation;
    const range = this.track(
      mock,
      (kind, value) => this.queue(utf8Bytes(JSON.stringify(value)) + address.length + 32, () => this.write(sheetName, area, kind, value)),
      () => {
        if (sheet && !whole) this.loaded.push({ sheet, area });
      },
    );
    this.rangeAddresses.set(range, { sheet: sheetName, address });
    return range;
  }

  private clearArea(sheetName: string, area: Area): void {
    const sheet = this.sheet(sheetName);
    for (const key of [...sheet.cells.keys()]) {
      const [r, c] = key.split(',').map(Number) as [number, number];
      if (r >= area.r1 && r <= area.r2 && c >= area.c1 && c <= area.c2) sheet.cells.delete(key);
    }
  }

  private write(sheetName: string, area: Area, kind: WriteKind, value: unknown): void {
    const sheet = this.sheet(sheetName);
    const grid = value as unknown[][];
    const single = grid.length === 1 && (grid[0] as unknown[]).length === 1;
    const rows = area.r2 - area.r1 + 1;
    const cols = area.c2 - area.c1 + 1;
    if (!single && (grid.length !== rows || grid.some((row) => row.length !== cols))) {
      throw Object.assign(new Error(`InvalidArgument: ${rows}×${cols} range, ${grid.length}-row array`), {
        code: 'InvalidArgument',
        debugInfo: {},
      });
    }
    if (single && kind !== 'numberFormat' && rows * cols > 1) {
      throw Object.assign(new Error('InvalidArgument: one value for many cells'), { code: 'InvalidArgument', debugInfo: {} });
    }
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const key = `${area.r1 + r},${area.c1 + c}`;
        const cell: Cell = sheet.cells.get(key) ?? { value: '' };
        const v = (single ? grid[0]?.[0] : grid[r]?.[c]) as string | number | boolean;
        if (kind === 'numberFormat') cell.format = String(v);
        else if (typeof v === 'string' && v.startsWith("'")) {
          cell.value = v.slice(1);
          delete cell.formula;
        } else if (typeof v === 'string' && /^[=+\-@]/.test(v) && v.length > 1 && cell.format !== '@') {
          cell.formula = v;
          cell.value = '';
        } else {
          cell.value = v;
          delete cell.formula;
        }
        sheet.cells.set(key, cell);
      }
    }
  }
}
