/**
 * PLAIN (tsfile-format.md §10.2): values back to back, no header. BOOLEAN one byte, INT32/DATE a
 * zig-zag varint [quirk], INT64/TIMESTAMP big-endian i64, FLOAT/DOUBLE big-endian IEEE bits,
 * TEXT/STRING/BLOB a zig-zag varint length and the bytes. Fixed-width columns are decoded in bulk
 * (one pass assembling big-endian words into the output's lo/hi view).
 */
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { decodeFailed, streamEnded, trailingBytes } from './decode-error.js';
import { float32Bits, float64Words, int64Words } from './int64.js';
import type { BinaryValues, DecodeContext } from './types.js';

function checkFixedSize(src: Uint8Array, count: number, size: number, what: string, ctx: DecodeContext | undefined): void {
  const need = count * size;
  if (src.length < need) throw streamEnded(ctx, `PLAIN ${what}`, src.length, `${need} bytes for ${count} values`, `${src.length} bytes`);
  if (src.length > need) throw trailingBytes(ctx, `PLAIN ${what}`, need, src.length - need);
}

export function decodePlainBoolean(src: Uint8Array, count: number, ctx?: DecodeContext, out: Uint8Array = new Uint8Array(count)): Uint8Array {
  checkFixedSize(src, count, 1, 'BOOLEAN', ctx);
  for (let i = 0; i < count; i++) out[i] = src[i] === 1 ? 1 : 0;
  return out;
}

/** Java's PLAIN INT32: one zig-zag varint per value. */
export function decodePlainInt32(src: Uint8Array, count: number, ctx?: DecodeContext, out: Int32Array = new Int32Array(count)): Int32Array {
  const end = src.length;
  let p = 0;
  for (let i = 0; i < count; i++) {
    const start = p;
    let u = 0;
    let shift = 0;
    let b: number;
    do {
      if (p >= end) throw streamEnded(ctx, 'PLAIN INT32', start, `${count} values`, `${i} values`);
      b = src[p++]!;
      u |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (b & 0x80) throw decodeFailed(ctx, 'PLAIN INT32: varint longer than 5 bytes', start, 'at most 5 bytes');
    out[i] = (u >>> 1) ^ -(u & 1);
  }
  if (p !== end) throw trailingBytes(ctx, 'PLAIN INT32', p, end - p);
  return out;
}

function viewOf(src: Uint8Array): DataView {
  return new DataView(src.buffer, src.byteOffset, src.byteLength);
}

/** Big-endian 8-byte values into lo/hi words (DataView reads are the fastest big-endian loads in V8). */
function decodeBigEndian64(src: Uint8Array, count: number, words: Int32Array): void {
  const dv = viewOf(src);
  for (let i = 0, p = 0; i < count; i++, p += 8) {
    words[2 * i + 1] = dv.getInt32(p);
    words[2 * i] = dv.getInt32(p + 4);
  }
}

export function decodePlainInt64(src: Uint8Array, count: number, ctx?: DecodeContext, out?: BigInt64Array): BigInt64Array {
  checkFixedSize(src, count, 8, 'INT64', ctx);
  out ??= new BigInt64Array(count);
  decodeBigEndian64(src, count, int64Words(out));
  return out;
}

/** A PLAIN time column: as many i64 as the stream holds. */
export function decodePlainTimes(src: Uint8Array, ctx?: DecodeContext, into?: BigInt64Array): BigInt64Array {
  if (src.length % 8 !== 0) {
    throw decodeFailed(ctx, 'PLAIN time column is not a whole number of i64 values', 0, 'a multiple of 8 bytes', `${src.length} bytes`);
  }
  const count = src.length / 8;
  return decodePlainInt64(src, count, ctx, into !== undefined && into.length >= count ? into.subarray(0, count) : undefined);
}

export function decodePlainFloat(src: Uint8Array, count: number, ctx?: DecodeContext, out?: Float32Array): Float32Array {
  checkFixedSize(src, count, 4, 'FLOAT', ctx);
  out ??= new Float32Array(count);
  // Through int32 bits: a float load would quiet signalling NaNs.
  const bits = float32Bits(out);
  const dv = viewOf(src);
  for (let i = 0; i < count; i++) bits[i] = dv.getInt32(4 * i);
  return out;
}

export function decodePlainDouble(src: Uint8Array, count: number, ctx?: DecodeContext, out?: Float64Array): Float64Array {
  checkFixedSize(src, count, 8, 'DOUBLE', ctx);
  out ??= new Float64Array(count);
  // getFloat64 keeps every bit pattern, NaN payloads included, and is the fastest path here.
  const dv = viewOf(src);
  for (let i = 0; i < count; i++) out[i] = dv.getFloat64(8 * i);
  return out;
}

export function decodePlainBinary(src: Uint8Array, count: number, ctx?: DecodeContext): BinaryValues {
  const r = new ByteReader(src, ctx, 'PLAIN binary');
  const offsets = new Int32Array(count + 1);
  // First pass: lengths and bounds, so the data buffer is sized by bytes that really exist.
  const starts = new Int32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (r.atEnd()) throw streamEnded(ctx, 'PLAIN binary', r.pos, `${count} values`, `${i} values`);
    const at = r.pos;
    const len = r.svarint('value length');
    if (len < 0) throw r.fail('negative value length', 'length >= 0', String(len), at);
    r.need(len, 'value bytes');
    starts[i] = r.pos;
    r.pos += len;
    total += len;
    offsets[i + 1] = total;
  }
  if (!r.atEnd()) throw trailingBytes(ctx, 'PLAIN binary', r.pos, r.remaining);
  const data = new Uint8Array(total);
  for (let i = 0; i < count; i++) {
    const s = starts[i]!;
    data.set(src.subarray(s, s + offsets[i + 1]! - offsets[i]!), offsets[i]!);
  }
  return { offsets, data };
}

// ---- encoders ----

export function encodePlainBoolean(values: Uint8Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  return out;
}

export function encodePlainInt32(values: Int32Array): Uint8Array {
  const w = new ByteWriter(values.length * 2 + 16);
  for (let i = 0; i < values.length; i++) w.svarint(values[i]!);
  return w.toBytes();
}

function encodeBigEndian64(words: Int32Array, count: number, canonicalNaN: boolean): Uint8Array {
  const out = new Uint8Array(count * 8);
  for (let i = 0, p = 0; i < count; i++, p += 8) {
    let hi = words[2 * i + 1]!;
    let lo = words[2 * i]!;
    // Java's doubleToLongBits collapses every NaN to 0x7ff8000000000000.
    if (canonicalNaN && (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0)) {
      hi = 0x7ff80000;
      lo = 0;
    }
    out[p] = hi >>> 24;
    out[p + 1] = hi >>> 16;
    out[p + 2] = hi >>> 8;
    out[p + 3] = hi;
    out[p + 4] = lo >>> 24;
    out[p + 5] = lo >>> 16;
    out[p + 6] = lo >>> 8;
    out[p + 7] = lo;
  }
  return out;
}

export function encodePlainInt64(values: BigInt64Array): Uint8Array {
  return encodeBigEndian64(int64Words(values), values.length, false);
}

export function encodePlainDouble(values: Float64Array): Uint8Array {
  return encodeBigEndian64(float64Words(values), values.length, true);
}

/** Raw bits of a float as Java's floatToIntBits gives them (every NaN becomes 0x7fc00000). */
export function canonicalFloatBits(bits: number): number {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0 ? 0x7fc00000 : bits;
}

export function encodePlainFloat(values: Float32Array): Uint8Array {
  const bits = float32Bits(values);
  const out = new Uint8Array(values.length * 4);
  for (let i = 0, p = 0; i < values.length; i++, p += 4) {
    const b = canonicalFloatBits(bits[i]!);
    out[p] = b >>> 24;
    out[p + 1] = b >>> 16;
    out[p + 2] = b >>> 8;
    out[p + 3] = b;
  }
  return out;
}

export function encodePlainBinary(values: BinaryValues): Uint8Array {
  const n = values.offsets.length - 1;
  const w = new ByteWriter(values.data.length + n * 2 + 16);
  for (let i = 0; i < n; i++) {
    const s = values.offsets[i]!;
    const e = values.offsets[i + 1]!;
    w.svarint(e - s);
    w.bytes(values.data.subarray(s, e));
  }
  return w.toBytes();
}
