/**
 * Reads a table back through the real DuckDB and writes the fixtures' canonical CSV from what DuckDB
 * returns (its own value objects, formatted here independently of the exporters under test), plus
 * the column types DuckDB reports with DESCRIBE.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const encoder = new TextEncoder();

const encoded = new Map<string, Uint8Array>();
function bytesOf(s: string): Uint8Array {
  let b = encoded.get(s);
  if (b === undefined) {
    if (encoded.size > 100_000) encoded.clear();
    encoded.set(s, (b = encoder.encode(s)));
  }
  return b;
}

function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const x = bytesOf(a);
  const y = bytesOf(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** DuckDB's value objects → the canonical text (fixtures/README.md "Canonical CSV layout"). */
export function canonicalText(v: unknown, type: string): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return v;
  const o = v as { micros?: bigint; millis?: bigint; milliseconds?: bigint; days?: number; bytes?: Uint8Array };
  if (o.micros !== undefined) {
    if (o.micros % 1000n !== 0n) throw new Error(`timestamp ${o.micros} µs is not a whole millisecond`);
    return String(o.micros / 1000n);
  }
  if (o.millis !== undefined) return String(o.millis);
  if (o.milliseconds !== undefined) return String(o.milliseconds);
  if (o.days !== undefined) {
    const d = new Date(o.days * 86_400_000);
    return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  }
  if (o.bytes !== undefined) return `0x${Buffer.from(o.bytes).toString('hex')}`;
  throw new Error(`no canonical text for a DuckDB ${type} value ${String(v)}`);
}

export interface DuckTable {
  /** column name → DuckDB type name from DESCRIBE. */
  types: Map<string, string>;
  rows: number;
  /** Canonical CSV lines (without header), sorted like the fixtures. */
  lines: string[];
}

export interface LongShape {
  /** Column holding the device path (long tree tables). */
  deviceColumn?: string;
  /** Table-model shape: table name and its tag columns (device = table.tag1.tag2, trailing nulls dropped). */
  table?: string;
  tags?: string[];
  /** A fixed device (one table per device). */
  device?: string;
  /** Column names to leave out (e.g. a resume marker). */
  skip?: string[];
}

function deviceOf(shape: LongShape, row: Record<string, unknown>): string {
  if (shape.deviceColumn !== undefined) return String(row[shape.deviceColumn]);
  if (shape.device !== undefined) return shape.device;
  const tags = (shape.tags ?? []).map((t) => row[t] as string | null);
  while (tags.length > 0 && tags[tags.length - 1] === null) tags.pop();
  return [shape.table!, ...tags.map((t) => (t === null ? 'null' : t))].join('.');
}

/** Reads `relation` (a table name or `read_parquet('...')`) and turns it into canonical CSV lines. */
export async function readCanonical(conn: DuckDBConnection, relation: string, shape: LongShape): Promise<DuckTable> {
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRows();
  const types = new Map(described.map((r) => [String(r[0]), String(r[1])]));
  const result = await conn.runAndReadAll(`SELECT * FROM ${relation}`);
  const names = result.columnNames();
  const skip = new Set([...(shape.skip ?? []), ...(shape.deviceColumn !== undefined ? [shape.deviceColumn] : []), ...(shape.tags ?? []), 'time']);
  const lines: { device: string; m: string; t: bigint; line: string }[] = [];
  for (const values of result.getRows()) {
    const row: Record<string, unknown> = {};
    names.forEach((n, i) => (row[n] = values[i]));
    const device = deviceOf(shape, row);
    const time = canonicalText(row.time, types.get('time')!);
    names.forEach((n, i) => {
      if (skip.has(n) || values[i] === null) return;
      const m = n.replace(/:[A-Z0-9]+$/, '');
      lines.push({ device, m, t: BigInt(time), line: `${quote(device)},${quote(m)},${time},${quote(canonicalText(values[i], types.get(n)!))}` });
    });
  }
  lines.sort((a, b) => compareBytes(a.device, b.device) || compareBytes(a.m, b.m) || (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  return { types, rows: Number(result.currentRowCount), lines: lines.map((l) => l.line) };
}

/** DuckDB's type name for a TsFile type (`timestampAs` for TIMESTAMP and time columns). */
export function duckTypeOf(tsType: string, timestampAs = 'TIMESTAMP'): string {
  return ({ BOOLEAN: 'BOOLEAN', INT32: 'INTEGER', INT64: 'BIGINT', FLOAT: 'FLOAT', DOUBLE: 'DOUBLE', TEXT: 'VARCHAR', STRING: 'VARCHAR', BLOB: 'BLOB', DATE: 'DATE', TIMESTAMP: timestampAs } as Record<string, string>)[tsType]!;
}

export async function memoryDuckDB(): Promise<{ conn: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  return { conn, close: () => { conn.closeSync(); instance.closeSync(); } };
}

/** The expected CSV's data lines. */
export function csvLines(csv: string): string[] {
  // Quoted fields may hold newlines: split on newlines outside quotes.
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '\n' && !inQuote) {
      out.push(csv.slice(start, i));
      start = i + 1;
    }
  }
  if (start < csv.length) out.push(csv.slice(start));
  return out.slice(1);
}
