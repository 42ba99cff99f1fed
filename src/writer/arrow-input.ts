/**
 * Arrow input for the writer (tsfile-format.md §8 value shapes): columns are read through their own
 * typed arrays, offsets and null bitmaps (chunk by chunk, no per-value getters); DateDay becomes
 * yyyymmdd, dictionary-encoded strings are looked up. Times (the `time` column and TIMESTAMP
 * columns) given as Arrow Timestamp, Date32 or Date64 are converted to the file's unit exactly, or
 * refused naming the column and row; Int64 times are taken as already in the file's unit.
 */
import { type Data, DateUnit, Type, type Vector } from 'apache-arrow';
import { type InputTimeUnit, millisFromDays, rescaleEpoch, unitOfTimestamp } from '../arrow/time-unit.js';
import { civilFromDays } from '../arrow/columns.js';
import type { BinaryValues } from '../encoding/types.js';
import { DataType } from '../format/codes.js';
import { inputError, mismatch, type InputContext, type RowColumn } from './input-error.js';

export function arrowTimes(v: Vector, ctx: InputContext): BigInt64Array {
  const out = epochInput(v, ctx, 'time');
  if (out === undefined) throw inputError(ctx, 'the time column must be Int64, Timestamp, Date32 or Date64', 'time', undefined, 'Int64/Timestamp/Date', String(v.type));
  if (v.nullCount > 0) throw inputError(ctx, 'the time column has nulls', 'time');
  return out;
}

function isInt64(t: { typeId: Type; bitWidth?: number; isSigned?: boolean }): boolean {
  return t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned !== false;
}

/**
 * A copy of a time-like Arrow column as int64 epoch values in the file's unit, or undefined when
 * the type is not time-like. Null rows are left as they are and not checked.
 */
function epochInput(v: Vector, ctx: InputContext, column: string, valid?: Uint8Array): BigInt64Array | undefined {
  const t = v.type as unknown as { typeId: Type; bitWidth?: number; isSigned?: boolean; unit?: number };
  const to = ctx.timeUnit ?? 'ms';
  const refuse = (row: number, _v: bigint, why: string): never => {
    throw inputError(ctx, `time value cannot be stored in the file's unit: ${why}`, column, row, `a whole number of ${to} within int64`, `${String(v.type)} ${_v}`);
  };
  let out: BigInt64Array;
  let from: InputTimeUnit;
  if (isInt64(t)) return concatFixed(v.data, (n) => new BigInt64Array(n), int64View);
  if (t.typeId === Type.Timestamp) {
    out = concatFixed(v.data, (n) => new BigInt64Array(n), int64View);
    from = unitOfTimestamp(v.type)!;
  } else if (t.typeId === Type.Date && t.unit === DateUnit.DAY) {
    out = millisFromDays(concatFixed(v.data, (n) => new Int32Array(n), (d) => d.values as Int32Array));
    from = 'ms';
  } else if (t.typeId === Type.Date) {
    out = concatFixed(v.data, (n) => new BigInt64Array(n), int64View);
    from = 'ms';
  } else return undefined;
  rescaleEpoch(out, from, to, refuse, valid);
  return out;
}

function int64View(d: Data): BigInt64Array {
  const x = d.values as unknown as BigInt64Array | Int32Array;
  return x instanceof BigInt64Array ? x : new BigInt64Array(x.buffer, x.byteOffset, x.length >> 1);
}


/** Concatenates the chunks of an Arrow vector; `elementBytes` per value, `pick` narrows Arrow's typed arrays. */
function concatFixed<T extends Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array>(
  chunks: readonly Data[],
  make: (n: number) => T,
  view: (d: Data) => T,
): T {
  let n = 0;
  for (const d of chunks) n += d.length;
  const out = make(n);
  let at = 0;
  for (const d of chunks) {
    // Arrow's Data.slice slices value buffers to row 0; `offset` only locates bits of bitmaps.
    out.set(view(d).subarray(0, d.length) as never, at);
    at += d.length;
  }
  return out;
}

function arrowValidity(chunks: readonly Data[], rows: number): Uint8Array | undefined {
  if (!chunks.some((d) => d.nullCount > 0)) return undefined;
  const valid = new Uint8Array(rows).fill(1);
  let at = 0;
  for (const d of chunks) {
    const bm = d.nullBitmap;
    if (d.nullCount > 0 && bm !== undefined && bm.length > 0) {
      for (let i = 0; i < d.length; i++) {
        const b = d.offset + i;
        valid[at + i] = (bm[b >> 3]! >> (b & 7)) & 1;
      }
    }
    at += d.length;
  }
  return valid;
}

export function fromArrow(v: Vector, type: DataType, ctx: InputContext, m: string): RowColumn {
  const t = v.type as { typeId: Type; bitWidth?: number; isSigned?: boolean; precision?: number };
  const chunks = v.data;
  const valid = arrowValidity(chunks, v.length);
  const fail = () => mismatch(ctx, m, type, `Arrow ${String(v.type)}`);
  switch (type) {
    case DataType.BOOLEAN: {
      if (t.typeId !== Type.Bool) throw fail();
      const out = new Uint8Array(v.length);
      let at = 0;
      for (const d of chunks) {
        const bits = d.values as Uint8Array;
        for (let i = 0; i < d.length; i++) {
          const b = d.offset + i;
          out[at + i] = (bits[b >> 3]! >> (b & 7)) & 1;
        }
        at += d.length;
      }
      return { values: out, valid };
    }
    case DataType.INT32:
      if (t.typeId !== Type.Int || t.bitWidth !== 32 || t.isSigned === false) throw fail();
      return { values: concatFixed(chunks, (n) => new Int32Array(n), (d) => d.values as Int32Array), valid };
    case DataType.DATE: {
      if (t.typeId === Type.Int && t.bitWidth === 32) {
        return { values: concatFixed(chunks, (n) => new Int32Array(n), (d) => d.values as Int32Array), valid };
      }
      if (t.typeId !== Type.Date || (v.type as { unit: number }).unit !== 0) throw fail();
      const days = concatFixed(chunks, (n) => new Int32Array(n), (d) => d.values as Int32Array);
      for (let i = 0; i < days.length; i++) days[i] = civilFromDays(days[i]!);
      return { values: days, valid };
    }
    case DataType.INT64:
      // An Int64 series keeps the integers it is given, whatever their Arrow label.
      if (!(isInt64(t) || t.typeId === Type.Timestamp)) throw fail();
      return { values: concatFixed(chunks, (n) => new BigInt64Array(n), int64View), valid };
    case DataType.TIMESTAMP: {
      const values = epochInput(v, ctx, m, valid);
      if (values === undefined) throw fail();
      return { values, valid };
    }
    case DataType.FLOAT:
      if (t.typeId !== Type.Float || t.precision !== 1) throw fail();
      return { values: concatFixed(chunks, (n) => new Float32Array(n), (d) => d.values as Float32Array), valid };
    case DataType.DOUBLE:
      if (t.typeId !== Type.Float || t.precision !== 2) throw fail();
      return { values: concatFixed(chunks, (n) => new Float64Array(n), (d) => d.values as Float64Array), valid };
    default: {
      if (t.typeId === Type.Dictionary) return { values: fromDictionary(chunks), valid };
      if (t.typeId !== Type.Utf8 && t.typeId !== Type.Binary) throw fail();
      let total = 0;
      for (const d of chunks) total += d.valueOffsets[d.length]! - d.valueOffsets[0]!;
      const offsets = new Int32Array(v.length + 1);
      const data = new Uint8Array(total);
      let row = 0;
      let at = 0;
      for (const d of chunks) {
        const o = d.valueOffsets as Int32Array;
        const base = o[0]!;
        data.set((d.values as Uint8Array).subarray(base, o[d.length]!), at);
        for (let i = 1; i <= d.length; i++) offsets[row + i] = at + o[i]! - base;
        at += o[d.length]! - base;
        row += d.length;
      }
      return { values: { offsets, data } satisfies BinaryValues, valid };
    }
  }
}

/** Dictionary-encoded Utf8/Binary (what `vectorFromArray` makes of strings): indices looked up in each chunk's dictionary. */
function fromDictionary(chunks: readonly Data[]): BinaryValues {
  let rows = 0;
  let total = 0;
  for (const d of chunks) {
    const dict = d.dictionary!.data[0]!;
    const o = dict.valueOffsets as Int32Array;
    const idx = d.values as Int32Array;
    rows += d.length;
    for (let i = 0; i < d.length; i++) {
      const k = Number(idx[i]!);
      if (k < dict.length) total += o[k + 1]! - o[k]!;
    }
  }
  const offsets = new Int32Array(rows + 1);
  const data = new Uint8Array(total);
  let row = 0;
  let at = 0;
  for (const d of chunks) {
    const dict = d.dictionary!.data[0]!;
    const o = dict.valueOffsets as Int32Array;
    const bytes = dict.values as Uint8Array;
    const idx = d.values as Int32Array;
    for (let i = 0; i < d.length; i++) {
      // Null rows may hold any index: only in-range ones are looked up.
      const k = Number(idx[i]!);
      if (k < dict.length) {
        data.set(bytes.subarray(o[k]!, o[k + 1]!), at);
        at += o[k + 1]! - o[k]!;
      }
      offsets[++row] = at;
    }
  }
  return { offsets, data };
}

