/**
 * Turning what callers pass to `write` into typed columns (tsfile-format.md §8: the value shape each
 * data type is encoded from). Accepts Arrow RecordBatch/Table (read through the columns' own typed
 * arrays and null bitmaps, no per-value getters) or plain `{ time, columns }` arrays. Every check
 * that can fail happens here, before any byte is buffered, so a rejected batch changes nothing.
 */
import type { RecordBatch, Table, Vector } from 'apache-arrow';
import { arrowTimes, fromArrow } from './arrow-input.js';
import { inputError, mismatch, type InputContext, type RowColumn } from './input-error.js';

export { inputError, type InputContext, type RowColumn } from './input-error.js';
import type { ColumnValues } from '../encoding/types.js';
import { DataType, dataTypeName } from '../format/codes.js';

/** A column given as plain values: a typed array of the series' shape, JS values (null = no value), or values + per-row validity. */
export type ColumnInput =
  | ColumnValues
  | readonly (number | bigint | boolean | string | Uint8Array | null | undefined)[]
  | { values: ColumnValues; valid: Uint8Array };

/** The plain-array form of a write: `time` plus one entry per measurement (or tag) column. */
export interface ColumnBatch {
  time: BigInt64Array | readonly (bigint | number)[];
  columns: Record<string, ColumnInput>;
}

export type WriteInput = ColumnBatch | RecordBatch | Table;

/** Source of one column, before it is converted to a data type. */
export type ColumnSource = { kind: 'plain'; input: ColumnInput } | { kind: 'arrow'; vector: Vector };

export interface SourceBatch {
  rows: number;
  time: BigInt64Array;
  columns: Map<string, ColumnSource>;
}

const textEncoder = new TextEncoder();

function isArrowBatch(x: WriteInput): x is RecordBatch | Table {
  return typeof (x as RecordBatch).getChild === 'function' && (x as RecordBatch).schema !== undefined;
}

/** Splits the input into its time column and named column sources. */
export function readSourceBatch(input: WriteInput, ctx: InputContext): SourceBatch {
  if (isArrowBatch(input)) {
    const timeVector = input.getChild('time');
    if (timeVector === null) throw inputError(ctx, 'the batch has no "time" column');
    const columns = new Map<string, ColumnSource>();
    for (const f of input.schema.fields) {
      if (f.name === 'time') continue;
      columns.set(f.name, { kind: 'arrow', vector: input.getChild(f.name)! });
    }
    return { rows: input.numRows, time: arrowTimes(timeVector, ctx), columns };
  }
  if (input === null || typeof input !== 'object' || input.time === undefined || input.columns === undefined) {
    throw inputError(ctx, 'write data must be an Arrow RecordBatch/Table or { time, columns }');
  }
  const time = plainTimes(input.time, ctx);
  const columns = new Map<string, ColumnSource>();
  for (const [name, c] of Object.entries(input.columns)) columns.set(name, { kind: 'plain', input: c });
  return { rows: time.length, time, columns };
}

function plainTimes(t: ColumnBatch['time'], ctx: InputContext): BigInt64Array {
  if (t instanceof BigInt64Array) return t;
  if (!Array.isArray(t)) throw inputError(ctx, 'time must be a BigInt64Array or an array of integers', 'time');
  const out = new BigInt64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (typeof v === 'bigint') out[i] = v;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) out[i] = BigInt(v);
    else throw inputError(ctx, 'time must be an integer', 'time', i, 'an int64', String(v));
  }
  return out;
}

/** Checks that times are strictly increasing and start after `after` (undefined: no earlier point). */
export function checkTimes(time: BigInt64Array, after: bigint | undefined, ctx: InputContext, measurement?: string): void {
  const n = time.length;
  if (n === 0) return;
  if (after !== undefined && time[0]! <= after) {
    throw inputError(ctx, 'time is not after the last time already written', measurement, 0, `> ${after}`, String(time[0]));
  }
  const w = new Int32Array(time.buffer, time.byteOffset, n * 2);
  let prevHi = w[1]!;
  let prevLo = w[0]! >>> 0;
  for (let i = 1; i < n; i++) {
    const hi = w[2 * i + 1]!;
    const lo = w[2 * i]! >>> 0;
    if (hi < prevHi || (hi === prevHi && lo <= prevLo)) {
      const what = hi === prevHi && lo === prevLo ? 'duplicate time' : 'times are not increasing';
      throw inputError(ctx, what, measurement, i, `> ${time[i - 1]}`, String(time[i]));
    }
    prevHi = hi;
    prevLo = lo;
  }
}

/** Converts a column source to the value shape of `type` (one value per row) plus its validity. */
export function toRowColumn(src: ColumnSource, type: DataType, rows: number, ctx: InputContext, measurement: string): RowColumn {
  const col = src.kind === 'arrow' ? fromArrow(src.vector, type, ctx, measurement) : fromPlain(src.input, type, rows, ctx, measurement);
  const len = 'offsets' in col.values ? col.values.offsets.length - 1 : col.values.length;
  if (len !== rows) throw inputError(ctx, 'column length differs from the time column', measurement, undefined, String(rows), String(len));
  if (type === DataType.DATE) checkDates(col, ctx, measurement);
  return col;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'Array';
  return (x as object).constructor?.name ?? typeof x;
}

function fromPlain(input: ColumnInput, type: DataType, rows: number, ctx: InputContext, m: string): RowColumn {
  if (Array.isArray(input)) return fromJsArray(input, type, ctx, m);
  if (typeof input === 'object' && input !== null && 'valid' in input && 'values' in input) {
    const inner = fromPlain(input.values, type, rows, ctx, m);
    if (!(input.valid instanceof Uint8Array) || input.valid.length !== rows) {
      throw inputError(ctx, 'valid must be a Uint8Array with one byte per row', m, undefined, String(rows), describe(input.valid));
    }
    return { values: inner.values, valid: input.valid };
  }
  const v = input as ColumnValues;
  const ok =
    type === DataType.BOOLEAN
      ? v instanceof Uint8Array
      : type === DataType.INT32 || type === DataType.DATE
        ? v instanceof Int32Array
        : type === DataType.INT64 || type === DataType.TIMESTAMP
          ? v instanceof BigInt64Array
          : type === DataType.FLOAT
            ? v instanceof Float32Array
            : type === DataType.DOUBLE
              ? v instanceof Float64Array
              : 'offsets' in v && v.offsets instanceof Int32Array && v.data instanceof Uint8Array;
  if (!ok) throw mismatch(ctx, m, type, describe(v));
  if ('offsets' in v) checkOffsets(v, ctx, m);
  return { values: v, valid: undefined };
}

/** Caller-built binary columns: offsets must rise within the data, or slicing would read garbage. */
function checkOffsets(v: { offsets: Int32Array; data: Uint8Array }, ctx: InputContext, m: string): void {
  const o = v.offsets;
  if (o.length === 0 || o[0]! < 0) throw inputError(ctx, 'binary offsets must start at a non-negative index', m, undefined, '>= 0', String(o[0]));
  for (let i = 1; i < o.length; i++) {
    if (o[i]! < o[i - 1]!) throw inputError(ctx, 'binary offsets decrease', m, i - 1, `>= ${o[i - 1]}`, String(o[i]));
  }
  if (o[o.length - 1]! > v.data.length) throw inputError(ctx, 'binary offsets run past the data', m, o.length - 2, `<= ${v.data.length}`, String(o[o.length - 1]));
}

function fromJsArray(a: readonly unknown[], type: DataType, ctx: InputContext, m: string): RowColumn {
  const n = a.length;
  let valid: Uint8Array | undefined;
  const isNull = (i: number) => {
    if (a[i] !== null && a[i] !== undefined) return false;
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
    return true;
  };
  const bad = (i: number) => inputError(ctx, 'type mismatch', m, i, `a value for ${dataTypeName(type)}`, describe(a[i]) === 'Object' ? String(a[i]) : `${typeof a[i]} ${String(a[i])}`);
  switch (type) {
    case DataType.BOOLEAN: {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) continue;
        if (typeof a[i] !== 'boolean') throw bad(i);
        out[i] = a[i] ? 1 : 0;
      }
      return { values: out, valid };
    }
    case DataType.INT32:
    case DataType.DATE: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) continue;
        const x = a[i];
        if (typeof x !== 'number' || !Number.isInteger(x) || x < -2147483648 || x > 2147483647) throw bad(i);
        out[i] = x;
      }
      return { values: out, valid };
    }
    case DataType.INT64:
    case DataType.TIMESTAMP: {
      const out = new BigInt64Array(n);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) continue;
        const x = a[i];
        if (typeof x === 'bigint' && x === BigInt.asIntN(64, x)) out[i] = x;
        else if (typeof x === 'number' && Number.isSafeInteger(x)) out[i] = BigInt(x);
        else throw bad(i);
      }
      return { values: out, valid };
    }
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const out = type === DataType.FLOAT ? new Float32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (isNull(i)) continue;
        if (typeof a[i] !== 'number') throw bad(i);
        out[i] = a[i] as number;
      }
      return { values: out, valid };
    }
    default: {
      const parts: Uint8Array[] = new Array(n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const x = a[i];
        if (isNull(i)) parts[i] = new Uint8Array(0);
        else if (typeof x === 'string' && type !== DataType.BLOB) parts[i] = textEncoder.encode(x);
        else if (x instanceof Uint8Array) parts[i] = x;
        else throw bad(i);
        total += parts[i]!.length;
      }
      const offsets = new Int32Array(n + 1);
      const data = new Uint8Array(total);
      for (let i = 0; i < n; i++) {
        data.set(parts[i]!, offsets[i]!);
        offsets[i + 1] = offsets[i]! + parts[i]!.length;
      }
      return { values: { offsets, data }, valid };
    }
  }
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** DATE values must be yyyymmdd of a real day in years 1000–9999 (§1.7). */
function checkDates(col: RowColumn, ctx: InputContext, m: string): void {
  const v = col.values as Int32Array;
  for (let i = 0; i < v.length; i++) {
    if (col.valid !== undefined && col.valid[i] === 0) continue;
    const x = v[i]!;
    const y = Math.trunc(x / 10000);
    const mo = Math.trunc(x / 100) % 100;
    const d = x % 100;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! || (mo === 2 && d === 29 && !leap)) {
      throw inputError(ctx, 'not a valid DATE (yyyymmdd, years 1000-9999)', m, i, 'yyyymmdd', String(x));
    }
  }
}

/** First row with a value, or -1. */
export function firstValidRow(col: RowColumn, rows: number): number {
  if (col.valid === undefined) return rows > 0 ? 0 : -1;
  for (let i = 0; i < rows; i++) if (col.valid[i] !== 0) return i;
  return -1;
}

/** Last row with a value, or -1. */
export function lastValidRow(col: RowColumn, rows: number): number {
  if (col.valid === undefined) return rows - 1;
  for (let i = rows - 1; i >= 0; i--) if (col.valid[i] !== 0) return i;
  return -1;
}
