/**
 * Builds the `{ device, batch }` Arrow record batches sources emit, in the reader's shape: a
 * Timestamp `time` column in the source's unit (also named by `tsfile.time_unit`), TIMESTAMP
 * columns in the same unit, one nullable column per
 * measurement typed by `tsfile.type`, `tsfile.aligned` (and `tsfile.table` / `tsfile.tags` for
 * table-model devices) in the schema metadata. Values go into typed arrays; one batch holds at most
 * the rows the caller appends before `take()`, which bounds a source's memory.
 */
import { Field, makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';
import { measurementField, timeField } from '../../arrow/types.js';
import { parseDataTypeName } from '../../format/codes.js';
import type { DeviceBatch, TimeUnit, TsTypeName } from './columns.js';

export type CellValue = boolean | number | bigint | string | Uint8Array | null;

export interface BuilderColumn { name: string; type: TsTypeName }

export interface DeviceSchema {
  device: string;
  columns: BuilderColumn[];
  aligned: boolean;
  timeUnit: TimeUnit;
  table?: string;
  tags?: (string | null)[];
}

const encoder = new TextEncoder();

class ColumnBuffer {
  values: CellValue[] = [];
  constructor(readonly spec: BuilderColumn) {}

  data(rows: number, type: Field['type']): Data {
    const t = this.spec.type;
    const valid = new Uint8Array((rows + 7) >> 3);
    let nulls = 0;
    this.values.forEach((v, i) => { if (v === null) nulls++; else valid[i >> 3]! |= 1 << (i & 7); });
    const base = { type, length: rows, nullCount: nulls, ...(nulls > 0 ? { nullBitmap: valid } : {}) };
    const vs = this.values;
    switch (t) {
      case 'BOOLEAN': {
        const bits = new Uint8Array((rows + 7) >> 3);
        vs.forEach((v, i) => { if (v === true) bits[i >> 3]! |= 1 << (i & 7); });
        return makeData({ ...base, data: bits } as never);
      }
      case 'INT32': case 'DATE': return makeData({ ...base, data: Int32Array.from(vs, (v) => (v === null ? 0 : Number(v))) } as never);
      case 'FLOAT': return makeData({ ...base, data: Float32Array.from(vs, (v) => (v === null ? 0 : Number(v))) } as never);
      case 'DOUBLE': return makeData({ ...base, data: Float64Array.from(vs, (v) => (v === null ? 0 : Number(v))) } as never);
      case 'INT64': case 'TIMESTAMP': return makeData({ ...base, data: BigInt64Array.from(vs, (v) => (v === null ? 0n : BigInt(v as bigint))) } as never);
      default: {
        const parts = vs.map((v) => (v === null ? new Uint8Array(0) : typeof v === 'string' ? encoder.encode(v) : (v as Uint8Array)));
        const offsets = new Int32Array(rows + 1);
        parts.forEach((p, i) => { offsets[i + 1] = offsets[i]! + p.length; });
        const bytes = new Uint8Array(offsets[rows]!);
        parts.forEach((p, i) => bytes.set(p, offsets[i]!));
        return makeData({ ...base, data: bytes, valueOffsets: offsets } as never);
      }
    }
  }
}

/** Accumulates the rows of one device and turns them into record batches. */
export class DeviceBatchBuilder {
  private times: bigint[] = [];
  private readonly cols: ColumnBuffer[];

  constructor(readonly schema: DeviceSchema) {
    this.cols = schema.columns.map((c) => new ColumnBuffer(c));
  }

  get rows(): number { return this.times.length; }

  /** Appends one row; `values[k]` belongs to column k (null = no value). */
  append(time: bigint, values: readonly CellValue[]): void {
    this.times.push(time);
    for (let k = 0; k < this.cols.length; k++) this.cols[k]!.values.push(values[k] ?? null);
  }

  /** The rows so far as one batch (the builder starts empty again); undefined when empty. */
  take(): DeviceBatch | undefined {
    const rows = this.times.length;
    if (rows === 0) return undefined;
    const s = this.schema;
    const unit = { unit: s.timeUnit };
    const time = timeField(unit);
    const fields: Field[] = [time, ...s.columns.map((c) => measurementField(c.name, parseDataTypeName(c.type), {}, unit))];
    const children = [makeData({ type: time.type, length: rows, nullCount: 0, data: BigInt64Array.from(this.times) } as never), ...this.cols.map((c, k) => c.data(rows, fields[k + 1]!.type))];
    const meta = new Map([['tsfile.aligned', String(s.aligned)]]);
    if (s.table !== undefined) { meta.set('tsfile.table', s.table); meta.set('tsfile.tags', JSON.stringify(s.tags ?? [])); }
    const schema = new Schema(fields, meta);
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
    this.times = [];
    for (const c of this.cols) c.values = [];
    return { device: s.device, batch };
  }
}
