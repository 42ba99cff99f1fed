/** Slicing, concatenating and gathering decoded columns (typed arrays or offsets + bytes). */
import { type BinaryValues, type ColumnValues, isBinaryValues } from '../encoding/types.js';

type TypedValues = Exclude<ColumnValues, BinaryValues>;

/** Values [lo, hi) as views (no copy). Binary offsets keep their absolute positions, which Arrow accepts. */
export function sliceValues(v: ColumnValues, lo: number, hi: number): ColumnValues {
  if (isBinaryValues(v)) return { offsets: v.offsets.subarray(lo, hi + 1), data: v.data };
  return v.subarray(lo, hi);
}

export function concatValues(parts: ColumnValues[]): ColumnValues {
  if (parts.length === 1) return parts[0]!;
  if (isBinaryValues(parts[0]!)) {
    const bins = parts as BinaryValues[];
    const count = bins.reduce((n, b) => n + b.offsets.length - 1, 0);
    const bytes = bins.reduce((n, b) => n + (b.offsets[b.offsets.length - 1]! - b.offsets[0]!), 0);
    const offsets = new Int32Array(count + 1);
    const data = new Uint8Array(bytes);
    let k = 0;
    let pos = 0;
    for (const b of bins) {
      const base = b.offsets[0]!;
      const end = b.offsets[b.offsets.length - 1]!;
      data.set(b.data.subarray(base, end), pos);
      for (let i = 1; i < b.offsets.length; i++) offsets[++k] = pos + b.offsets[i]! - base;
      pos += end - base;
    }
    return { offsets, data };
  }
  const typed = parts as TypedValues[];
  const total = typed.reduce((n, p) => n + p.length, 0);
  const Ctor = typed[0]!.constructor as new (n: number) => TypedValues;
  const out = new Ctor(total);
  let at = 0;
  for (const p of typed) {
    (out as Int32Array).set(p as Int32Array, at);
    at += p.length;
  }
  return out;
}

/** Values at the given indices, in that order. */
export function gatherValues(v: ColumnValues, indices: readonly number[]): ColumnValues {
  if (isBinaryValues(v)) {
    const offsets = new Int32Array(indices.length + 1);
    let bytes = 0;
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      bytes += v.offsets[i + 1]! - v.offsets[i]!;
      offsets[k + 1] = bytes;
    }
    const data = new Uint8Array(bytes);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      data.set(v.data.subarray(v.offsets[i]!, v.offsets[i + 1]!), offsets[k]!);
    }
    return { offsets, data };
  }
  const Ctor = v.constructor as new (n: number) => TypedValues;
  const out = new Ctor(indices.length);
  for (let k = 0; k < indices.length; k++) (out as Int32Array)[k] = (v as Int32Array)[indices[k]!]!;
  return out;
}
