/**
 * Test helper: the fixtures' canonical CSV (../shared/fixtures/README.md) of Arrow record batches,
 * computed independently of the exporters: row getters for values, stored int64s for times.
 */
import { type RecordBatch, Type } from 'apache-arrow';
import { epochVector } from '../../src/arrow/epoch-values.js';

const enc = new TextEncoder();
function cmpBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(enc.encode(a)), Buffer.from(enc.encode(b)));
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Canonical text of a value given the field's TsFile type. */
function text(type: string, v: unknown, raw: bigint | undefined): string {
  switch (type) {
    case 'BOOLEAN':
      return v ? 'true' : 'false';
    case 'INT64':
    case 'TIMESTAMP':
      return String(raw);
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
}

export interface CsvPoint {
  device: string;
  measurement: string;
  time: bigint;
  value: string;
}

/**
 * Points of batches: `deviceOf(batch, row)` names the row's device; every field with a `tsfile.type`
 * that is not a TAG is a measurement, named by `tsfile.measurement` metadata when present.
 */
export function pointsOf(batches: Iterable<RecordBatch>, deviceOf: (b: RecordBatch, row: number) => string): CsvPoint[] {
  const out: CsvPoint[] = [];
  for (const b of batches) {
    const times = epochVector(b.getChild('time')!);
    b.schema.fields.forEach((f, k) => {
      const type = f.metadata.get('tsfile.type');
      if (f.name === 'time' || type === undefined || f.metadata.get('tsfile.category') === 'TAG') return;
      const col = b.getChildAt(k)!;
      const raw = type === 'INT64' || type === 'TIMESTAMP' ? (col.type.typeId === Type.Int || col.type.typeId === Type.Timestamp ? epochVector(col) : undefined) : undefined;
      const name = f.metadata.get('tsfile.measurement') ?? f.name;
      for (let r = 0; r < b.numRows; r++) {
        if (!col.isValid(r)) continue;
        out.push({ device: deviceOf(b, r), measurement: name, time: times[r]!, value: quote(text(type, raw === undefined ? col.get(r) : undefined, raw?.[r])) });
      }
    });
  }
  return out;
}

export function canonicalCsv(points: CsvPoint[]): string {
  const rank = (xs: string[]) => new Map([...new Set(xs)].sort(cmpBytes).map((x, i) => [x, i]));
  const dr = rank(points.map((p) => p.device));
  const mr = rank(points.map((p) => p.measurement));
  points.sort((a, b) => dr.get(a.device)! - dr.get(b.device)! || mr.get(a.measurement)! - mr.get(b.measurement)! || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return `device,measurement,time,value\n${points.map((p) => `${quote(p.device)},${quote(p.measurement)},${p.time},${p.value}\n`).join('')}`;
}

/** The device path of a table-model row: table name then tag values, trailing nulls dropped, inner nulls as "null". */
export function tableDevice(table: string, tags: (string | null)[]): string {
  const t = [...tags];
  while (t.length > 0 && t[t.length - 1] === null) t.pop();
  return [table, ...t.map((v) => v ?? 'null')].join('.');
}
