/**
 * How TsFile devices become Parquet tables: tree-model devices in long form (one `device` column,
 * dictionary-encoded, then `time` and the union of every measurement) or one table per device;
 * each table-model table on its own, its tag columns as string columns before `time`. Times become
 * Arrow Timestamp(ms); a column whose values lie outside what engines' microsecond timestamps hold
 * (about ±292 000 years) stays Int64, with its unit in the field metadata, so nothing is lost.
 */
import { type Data, Dictionary, Field, Int32, Int64, makeData, makeVector, RecordBatch, Schema, Struct, TimestampMillisecond, Type, Utf8, type DataType as ArrowType } from 'apache-arrow';
import { constantUtf8 } from '../arrow/constant.js';
import { measurementField, TSFILE_TYPE_KEY } from '../arrow/types.js';
import { ColumnCategory, DataType, parseDataTypeName } from '../format/codes.js';
import type { TsFileReader, DeviceInfo } from '../reader/tsfile-reader.js';
import { compilePathPatterns } from '../reader/path-pattern.js';
import { nullColumn } from '../reader/device-windows.js';
import { ErrorCode, TsFileError } from '../io/errors.js';

/** Field metadata naming the unit of a time column written as plain Int64. */
export const TIME_UNIT_KEY = 'tsfile.time_unit';
/** Largest |ms| whose microseconds fit an int64 (engines such as DuckDB read Timestamp(ms) as µs). */
const MAX_MICROS_SAFE_MS = 9_223_372_036_854_775n;

export type ParquetLayout = 'long' | 'per-device';

export interface PartDevice {
  reader: TsFileReader;
  device: DeviceInfo;
}

/** One Parquet file to write: its name (device, table, or "" for the single long table), schema and sources. */
export interface ParquetPart {
  name: string;
  kind: 'long' | 'device' | 'table';
  schema: Schema;
  devices: PartDevice[];
  /** Columns whose values repeat per device and are worth a dictionary. */
  dictionaryColumns: string[];
}

interface ColumnPlan {
  name: string;
  type: DataType;
  lo: bigint;
  hi: bigint;
}

function fitsMicros(lo: bigint, hi: bigint): boolean {
  return lo >= -MAX_MICROS_SAFE_MS && hi <= MAX_MICROS_SAFE_MS;
}

function timestampField(name: string, nullable: boolean, lo: bigint, hi: bigint, metadata: Map<string, string>): Field {
  if (fitsMicros(lo, hi)) return new Field(name, new TimestampMillisecond(), nullable, metadata);
  return new Field(name, new Int64(), nullable, new Map([...metadata, [TIME_UNIT_KEY, 'ms']]));
}

class PartBuilder {
  readonly devices: PartDevice[] = [];
  private readonly columns = new Map<string, Map<DataType, ColumnPlan>>();
  private timeLo = 0n;
  private timeHi = 0n;
  constructor(readonly name: string, readonly kind: ParquetPart['kind'], private readonly tags: string[] = []) {}

  async add(reader: TsFileReader, device: DeviceInfo, wanted: Set<string> | undefined): Promise<void> {
    this.devices.push({ reader, device });
    for (const s of await reader.timeseries(device.path)) {
      if (wanted !== undefined && !wanted.has(s.measurement)) continue;
      if (s.points > 0) {
        if (s.startTime < this.timeLo) this.timeLo = s.startTime;
        if (s.endTime > this.timeHi) this.timeHi = s.endTime;
      }
      const t = parseDataTypeName(s.dataType);
      let byType = this.columns.get(s.measurement);
      if (byType === undefined) this.columns.set(s.measurement, (byType = new Map()));
      let c = byType.get(t);
      if (c === undefined) byType.set(t, (c = { name: s.measurement, type: t, lo: 0n, hi: 0n }));
      const st = s.statistics as { kind: string; min?: unknown; max?: unknown };
      if (t === DataType.TIMESTAMP && st.kind === 'int64' && s.points > 0) {
        if ((st.min as bigint) < c.lo) c.lo = st.min as bigint;
        if ((st.max as bigint) > c.hi) c.hi = st.max as bigint;
      }
    }
  }

  build(order?: readonly string[]): ParquetPart {
    const fields: Field[] = [];
    const dictionaryColumns: string[] = [];
    if (this.kind === 'long') {
      fields.push(new Field('device', new Dictionary(new Utf8(), new Int32()), false));
      dictionaryColumns.push('device');
    }
    for (const t of this.tags) {
      fields.push(new Field(t, new Utf8(), true, new Map([[TSFILE_TYPE_KEY, 'STRING'], ['tsfile.category', 'TAG']])));
      dictionaryColumns.push(t);
    }
    fields.push(timestampField('time', false, this.timeLo, this.timeHi, new Map()));
    const names = [...this.columns.keys()];
    if (order !== undefined) {
      const rank = new Map(order.map((n, i) => [n, i]));
      names.sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
    }
    const reserved = new Set(['time', ...(this.kind === 'long' ? ['device'] : []), ...this.tags]);
    for (const name of names) {
      if (reserved.has(name)) {
        throw new TsFileError(ErrorCode.UNSUPPORTED, `a measurement named "${name}" collides with the ${name === 'time' ? 'time' : name === 'device' ? 'device' : 'tag'} column of the Parquet table`, { actual: name });
      }
      const byType = this.columns.get(name)!;
      for (const c of byType.values()) {
        const fieldName = byType.size > 1 ? `${name}:${dataTypeLabel(c.type)}` : name;
        const base = measurementField(fieldName, c.type);
        fields.push(c.type === DataType.TIMESTAMP ? timestampField(fieldName, true, c.lo, c.hi, base.metadata) : base);
      }
    }
    return { name: this.name, kind: this.kind, schema: new Schema(fields), devices: this.devices, dictionaryColumns };
  }
}

function dataTypeLabel(t: DataType): string {
  return measurementField('x', t).metadata.get(TSFILE_TYPE_KEY)!;
}

export interface LayoutOptions {
  layout?: ParquetLayout;
  devices?: readonly string[];
  measurements?: readonly string[];
}

/** The Parquet tables the readers' devices make, in a stable order (long/tree first, then tables by name). */
export async function planParquetParts(readers: readonly TsFileReader[], options: LayoutOptions = {}): Promise<ParquetPart[]> {
  const matches = options.devices === undefined ? () => true : compilePathPatterns(options.devices);
  const wanted = options.measurements === undefined ? undefined : new Set(options.measurements);
  const parts = new Map<string, { builder: PartBuilder; order?: string[] }>();
  for (const reader of readers) {
    for (const d of await reader.devices()) {
      if (!matches(d.path)) continue;
      let key: string;
      let make: () => { builder: PartBuilder; order?: string[] };
      if (d.model === 'table') {
        const schema = reader.metadata.tableSchemas.get(d.table);
        const tags = schema?.columns.filter((c) => c.category === ColumnCategory.TAG).map((c) => c.name) ?? d.tags.map((_, i) => `tag${i + 1}`);
        const order = schema?.columns.filter((c) => c.category === ColumnCategory.FIELD).map((c) => c.name);
        key = `table:${d.table}`;
        make = () => ({ builder: new PartBuilder(d.table, 'table', tags), ...(order !== undefined ? { order } : {}) });
      } else if (options.layout === 'per-device') {
        key = `device:${d.path}`;
        make = () => ({ builder: new PartBuilder(d.path, 'device') });
      } else {
        key = 'long';
        make = () => ({ builder: new PartBuilder('', 'long') });
      }
      let p = parts.get(key);
      if (p === undefined) parts.set(key, (p = make()));
      await p.builder.add(reader, d, wanted);
    }
  }
  const out = [...parts.values()].map((p) => p.builder.build(p.order));
  const rank = (k: ParquetPart['kind']) => (k === 'long' ? 0 : k === 'device' ? 1 : 2);
  return out.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Same buffer, another type of the same width (Int64 ↔ Timestamp(ms)). */
function retype(d: Data, type: ArrowType): Data {
  if (d.type.typeId === type.typeId && (d.type as { unit?: number }).unit === (type as { unit?: number }).unit) return d;
  const make = makeData as unknown as (props: Record<string, unknown>) => Data;
  return make({ type, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: d.values });
}

let zeros = new Int32Array(0);
function zeroIndices(n: number): Int32Array {
  if (zeros.length < n) zeros = new Int32Array(Math.max(n, 65_536));
  return zeros.subarray(0, n);
}

/**
 * Fits one scanned device batch (time, then its measurements) to the part's schema: the device or
 * tag columns in front, missing measurements as null columns, times and timestamps retyped.
 */
export function fitBatch(part: ParquetPart, device: DeviceInfo, batch: RecordBatch): RecordBatch {
  const schema = part.schema;
  const n = batch.numRows;
  const fields = schema.fields;
  const children: (Data | undefined)[] = new Array(fields.length);
  const position = positionsOf(schema);
  let k = 0;
  if (part.kind === 'long') {
    const type = fields[0]!.type as Dictionary<Utf8, Int32>;
    children[k++] = makeData({ type, length: n, data: zeroIndices(n), dictionary: makeVector(constantUtf8(device.path, 1)) });
  }
  if (part.kind === 'table') {
    for (; fields[k]!.metadata.get('tsfile.category') === 'TAG'; k++) children[k] = constantUtf8(device.tags[k] ?? null, n);
  }
  children[k] = retype(batch.getChildAt(0)!.data[0]!, fields[k]!.type);
  batch.schema.fields.forEach((f, j) => {
    if (j === 0) return;
    const t = f.metadata.get(TSFILE_TYPE_KEY)!;
    const i = position.get(f.name) ?? position.get(`${f.name}:${t}`);
    if (i === undefined) return;
    children[i] = retype(batch.getChildAt(j)!.data[0]!, fields[i]!.type);
  });
  for (let i = 0; i < fields.length; i++) {
    if (children[i] !== undefined) continue;
    const f = fields[i]!;
    children[i] = retype(nullColumn(parseDataTypeName(f.metadata.get(TSFILE_TYPE_KEY)!), n), f.type);
  }
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children: children as Data[] }));
}

const positions = new WeakMap<Schema, Map<string, number>>();
function positionsOf(schema: Schema): Map<string, number> {
  let p = positions.get(schema);
  if (p === undefined) {
    p = new Map();
    schema.fields.forEach((f, i) => {
      if (f.name !== 'device' && f.name !== 'time' && f.metadata.get('tsfile.category') !== 'TAG') p!.set(f.name, i);
    });
    positions.set(schema, p);
  }
  return p;
}

/** Whether a field is a time-like column (Timestamp, or Int64 with a unit). */
export function isTimeField(f: Field): boolean {
  return f.type.typeId === Type.Timestamp || f.metadata.has(TIME_UNIT_KEY);
}
