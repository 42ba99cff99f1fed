/**
 * Arrow input for the writer (tsfile-format.md §8 value shapes): columns are read through their own
 * typed arrays, offsets and null bitmaps (chunk by chunk, no per-value getters); DateDay becomes
 * yyyymmdd, dictionary-encoded strings are looked up, Timestamp/Int64 times are copied as int64.
 */
import { type Data, Type, type Vector } from 'apache-arrow';
import { civilFromDays } from '../arrow/columns.js';
import type { BinaryValues } from '../encoding/types.js';
import { DataType } from '../format/codes.js';
import { inputError, mismatch, type InputContext, type RowColumn } from './input-error.js';

export function arrowTimes(v: Vector, ctx: InputContext): BigInt64Array {
  const id = v.type.typeId;
  if (!(id === Type.Int && (v.type as { bitWidth: number; isSigned: boolean }).bitWidth === 64 && (v.type as { isSigned: boolean }).isSigned) && id !== Type.Timestamp) {
    throw inputError(ctx, 'the time column must be Int64 or Timestamp', 'time', undefined, 'Int64/Timestamp', String(v.type));
  }
  if (v.nullCount > 0) throw inputError(ctx, 'the time column has nulls', 'time');
  const out = new BigInt64Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const src = d.values as unknown as BigInt64Array | Int32Array;
    out.set(src instanceof BigInt64Array ? src.subarray(d.offset, d.offset + d.length) : new BigInt64Array(src.buffer, src.byteOffset + d.offset * 8, d.length), at);
    at += d.length;
  }
  return out;
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
    out.set(view(d).subarray(d.offset, d.offset + d.length) as never, at);
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
    case DataType.TIMESTAMP:
      if (!((t.typeId === Type.Int && t.bitWidth === 64 && t.isSigned !== false) || t.typeId === Type.Timestamp)) throw fail();
      return {
        values: concatFixed(chunks, (n) => new BigInt64Array(n), (d) => {
          const x = d.values as unknown as BigInt64Array | Int32Array;
          return x instanceof BigInt64Array ? x : new BigInt64Array(x.buffer, x.byteOffset, x.length >> 1);
        }),
        valid,
      };
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
      for (const d of chunks) total += d.valueOffsets[d.offset + d.length]! - d.valueOffsets[d.offset]!;
      const offsets = new Int32Array(v.length + 1);
      const data = new Uint8Array(total);
      let row = 0;
      let at = 0;
      for (const d of chunks) {
        const o = d.valueOffsets as Int32Array;
        const base = o[d.offset]!;
        data.set((d.values as Uint8Array).subarray(base, o[d.offset + d.length]!), at);
        for (let i = 1; i <= d.length; i++) offsets[row + i] = at + o[d.offset + i]! - base;
        at += o[d.offset + d.length]! - base;
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
      const k = dict.offset + Number(idx[d.offset + i]!);
      if (k < dict.offset + dict.length) total += o[k + 1]! - o[k]!;
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
      const k = dict.offset + Number(idx[d.offset + i]!);
      if (k < dict.offset + dict.length) {
        data.set(bytes.subarray(o[k]!, o[k + 1]!), at);
        at += o[k + 1]! - o[k]!;
      }
      offsets[++row] = at;
    }
  }
  return { offsets, data };
}

