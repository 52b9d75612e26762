/**
 * A stand-in for office.js in the browser tests: an Office whose host is Excel and an Excel.run
 * over a tiny in-page workbook. Cell values live in window.__sheets (sheet → "row,col" → value),
 * written at once and read back as they are; everything the workflows only shape (formats,
 * validations, charts, tables) is accepted and dropped. Enough to run Pull and Record decisions
 * end to end in real Chromium; the Excel adapters' own behaviour is tested with the fake Excel.
 */
export function excelStandIn(): string {
  return `(() => {
  const sheets = (window.__sheets = {});
  const tables = new Set();
  const any = () =>
    new Proxy(function () {}, {
      get: (_t, p) => (p === 'then' ? undefined : p === 'isNullObject' ? false : any()),
      set: () => true,
      apply: () => any(),
    });
  const permissive = (base) =>
    new Proxy(base, { get: (t, p) => (p in t ? t[p] : p === 'then' ? undefined : any()), set: (t, p, v) => ((t[p] = v), true) });
  const column = (letters) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const areaOf = (address) => {
    const local = address.split('!').pop();
    const [from, to = from] = local.split(':');
    const cell = (ref) => {
      const m = /^([A-Z]+)(\\d*)$/.exec(ref);
      return { c: column(m[1]), r: m[2] ? Number(m[2]) - 1 : -1 };
    };
    const a = cell(from), b = cell(to);
    return { r1: Math.max(a.r, 0), c1: a.c, r2: b.r < 0 ? 1048575 : b.r, c2: b.c };
  };
  const grid = (name) => (sheets[name] = sheets[name] || {});
  const write = (name, area, rows, asFormula) => {
    const cells = grid(name);
    for (let r = area.r1; r <= area.r2; r++)
      for (let c = area.c1; c <= area.c2; c++) {
        const row = rows[rows.length === 1 ? 0 : r - area.r1];
        const value = row[row.length === 1 ? 0 : c - area.c1];
        cells[r + ',' + c] = asFormula && typeof value === 'string' && value.startsWith('=') ? 0 : value;
      }
  };
  const range = (name, address) => {
    const area = areaOf(address);
    return permissive({
      load() {},
      clear() {
        const cells = grid(name);
        for (const key of Object.keys(cells)) {
          const [r, c] = key.split(',').map(Number);
          if (r >= area.r1 && r <= area.r2 && c >= area.c1 && c <= area.c2) delete cells[key];
        }
      },
      get values() {
        const cells = grid(name), out = [];
        for (let r = area.r1; r <= area.r2; r++) {
          const row = [];
          for (let c = area.c1; c <= area.c2; c++) row.push(cells[r + ',' + c] ?? '');
          out.push(row);
        }
        return out;
      },
      set values(rows) { write(name, area, rows, false); },
      set formulas(rows) { write(name, area, rows, true); },
      set numberFormat(_rows) {},
    });
  };
  const sheet = (name) =>
    permissive({
      name,
      get isNullObject() { return !(name in sheets); },
      load() {},
      activate() {},
      getRange: (address) => range(name, address),
      getUsedRangeOrNullObject() {
        const keys = Object.keys(grid(name)).filter((k) => grid(name)[k] !== '');
        const rows = keys.map((k) => Number(k.split(',')[0]));
        const cols = keys.map((k) => Number(k.split(',')[1]));
        return { isNullObject: keys.length === 0, rowCount: Math.max(0, ...rows) + 1, columnCount: Math.max(0, ...cols) + 1, load() {} };
      },
      tables: { add: () => permissive({ set name(v) { tables.add(v); } }) },
      charts: { getItemOrNullObject: () => ({ isNullObject: true, load() {} }), add: () => any() },
      onSelectionChanged: { add: () => ({ context: {}, remove() {} }) },
    });
  const workbook = {
    worksheets: {
      getItemOrNullObject: (name) => sheet(name),
      getItem: (name) => sheet(name),
      add: (name) => (grid(name), sheet(name)),
    },
    tables: {
      getItemOrNullObject: (name) => permissive({ isNullObject: !tables.has(name), load() {} }),
      getItem: () => any(),
    },
    getActiveCell: () => ({ rowIndex: 0, worksheet: { name: 'Bids', load() {} }, load() {} }),
    application: { calculate() {} },
  };
  const context = { workbook, sync: () => Promise.resolve() };
  window.Office = { onReady: () => Promise.resolve({ host: 'Excel', platform: 'OfficeOnline' }), context: { requirements: { isSetSupported: () => false } } };
  window.Excel = { run: (a, b) => (typeof a === 'function' ? a(context) : b(context)) };
})();`;
}
