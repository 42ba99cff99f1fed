/**
 * IoTDB tablet buffers (connectors.md §1.3 "Tablet buffer layout", TSDataType numbering): times as
 * big-endian int64, each column's values back to back (BE numbers, i32-length-prefixed bytes,
 * DATE as the int yyyymmdd), then the null-bitmap section — one marker byte per column and
 * `floor(size/8) + 1` bitmap bytes (set bit = null) after a marker of 1. Rows go out in ascending
 * time (both reference clients sort before sending). Fixed-width columns are copied as blocks and
 * byte-swapped in place; no per-value BigInt.
 */
import { daysToYmd, isValid, boolAt, timeOrder, type BatchView, type ColumnView, type TsTypeName } from '../core/columns.js';

/** TSDataType ordinals used on the wire. */
export const TS_DATA_TYPE: Record<TsTypeName, number> = {
  BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 3, DOUBLE: 4, TEXT: 5, TIMESTAMP: 8, DATE: 9, BLOB: 10, STRING: 11,
};

export interface Tablet {
  device: string;
  measurements: string[];
  types: number[];
  typeNames: TsTypeName[];
  size: number;
  timestamps: Buffer;
  values: Buffer;
}

function fixedWidth(t: TsTypeName): number {
  switch (t) {
    case 'BOOLEAN': return 1;
    case 'INT32': case 'DATE': case 'FLOAT': return 4;
    case 'INT64': case 'TIMESTAMP': case 'DOUBLE': return 8;
    default: return 0;
  }
}

function hasNull(c: ColumnView, size: number, row: (i: number) => number): boolean {
  if (c.validity === null) return false;
  for (let i = 0; i < size; i++) if (!isValid(c, row(i))) return true;
  return false;
}

/** A STRING column with one value on every row (table-model tag columns). */
export interface ConstantColumn { name: string; value: string | null }

/** Builds the tablet of rows [from, to) of `view`, with optional constant STRING columns in front. */
export function buildTablet(view: BatchView, from: number, to: number, device = view.device, constants: ConstantColumn[] = []): Tablet {
  const size = to - from;
  const constBytes = constants.map((c) => Buffer.from(c.value ?? '', 'utf8'));
  const perm = timeOrder(view);
  const row = perm === null ? (i: number) => from + i : (i: number) => perm[from + i]!;
  // With a permutation, [from, to) indexes the sorted order; every row is then read through it.
  const cols = view.columns;
  let total = 0;
  const nulls: boolean[] = constants.map((c) => c.value === null && size > 0);
  for (const b of constBytes) total += size * (4 + b.length);
  for (const c of cols) {
    const w = fixedWidth(c.type);
    if (w > 0) total += w * size;
    else {
      total += 4 * size;
      for (let i = 0; i < size; i++) {
        const r = row(i);
        if (isValid(c, r)) total += c.offsets![r + 1]! - c.offsets![r]!;
      }
    }
    nulls.push(hasNull(c, size, row));
  }
  const anyNull = nulls.some((x) => x);
  const bitmapBytes = (size >> 3) + 1;
  if (anyNull) for (const n of nulls) total += 1 + (n ? bitmapBytes : 0);
  const values = Buffer.allocUnsafe(total);
  const dv = new DataView(values.buffer, values.byteOffset, values.length);
  let p = 0;
  for (const b of constBytes) {
    for (let i = 0; i < size; i++) { dv.setInt32(p, b.length); values.set(b, p + 4); p += 4 + b.length; }
  }
  for (const c of cols) {
    switch (c.type) {
      case 'BOOLEAN':
        for (let i = 0; i < size; i++) { const r = row(i); values[p++] = isValid(c, r) && boolAt(c, r) ? 1 : 0; }
        break;
      case 'DATE': {
        const a = c.numbers as Int32Array;
        for (let i = 0; i < size; i++) { const r = row(i); dv.setInt32(p, isValid(c, r) ? daysToYmd(a[r]!) : 10000101); p += 4; }
        break;
      }
      case 'INT32': case 'FLOAT': case 'INT64': case 'TIMESTAMP': case 'DOUBLE': {
        const w = fixedWidth(c.type);
        const src = c.numbers ?? c.words!;
        const bytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
        if (perm === null) {
          values.set(bytes.subarray(from * w, to * w), p);
        } else {
          for (let i = 0; i < size; i++) values.set(bytes.subarray(row(i) * w, row(i) * w + w), p + i * w);
        }
        const block = values.subarray(p, p + size * w);
        if (w === 4) block.swap32(); else block.swap64();
        p += size * w;
        break;
      }
      default: {
        const o = c.offsets!;
        const b = c.bytes!;
        for (let i = 0; i < size; i++) {
          const r = row(i);
          if (!isValid(c, r)) { dv.setInt32(p, 0); p += 4; continue; }
          const s = o[r]!;
          const e = o[r + 1]!;
          dv.setInt32(p, e - s); p += 4;
          values.set(b.subarray(s, e), p); p += e - s;
        }
      }
    }
  }
  if (anyNull) {
    constants.forEach((_, k) => {
      if (!nulls[k]) { values[p++] = 0; return; }
      values[p++] = 1;
      values.fill(0, p, p + bitmapBytes);
      for (let i = 0; i < size; i++) values[p + (i >> 3)]! |= 1 << (i & 7);
      p += bitmapBytes;
    });
    cols.forEach((c, k) => {
      if (!nulls[constants.length + k]) { values[p++] = 0; return; }
      values[p++] = 1;
      values.fill(0, p, p + bitmapBytes);
      for (let i = 0; i < size; i++) if (!isValid(c, row(i))) values[p + (i >> 3)]! |= 1 << (i & 7);
      p += bitmapBytes;
    });
  }
  const timestamps = Buffer.allocUnsafe(size * 8);
  const tw = view.timeWords;
  const tb = new Uint8Array(tw.buffer, tw.byteOffset, tw.byteLength);
  if (perm === null) timestamps.set(tb.subarray(from * 8, to * 8));
  else for (let i = 0; i < size; i++) timestamps.set(tb.subarray(row(i) * 8, row(i) * 8 + 8), i * 8);
  timestamps.swap64();
  return {
    device, measurements: [...constants.map((c) => c.name), ...cols.map((c) => c.name)],
    types: [...constants.map(() => TS_DATA_TYPE.STRING), ...cols.map((c) => TS_DATA_TYPE[c.type])],
    typeNames: [...constants.map(() => 'STRING' as const), ...cols.map((c) => c.type)],
    size, timestamps, values,
  };
}
