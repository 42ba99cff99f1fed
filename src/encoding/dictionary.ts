/**
 * DICTIONARY (tsfile-format.md §10.7; TEXT, STRING): `svarint entryCount`, the distinct values in
 * order of first appearance (each `svarint length + bytes`), then an RLE stream (§10.3, 32-bit) of
 * the 0-based entry index of every value.
 */
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { decodeFailed } from './decode-error.js';
import { decodeRleInt32, encodeRleInt32 } from './rle.js';
import type { BinaryValues, DecodeContext } from './types.js';

export function decodeDictionary(src: Uint8Array, count: number, ctx?: DecodeContext): BinaryValues {
  const r = new ByteReader(src, ctx, 'DICTIONARY');
  const entryCount = r.svarint('entry count');
  // Every entry takes at least one byte, so the stream bounds the count before anything is allocated.
  if (entryCount < 0 || entryCount > r.remaining) {
    throw r.fail('bad entry count', `0..${r.remaining}`, String(entryCount), 0);
  }
  const starts = new Int32Array(entryCount);
  const lengths = new Int32Array(entryCount);
  for (let e = 0; e < entryCount; e++) {
    const at = r.pos;
    const len = r.svarint('entry length');
    if (len < 0) throw r.fail('negative entry length', 'length >= 0', String(len), at);
    r.need(len, 'entry bytes');
    starts[e] = r.pos;
    lengths[e] = len;
    r.pos += len;
  }
  const indexCtx = ctx === undefined ? undefined : { ...ctx, offset: ctx.offset === undefined ? undefined : ctx.offset + r.pos };
  const indexes = decodeRleInt32(src.subarray(r.pos), count, indexCtx);
  const offsets = new Int32Array(count + 1);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const e = indexes[i]!;
    if (e < 0 || e >= entryCount) throw decodeFailed(ctx, 'DICTIONARY: index outside the dictionary', r.pos, `0..${entryCount - 1}`, String(e));
    total += lengths[e]!;
    if (total > 0x7fffffff) throw decodeFailed(ctx, 'DICTIONARY: decoded page larger than 2 GiB', r.pos);
    offsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < count; i++) {
    const e = indexes[i]!;
    const s = starts[e]!;
    data.set(src.subarray(s, s + lengths[e]!), offsets[i]!);
  }
  return { offsets, data };
}

export function encodeDictionary(values: BinaryValues): Uint8Array {
  const n = values.offsets.length - 1;
  const ids = new Map<string, number>();
  const entries: Uint8Array[] = [];
  const indexes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const bytes = values.data.subarray(values.offsets[i]!, values.offsets[i + 1]!);
    const key = latin1Key(bytes);
    let id = ids.get(key);
    if (id === undefined) {
      id = entries.length;
      ids.set(key, id);
      entries.push(bytes);
    }
    indexes[i] = id;
  }
  const w = new ByteWriter(values.data.length + 64);
  w.svarint(entries.length);
  for (const e of entries) {
    w.svarint(e.length);
    w.bytes(e);
  }
  w.bytes(encodeRleInt32(indexes));
  return w.toBytes();
}

/** A string with one char per byte, usable as an exact Map key for arbitrary bytes. */
function latin1Key(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}
