/**
 * RLE, the run-length / bit-packing hybrid (tsfile-format.md §10.3.1–10.3.3). A stream is one
 * package per page: `uvarint length, u8 bitWidth, runs`. A run is either an RLE run (uvarint
 * count<<1, then the value in ceil(bitWidth/8) bytes — little-endian in the 32-bit variant,
 * big-endian in the 64-bit one [quirk]) or a bit-packed run (uvarint groups<<1|1, u8
 * lastGroupCount, groups of 8 values × bitWidth bits). The encoder reproduces the Java algorithm
 * of §10.3.2 byte for byte.
 */
import { needBytes, unpackInt32, unpackInt64 } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { countMismatch, decodeFailed, streamEnded, tooManyValues } from './decode-error.js';
import { bitLength32, bitLength64, int64Words } from './int64.js';
import type { DecodeContext } from './types.js';

/**
 * Walks an RLE stream. With `out` it stores the values (int32 values, or lo/hi word pairs when
 * `wide`) and requires exactly `limit` of them; without `out` it only counts them, failing with
 * SIZE_LIMIT beyond `limit`. Returns the number of values.
 */
function walkRle(src: Uint8Array, wide: boolean, limit: number, out: Int32Array | null, ctx: DecodeContext | undefined): number {
  const what = wide ? 'RLE (64-bit)' : 'RLE (32-bit)';
  const maxWidth = wide ? 64 : 32;
  const r = new ByteReader(src, ctx, what);
  let done = 0;
  const room = (at: number, n: number): void => {
    if (n > limit - done) {
      if (out === null) throw tooManyValues(ctx, what, limit, done + n);
      throw countMismatch(ctx, `${what} run holds more values than the page`, at, limit, done + n);
    }
  };
  while (!r.atEnd()) {
    const length = r.length('package length');
    r.need(length, 'package');
    const end = r.pos + length;
    if (length === 0) continue;
    const width = r.u8('bit width');
    if (width > maxWidth) throw r.fail('bad bit width', `0..${maxWidth}`, String(width), r.pos - 1);
    const valueBytes = (width + 7) >>> 3;
    const sub = new ByteReader(src, ctx, what, r.pos, end);
    while (!sub.atEnd()) {
      const at = sub.pos;
      const header = sub.uvarint('run header') >>> 0;
      if ((header & 1) === 0) {
        const n = header >>> 1;
        room(at, n);
        sub.need(valueBytes, 'run value');
        if (out !== null) {
          const s = sub.pos;
          if (!wide) {
            let v = 0;
            for (let k = valueBytes - 1; k >= 0; k--) v = (v << 8) | src[s + k]!;
            out.fill(v, done, done + n);
          } else {
            let hi = 0;
            let lo = 0;
            for (let k = 0; k < valueBytes; k++) {
              hi = (hi << 8) | (lo >>> 24);
              lo = (lo << 8) | src[s + k]!;
            }
            for (let k = done; k < done + n; k++) {
              out[2 * k] = lo;
              out[2 * k + 1] = hi;
            }
          }
        }
        sub.pos += valueBytes;
        done += n;
      } else {
        const groups = header >>> 1;
        const last = sub.u8('last group count');
        if (groups === 0 || last === 0 || last > 8) {
          throw decodeFailed(ctx, `${what}: bad bit-packed run header`, at, 'groups >= 1 and lastGroupCount 1..8', `groups ${groups}, last ${last}`);
        }
        const n = (groups - 1) * 8 + last;
        room(at, n);
        const bytes = groups * width;
        needBytes(ctx, what, sub.pos, end, bytes, 'bit-packed run');
        if (out !== null && width > 0) {
          if (!wide) unpackInt32(src, sub.pos, width, n, out, done);
          else unpackInt64(src, sub.pos, width, n, out, done);
        } else if (out !== null) {
          out.fill(0, wide ? 2 * done : done, wide ? 2 * (done + n) : done + n);
        }
        sub.pos += bytes;
        done += n;
      }
    }
    r.pos = end;
  }
  if (out !== null) {
    if (done < limit) throw streamEnded(ctx, what, r.pos, `${limit} values`, `${done} values`);
  }
  return done;
}

export function decodeRleInt32(src: Uint8Array, count: number, ctx?: DecodeContext, out: Int32Array = new Int32Array(count)): Int32Array {
  walkRle(src, false, count, out, ctx);
  return out;
}

export function decodeRleBoolean(src: Uint8Array, count: number, ctx?: DecodeContext, out: Uint8Array = new Uint8Array(count)): Uint8Array {
  const ints = decodeRleInt32(src, count, ctx);
  for (let i = 0; i < count; i++) out[i] = ints[i] !== 0 ? 1 : 0;
  return out;
}

export function decodeRleInt64(src: Uint8Array, count: number, ctx?: DecodeContext, out: BigInt64Array = new BigInt64Array(count)): BigInt64Array {
  walkRle(src, true, count, int64Words(out), ctx);
  return out;
}

/** A whole RLE time column (64-bit variant). */
export function decodeRleTimes(src: Uint8Array, maxCount: number, ctx?: DecodeContext, into?: BigInt64Array): BigInt64Array {
  const count = walkRle(src, true, maxCount, null, ctx);
  return decodeRleInt64(src, count, ctx, into !== undefined && into.length >= count ? into.subarray(0, count) : undefined);
}

// ---------------------------------------------------------------- encoder (§10.3.2)

/**
 * The Java RLE encoder over `count` values: 32-bit values when `wide` is false (words[i]), else
 * 64-bit values as lo/hi pairs (words[2i], words[2i+1]).
 */
function encodeRle(words: Int32Array, count: number, wide: boolean): Uint8Array {
  if (count === 0) return Uint8Array.of(0);
  let width = 1;
  for (let i = 0; i < count; i++) {
    const b = wide ? bitLength64(words[2 * i + 1]!, words[2 * i]!) : bitLength32(words[i]!);
    if (b > width) width = b;
  }
  const body = new ByteWriter(count + 16);
  body.u8(width);
  const valueBytes = (width + 7) >>> 3;
  const groups = new ByteWriter(64 * width);
  let groupCount = 0;
  const buffered = new Int32Array(16);
  let bufferedLen = 0;
  let preLo = 0;
  let preHi = 0;
  let repeat = 0;

  const closeBitPacked = (last: number): void => {
    if (groupCount === 0) return;
    body.u8((groupCount << 1) | 1);
    body.u8(last);
    body.bytes(groups.toBytes());
    groups.length = 0;
    groupCount = 0;
  };
  const packGroup = (): void => {
    if (groupCount === 63) closeBitPacked(8);
    const bw = new BitWriter(groups);
    for (let k = 0; k < 8; k++) {
      if (wide) bw.write64(buffered[2 * k + 1]!, buffered[2 * k]!, width);
      else bw.write(buffered[k]!, width);
    }
    // 8 values of `width` bits fill whole bytes: this only moves them out of the accumulator.
    bw.alignToByte();
    groupCount++;
    bufferedLen = 0;
    repeat = 0;
  };
  const emitRun = (): void => {
    closeBitPacked(8);
    body.uvarint(repeat << 1);
    if (!wide) {
      for (let k = 0; k < valueBytes; k++) body.u8(preLo >>> (8 * k));
    } else {
      for (let k = valueBytes - 1; k >= 0; k--) body.u8(k >= 4 ? preHi >>> (8 * (k - 4)) : preLo >>> (8 * k));
    }
    repeat = 0;
    bufferedLen = 0;
  };

  for (let i = 0; i < count; i++) {
    const lo = wide ? words[2 * i]! : words[i]!;
    const hi = wide ? words[2 * i + 1]! : 0;
    if (lo === preLo && hi === preHi) {
      repeat++;
      if (repeat >= 8 && repeat <= 32767) continue;
      if (repeat === 32768) {
        repeat = 32767;
        emitRun();
        repeat = 1;
      }
    } else {
      if (repeat >= 8) emitRun();
      repeat = 1;
      preLo = lo;
      preHi = hi;
    }
    if (wide) {
      buffered[2 * bufferedLen] = lo;
      buffered[2 * bufferedLen + 1] = hi;
    } else buffered[bufferedLen] = lo;
    bufferedLen++;
    if (bufferedLen === 8) packGroup();
  }
  if (repeat >= 8) emitRun();
  else if (bufferedLen > 0) {
    const last = bufferedLen;
    buffered.fill(0, wide ? 2 * bufferedLen : bufferedLen);
    packGroup();
    closeBitPacked(last);
  } else closeBitPacked(8);

  const out = new ByteWriter(body.length + 5);
  out.uvarint(body.length);
  out.bytes(body.toBytes());
  return out.toBytes();
}

export function encodeRleInt32(values: Int32Array): Uint8Array {
  return encodeRle(values, values.length, false);
}

export function encodeRleBoolean(values: Uint8Array): Uint8Array {
  const ints = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) ints[i] = values[i] ? 1 : 0;
  return encodeRle(ints, ints.length, false);
}

export function encodeRleInt64(values: BigInt64Array): Uint8Array {
  return encodeRle(int64Words(values), values.length, true);
}

/** The 64-bit encoder over lo/hi words (used by the float wrapper and SPRINTZ). */
export function encodeRleWords(words: Int32Array, count: number): Uint8Array {
  return encodeRle(words, count, true);
}
