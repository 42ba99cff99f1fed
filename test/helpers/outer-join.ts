/**
 * Test helper: the expected result of a cross-device query computed from a fixture's canonical CSV
 * alone — an outer join on time of the chosen series, a row-by-row three-valued filter, rows as
 * text — and the same text rows of query batches, to compare the two.
 */
import type { RecordBatch } from 'apache-arrow';
import { epochVector } from '../../src/arrow/epoch-values.js';

/** Parses RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** path → (time → canonical value text). */
export type SeriesTable = Map<string, Map<bigint, string>>;

export function seriesOfCsv(csv: string): SeriesTable {
  const out: SeriesTable = new Map();
  for (const [device, measurement, time, value] of parseCsv(csv).slice(1)) {
    const path = `${device}.${measurement}`;
    let m = out.get(path);
    if (m === undefined) out.set(path, (m = new Map()));
    m.set(BigInt(time!), value!);
  }
  return out;
}

/** A filter for the reference evaluation: the same shape as the library's, evaluated on text values. */
export type RefFilter =
  | { op: '=' | '!=' | '<' | '<=' | '>' | '>='; path: string; value: string }
  | { op: 'isNull' | 'isNotNull'; path: string }
  | { op: 'and' | 'or'; args: RefFilter[] }
  | { op: 'not'; arg: RefFilter };

const F = 0;
const U = 1;
const T = 2;

/** Orders two canonical texts of type `type`: −1, 0, 1, or NaN when incomparable (NaN operands). */
function order(type: string, a: string, b: string): number {
  switch (type) {
    case 'INT32':
    case 'DOUBLE':
    case 'FLOAT': {
      const x = Number(a);
      const y = type === 'FLOAT' ? Math.fround(Number(b)) : Number(b);
      return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
    }
    case 'INT64':
    case 'TIMESTAMP': {
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'BOOLEAN':
      return Number(a === 'true') - Number(b === 'true');
    case 'BLOB':
      return Buffer.compare(Buffer.from(a.slice(2), 'hex'), Buffer.from(b.slice(2), 'hex'));
    default:
      // TEXT, STRING (UTF-8 byte order) and DATE (YYYY-MM-DD sorts as text).
      return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
}

function evaluate(f: RefFilter, time: bigint, row: (path: string) => string | undefined, typeOf: (path: string) => string): number {
  switch (f.op) {
    case 'and':
      return Math.min(...f.args.map((a) => evaluate(a, time, row, typeOf)));
    case 'or':
      return Math.max(...f.args.map((a) => evaluate(a, time, row, typeOf)));
    case 'not':
      return T - evaluate(f.arg, time, row, typeOf);
    case 'isNull':
    case 'isNotNull': {
      const present = f.path === 'time' || row(f.path) !== undefined;
      return (f.op === 'isNull') === !present ? T : F;
    }
    default: {
      const v = f.path === 'time' ? String(time) : row(f.path);
      if (v === undefined) return U;
      const c = order(f.path === 'time' ? 'INT64' : typeOf(f.path), v, f.value);
      if (Number.isNaN(c)) return f.op === '!=' ? T : F;
      const ok = { '=': c === 0, '!=': c !== 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[f.op];
      return ok ? T : F;
    }
  }
}

function filterPaths(f: RefFilter, out: Set<string>): Set<string> {
  if ('args' in f) for (const a of f.args) filterPaths(a, out);
  else if ('arg' in f) filterPaths(f.arg, out);
  else if (f.path !== 'time') out.add(f.path);
  return out;
}

/** Rows `time|v1|v2…` (null as `∅`) of the outer join of `paths`, filtered, in time order. */
export function expectedRows(
  table: SeriesTable,
  paths: string[],
  typeOf: (path: string) => string,
  opts: { filter?: RefFilter; start?: bigint; end?: bigint } = {},
): string[] {
  const used = new Set(paths);
  if (opts.filter !== undefined) filterPaths(opts.filter, used);
  const times = new Set<bigint>();
  for (const p of used) for (const t of table.get(p)?.keys() ?? []) times.add(t);
  const sorted = [...times].filter((t) => (opts.start === undefined || t >= opts.start) && (opts.end === undefined || t <= opts.end)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const t of sorted) {
    const row = (p: string) => table.get(p)?.get(t);
    if (opts.filter !== undefined && evaluate(opts.filter, t, row, typeOf) !== T) continue;
    out.push([String(t), ...paths.map((p) => row(p) ?? '∅')].join('|'));
  }
  return out;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** The same rows from query batches, values in the fixtures' canonical text. */
export function rowsOfBatches(batches: RecordBatch[]): string[] {
  const out: string[] = [];
  for (const b of batches) {
    const times = epochVector(b.getChildAt(0)!);
    const cols = b.schema.fields.slice(1).map((f, k) => {
      const col = b.getChildAt(k + 1)!;
      const type = f.metadata.get('tsfile.type')!;
      const raw = type === 'INT64' || type === 'TIMESTAMP' ? epochVector(col) : undefined;
      return (r: number): string => {
        if (!col.isValid(r)) return '∅';
        if (type === 'INT64' || type === 'TIMESTAMP') return String(raw![r]);
        const v = col.get(r);
        switch (type) {
          case 'BOOLEAN':
            return v ? 'true' : 'false';
          case 'FLOAT':
          case 'DOUBLE':
            return Object.is(v, -0) ? '-0' : String(v);
          case 'DATE': {
            const d = new Date(v as number);
            return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
          }
          case 'BLOB':
            return `0x${Buffer.from(v as Uint8Array).toString('hex')}`;
          default:
            return String(v);
        }
      };
    });
    for (let r = 0; r < b.numRows; r++) out.push([String(times[r]), ...cols.map((c) => c(r))].join('|'));
  }
  return out;
}
