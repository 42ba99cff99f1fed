/**
 * Builds device batches the way the reader emits them (time Int64 + one nullable column per
 * measurement, `tsfile.type` field metadata, `tsfile.aligned` schema metadata) for connector tests.
 */
import {
  Binary, Bool, DateDay, Field, Float32, Float64, Int32, Int64, RecordBatch, Schema, Struct, TimestampMillisecond, Utf8, makeData,
  type DataType, type Data,
} from 'apache-arrow';
import type { DeviceBatch, TsTypeName } from '../../src/connectors/core/columns.js';

export type Cell = number | bigint | string | boolean | Uint8Array | null;

export interface ColumnSpec { name: string; type: TsTypeName; values: Cell[] }

function validity(values: Cell[]): { bitmap: Uint8Array | undefined; nulls: number } {
  let nulls = 0;
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => { if (v === null) nulls++; else bitmap[i >> 3]! |= 1 << (i & 7); });
  return { bitmap: nulls > 0 ? bitmap : undefined, nulls };
}

function columnData(c: ColumnSpec): { type: DataType; data: Data } {
  const n = c.values.length;
  const { bitmap, nulls } = validity(c.values);
  const base = { length: n, nullCount: nulls, ...(bitmap ? { nullBitmap: bitmap } : {}) };
  switch (c.type) {
    case 'BOOLEAN': {
      const bits = new Uint8Array(Math.ceil(n / 8));
      c.values.forEach((v, i) => { if (v === true) bits[i >> 3]! |= 1 << (i & 7); });
      const type = new Bool();
      return { type, data: makeData({ type, ...base, data: bits }) };
    }
    case 'INT32': case 'DATE': {
      const type = c.type === 'DATE' ? new DateDay() : new Int32();
      const a = Int32Array.from(c.values, (v) => (v === null ? 0 : Number(v)));
      return { type, data: makeData({ type: type as Int32, ...base, data: a }) };
    }
    case 'INT64': case 'TIMESTAMP': {
      const type = c.type === 'TIMESTAMP' ? new TimestampMillisecond() : new Int64();
      const a = BigInt64Array.from(c.values, (v) => (v === null ? 0n : BigInt(v as number | bigint)));
      return { type, data: makeData({ type: type as Int64, ...base, data: a }) };
    }
    case 'FLOAT': {
      const type = new Float32();
      return { type, data: makeData({ type, ...base, data: Float32Array.from(c.values, (v) => (v === null ? 0 : Number(v))) }) };
    }
    case 'DOUBLE': {
      const type = new Float64();
      return { type, data: makeData({ type, ...base, data: Float64Array.from(c.values, (v) => (v === null ? 0 : Number(v))) }) };
    }
    default: {
      const enc = new TextEncoder();
      const parts = c.values.map((v) => (v === null ? new Uint8Array(0) : v instanceof Uint8Array ? v : enc.encode(String(v))));
      const offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => { offsets[i + 1] = offsets[i]! + p.length; });
      const bytes = new Uint8Array(offsets[n]!);
      parts.forEach((p, i) => bytes.set(p, offsets[i]!));
      if (c.type === 'BLOB') {
        const type = new Binary();
        return { type, data: makeData({ type, ...base, data: bytes, valueOffsets: offsets }) };
      }
      const type = new Utf8();
      return { type, data: makeData({ type, ...base, data: bytes, valueOffsets: offsets }) };
    }
  }
}

export function deviceBatch(device: string, times: (number | bigint)[], columns: ColumnSpec[], opts: { aligned?: boolean; table?: string; tags?: (string | null)[] } = {}): DeviceBatch {
  const timeType = new Int64();
  const fields: Field[] = [new Field('time', timeType, false, new Map([['tsfile.type', 'INT64']]))];
  const children: Data[] = [makeData({ type: timeType, length: times.length, nullCount: 0, data: BigInt64Array.from(times, (t) => BigInt(t)) })];
  for (const c of columns) {
    const { type, data } = columnData(c);
    fields.push(new Field(c.name, type, true, new Map([['tsfile.type', c.type]])));
    children.push(data);
  }
  const meta = new Map([['tsfile.aligned', String(opts.aligned ?? false)]]);
  if (opts.table !== undefined) { meta.set('tsfile.table', opts.table); meta.set('tsfile.tags', JSON.stringify(opts.tags ?? [])); }
  const schema = new Schema(fields, meta);
  const struct = makeData({ type: new Struct(fields), length: times.length, nullCount: 0, children });
  return { device, batch: new RecordBatch(schema, struct) };
}

/** A batch with every TsFile type, a null in each column, and awkward text. */
export function allTypesBatch(device = 'root.sg.d1', t0 = 1_700_000_000_000): DeviceBatch {
  return deviceBatch(device, [t0, t0 + 1000, t0 + 2000], [
    { name: 'b', type: 'BOOLEAN', values: [true, null, false] },
    { name: 'i', type: 'INT32', values: [-5, 2147483647, null] },
    { name: 'l', type: 'INT64', values: [null, 9007199254740993n, -1] },
    { name: 'f', type: 'FLOAT', values: [1.5, null, -0.25] },
    { name: 'd', type: 'DOUBLE', values: [0.1, 1e300, null] },
    { name: 's', type: 'TEXT', values: ['plain', 'quote\'s "and" back\\slash', null] },
    { name: 'u', type: 'STRING', values: [null, 'héllo wörld ✓', ''] },
    { name: 'x', type: 'BLOB', values: [new Uint8Array([0, 255]), null, new Uint8Array(0)] },
    { name: 'dt', type: 'DATE', values: [19723, null, -1] },
    { name: 'ts', type: 'TIMESTAMP', values: [0, 1_700_000_000_123, null] },
  ]);
}
