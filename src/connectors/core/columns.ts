/**
 * Column views over Arrow record batches (connectors.md §1.3 tablet layout, §2.6 and §3.5 type
 * mapping). Serialisers read the typed arrays and validity bitmaps directly so the hot path makes
 * no per-row getter call and no BigInt per value.
 */
import type { Data, RecordBatch } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../../io/errors.js';
import { civilFromDays } from '../../arrow/columns.js';

/** The TsFile data type carried in each field's `tsfile.type` metadata. */
export type TsTypeName = 'BOOLEAN' | 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE' | 'TEXT' | 'STRING' | 'BLOB' | 'DATE' | 'TIMESTAMP';

const TS_TYPES = new Set<string>(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP']);

export type TimeUnit = 'ms' | 'us' | 'ns';

/** One device's rows, as the reader emits them. */
export interface DeviceBatch {
  device: string;
  batch: RecordBatch;
}

/** A flat view of one value column: typed storage plus validity, with the Data offset applied. */
export interface ColumnView {
  readonly name: string;
  readonly type: TsTypeName;
  readonly length: number;
  /** Arrow validity bitmap (set bit = valid) or null when every row is valid. */
  readonly validity: Uint8Array | null;
  /** Bit index of row 0 inside `validity` and inside a BOOLEAN `bits` array. */
  readonly bitOffset: number;
  readonly nullCount: number;
  /** INT32 / DATE (days since epoch) / FLOAT / DOUBLE storage, starting at row 0. */
  readonly numbers: Int32Array | Float32Array | Float64Array | null;
  /** INT64 / TIMESTAMP as little-endian (lo, hi) int32 word pairs, starting at row 0. */
  readonly words: Int32Array | null;
  /** BOOLEAN packed bits (LSB first), with `bitOffset`. */
  readonly bits: Uint8Array | null;
  /** TEXT / STRING / BLOB bytes and offsets (offsets already sliced to row 0..length). */
  readonly bytes: Uint8Array | null;
  readonly offsets: Int32Array | null;
}

/** A device batch flattened into a time column and value columns. */
export interface BatchView {
  readonly device: string;
  readonly rows: number;
  /** Time as (lo, hi) int32 word pairs, in `timeUnit`. */
  readonly timeWords: Int32Array;
  /** Unit of the time column: its `tsfile.time_unit` metadata, an Arrow Timestamp's unit, else milliseconds (the TsFile default). */
  readonly timeUnit: TimeUnit;
  readonly columns: ColumnView[];
  readonly aligned: boolean;
  /** Table-model files: table name and tag values (the device path is table + tags joined by '.'). */
  readonly table: string | undefined;
  readonly tags: (string | null)[] | undefined;
}

export function isValid(c: ColumnView, row: number): boolean {
  if (c.validity === null) return true;
  const b = c.bitOffset + row;
  return (c.validity[b >> 3]! & (1 << (b & 7))) !== 0;
}

export function boolAt(c: ColumnView, row: number): boolean {
  const b = c.bitOffset + row;
  return (c.bits![b >> 3]! & (1 << (b & 7))) !== 0;
}

const TWO_32 = 4294967296;

/** An int64 stored as two int32 words, as a JS number; exact when |v| < 2^53. */
export function int64At(words: Int32Array, row: number): number {
  return words[2 * row + 1]! * TWO_32 + (words[2 * row]! >>> 0);
}

/** True when the int64 at `row` is exactly representable as a double. */
export function int64IsSafe(words: Int32Array, row: number): boolean {
  const hi = words[2 * row + 1]!;
  return hi >= -2097152 && hi < 2097152;
}

/** Appends the decimal int64 at `row` to `out` without a string when it is a safe integer. */
export function appendInt64(out: { int(v: number): void; ascii(s: string): void }, words: Int32Array, row: number): void {
  if (int64IsSafe(words, row)) out.int(int64At(words, row));
  else out.ascii(int64Text(words, row));
}

/** Decimal text of the int64 at `row`; BigInt only outside the safe-integer range (rare). */
export function int64Text(words: Int32Array, row: number): string {
  if (int64IsSafe(words, row)) return String(int64At(words, row));
  return ((BigInt(words[2 * row + 1]!) << 32n) | BigInt(words[2 * row]! >>> 0)).toString();
}

function int64Words(data: Data): Int32Array {
  const v = data.values as unknown as ArrayBufferView;
  if (!(v instanceof BigInt64Array) && !(v instanceof BigUint64Array) && !(v instanceof Int32Array)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'int64 column has unexpected storage', {
      expected: 'BigInt64Array', actual: (v as object).constructor.name,
    });
  }
  // Arrow slices fixed-width value buffers itself (data.offset then only applies to the validity
  // bits), so the buffer starts at row 0. Int32Array storage (older builds) already holds word pairs.
  return new Int32Array(v.buffer, v.byteOffset, data.length * 2);
}

function typeOf(field: { name: string; metadata: Map<string, string> }, data: Data): TsTypeName {
  const t = field.metadata.get('tsfile.type');
  if (t !== undefined && TS_TYPES.has(t)) return t as TsTypeName;
  // Without metadata fall back to the Arrow type id (TEXT for strings).
  const id = data.typeId as number;
  switch (id) {
    case 6: return 'BOOLEAN';
    case 2: {
      const t = data.type as unknown as { bitWidth: number; isSigned: boolean };
      if (t.isSigned && t.bitWidth === 64) return 'INT64';
      if (t.isSigned && t.bitWidth === 32) return 'INT32';
      break;
    }
    case 3: {
      const p = (data.type as unknown as { precision: number }).precision;
      if (p === 1) return 'FLOAT';
      if (p === 2) return 'DOUBLE';
      break;
    }
    case 5: return 'TEXT';
    case 4: return 'BLOB';
    case 8: return 'DATE';
    case 10: return 'TIMESTAMP';
    default: break;
  }
  throw new TsFileError(ErrorCode.UNSUPPORTED, `column ${field.name} has an Arrow type connectors cannot write`, {
    expected: 'Bool, Int32, Int64, Float32, Float64, Utf8, Binary, DateDay, Timestamp', actual: String(data.type),
  });
}

const STORAGE: Record<TsTypeName, string> = {
  BOOLEAN: 'Uint8Array', INT32: 'Int32Array', DATE: 'Int32Array', FLOAT: 'Float32Array', DOUBLE: 'Float64Array',
  INT64: 'BigInt64Array', TIMESTAMP: 'BigInt64Array', TEXT: 'Uint8Array', STRING: 'Uint8Array', BLOB: 'Uint8Array',
};

/** The typed storage must be what the declared TsFile type needs (metadata and Arrow type can disagree). */
function checkStorage(name: string, type: TsTypeName, data: Data): void {
  const v = data.values as unknown as ArrayBufferView | undefined;
  const actual = v === undefined ? 'none' : v.constructor.name;
  const ok = actual === STORAGE[type] || ((type === 'INT64' || type === 'TIMESTAMP') && actual === 'Int32Array' && data.stride === 2);
  const textual = type === 'TEXT' || type === 'STRING' || type === 'BLOB';
  if (!ok || (textual && !(data.valueOffsets instanceof Int32Array)) || (type === 'BOOLEAN' && (data.typeId as number) !== 6)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column ${name} is declared ${type} but its Arrow data does not match`, {
      expected: STORAGE[type], actual: `${String(data.type)} (${actual})`,
    });
  }
}

function columnView(name: string, type: TsTypeName, data: Data): ColumnView {
  checkStorage(name, type, data);
  const n = data.length;
  const off = data.offset;
  const validity = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
  let numbers: ColumnView['numbers'] = null;
  let words: Int32Array | null = null;
  let bits: Uint8Array | null = null;
  let bytes: Uint8Array | null = null;
  let offsets: Int32Array | null = null;
  switch (type) {
    case 'BOOLEAN': bits = data.values as Uint8Array; break;
    case 'INT32': case 'DATE': case 'FLOAT': case 'DOUBLE': {
      const v = data.values as Int32Array | Float32Array | Float64Array;
      numbers = v.subarray(0, n);
      break;
    }
    case 'INT64': case 'TIMESTAMP': words = int64Words(data); break;
    default: {
      bytes = data.values as Uint8Array;
      const o = data.valueOffsets as Int32Array;
      if (!(o instanceof Int32Array)) {
        throw new TsFileError(ErrorCode.UNSUPPORTED, `column ${name}: 64-bit string offsets are not supported`);
      }
      // Arrow slices the offsets buffer (not the bytes) when it slices a column.
      offsets = o.subarray(0, n + 1);
    }
  }
  return { name, type, length: n, validity, bitOffset: validity !== null || bits !== null ? off : 0,
    nullCount: validity === null ? 0 : data.nullCount, numbers, words, bits, bytes, offsets };
}

function timeUnitOf(d: Data, device: string, named: string | undefined): TimeUnit {
  if (named === 'ms' || named === 'us' || named === 'ns') return named;
  if ((d.typeId as number) !== 10) return 'ms';
  const unit = (d.type as unknown as { unit: number }).unit;
  if (unit === 1) return 'ms';
  if (unit === 2) return 'us';
  if (unit === 3) return 'ns';
  throw new TsFileError(ErrorCode.UNSUPPORTED, `batch of ${device}: time in seconds is not a TsFile unit`, { expected: 'ms, us or ns', actual: 's' });
}

/** Flattens a device batch; the first column named `time` (or the first column) is the time column. */
export function viewBatch(item: DeviceBatch): BatchView {
  const { batch } = item;
  const fields = batch.schema.fields;
  let timeIndex = fields.findIndex((f) => f.name === 'time');
  if (timeIndex < 0) timeIndex = 0;
  const timeData = batch.getChildAt(timeIndex)?.data[0];
  if (timeData === undefined) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `batch of ${item.device} has no time column`);
  }
  if (timeData.nullCount > 0) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `batch of ${item.device} has null timestamps`, {
      expected: '0 nulls in time', actual: `${timeData.nullCount}`,
    });
  }
  const timeWords = int64Words(timeData);
  const timeUnit = timeUnitOf(timeData, item.device, fields[timeIndex]?.metadata.get('tsfile.time_unit'));
  const columns: ColumnView[] = [];
  for (let i = 0; i < fields.length; i++) {
    if (i === timeIndex) continue;
    const f = fields[i]!;
    const vector = batch.getChildAt(i)!;
    if (vector.data.length !== 1) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column ${f.name} has ${vector.data.length} chunks`, { expected: '1' });
    }
    const d = vector.data[0]!;
    columns.push(columnView(f.name, typeOf(f, d), d));
  }
  const meta = batch.schema.metadata;
  const tagsText = meta.get('tsfile.tags');
  let tags: (string | null)[] | undefined;
  if (tagsText !== undefined) {
    try { tags = JSON.parse(tagsText) as (string | null)[]; } catch (e) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `batch of ${item.device}: tsfile.tags is not JSON`, { actual: tagsText, cause: e });
    }
  }
  return { device: item.device, rows: batch.numRows, timeWords, timeUnit, columns,
    aligned: meta.get('tsfile.aligned') === 'true', table: meta.get('tsfile.table'), tags };
}

/** Days since 1970-01-01 → the int yyyymmdd (civil calendar, proleptic Gregorian). */
export const daysToYmd = civilFromDays;

/** Days since epoch → `YYYY-MM-DD`. */
export function daysToIso(days: number): string {
  const ymd = daysToYmd(days);
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Rows of a batch in ascending time order: null when already sorted, else a permutation. */
export function timeOrder(view: BatchView): Int32Array | null {
  const w = view.timeWords;
  let sorted = true;
  for (let r = 1; r < view.rows; r++) {
    if (int64At(w, r) < int64At(w, r - 1)) { sorted = false; break; }
  }
  if (sorted) return null;
  const perm = new Int32Array(view.rows);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  perm.sort((a, b) => int64At(w, a) - int64At(w, b) || a - b);
  return perm;
}
