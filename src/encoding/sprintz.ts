/**
 * SPRINTZ with the FIRE predictor (tsfile-format.md §10.10; INT32/DATE, INT64/TIMESTAMP, FLOAT,
 * DOUBLE). Blocks of 9 values: `u8 bitWidth`, the first value (INT32 uvarint of its bit pattern,
 * INT64 i64, FLOAT f32, DOUBLE f64), then 8 residuals bit-packed in bitWidth bytes. A last block
 * of 1–8 values is `u8 0x80|n` followed by a complete stream of another encoder (RLE for the
 * integer types, GORILLA for FLOAT/DOUBLE). FLOAT/DOUBLE predict on their IEEE bits. The FIRE
 * accumulator is an int32 even in the 64-bit predictor [quirk]; the 64-bit arithmetic uses BigInt
 * (SPRINTZ is not on a hot path).
 */
import { unpackInt32, unpackInt64 } from './bit-reader.js';
import { packInt32, packInt64 } from './bit-writer.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { decodeFailed, streamEnded } from './decode-error.js';
import { decodeGorilla32, decodeGorilla64, encodeGorilla32, encodeGorilla64, GORILLA_DOUBLE_END_HI, GORILLA_FLOAT_END } from './gorilla.js';
import { bitLength32, bitLength64 } from './int64.js';
import { canonicalFloatBits } from './plain.js';
import { decodeRleInt32, decodeRleInt64, encodeRleInt32, encodeRleWords } from './rle.js';
import type { DecodeContext } from './types.js';
import { WordSink } from './word-sink.js';

const BLOCK = 9;

/** 32-bit values: INT32/DATE, or FLOAT bits. */
export type Sprintz32Kind = 'int32' | 'float';
/** 64-bit values: INT64/TIMESTAMP, or DOUBLE bits. */
export type Sprintz64Kind = 'int64' | 'double';

function subContext(ctx: DecodeContext | undefined, at: number): DecodeContext | undefined {
  return ctx === undefined ? undefined : { ...ctx, offset: ctx.offset === undefined ? undefined : ctx.offset + at };
}

// ---------------------------------------------------------------- 32-bit (IntFire: learnShift 2, bitWidth 8)

/** Decodes exactly `count` 32-bit patterns into `out`. */
export function decodeSprintz32(kind: Sprintz32Kind, src: Uint8Array, count: number, out: Int32Array, ctx?: DecodeContext): void {
  const what = `SPRINTZ ${kind === 'int32' ? 'INT32' : 'FLOAT'}`;
  const r = new ByteReader(src, ctx, what);
  const residuals = new Int32Array(8);
  let done = 0;
  while (!r.atEnd()) {
    const at = r.pos;
    const h = r.u8('block header');
    if (h & 0x80) {
      const n = h & 0x7f;
      if (n === 0 || n >= BLOCK || n !== count - done) {
        throw decodeFailed(ctx, `${what}: bad last block`, at, `${count - done} values (1..8)`, `${n} values`);
      }
      const tail = src.subarray(r.pos);
      const tctx = subContext(ctx, r.pos);
      if (kind === 'int32') out.set(decodeRleInt32(tail, n, tctx), done);
      else decodeGorilla32(tail, n, out.subarray(done, done + n), n, GORILLA_FLOAT_END, tctx, `${what} last block`);
      return finish32(done + n, count, what, src.length, ctx);
    }
    if (count - done < BLOCK) throw decodeFailed(ctx, `${what}: block of 9 values past the page end`, at, `${count - done} values left`);
    if (h > 32) throw decodeFailed(ctx, `${what}: bad bit width`, at, '0..32', String(h));
    let x = kind === 'int32' ? r.uvarint('first value') : r.i32('first value');
    r.need(h, 'residuals');
    if (h > 0) unpackInt32(src, r.pos, h, 8, residuals, 0);
    else residuals.fill(0);
    r.pos += h;
    out[done++] = x;
    let acc = 0;
    let delta = 0;
    for (let i = 0; i < 8; i++) {
      const res = residuals[i]!;
      // Java reads the residual as a signed int [quirk]: patterns with the top bit set map to small errors.
      const err = (res & 1) === 0 ? -(res >> 1) | 0 : ((res >> 1) + 1) | 0;
      const v = (x + (Math.imul(acc >> 2, delta) >> 8) + err) | 0;
      acc = (acc - (err > 0 ? -delta : delta)) | 0;
      delta = (v - x) | 0;
      out[done++] = x = v;
    }
  }
  finish32(done, count, what, src.length, ctx);
}

function finish32(done: number, count: number, what: string, at: number, ctx: DecodeContext | undefined): void {
  if (done !== count) throw streamEnded(ctx, what, at, `${count} values`, `${done} values`);
}

/** Encodes `values` (int32 patterns; FLOAT bits as given by floatToRawIntBits). */
export function encodeSprintz32(kind: Sprintz32Kind, values: Int32Array): Uint8Array {
  const w = new ByteWriter(values.length * 2 + 16);
  const residuals = new Int32Array(8);
  const full = Math.floor(values.length / BLOCK);
  for (let b = 0; b < full; b++) {
    const base = b * BLOCK;
    const at = (i: number) => (kind === 'float' ? canonicalFloatBits(values[base + i]!) : values[base + i]!);
    let acc = 0;
    let delta = 0;
    let width = 1;
    for (let i = 1; i < BLOCK; i++) {
      const p = at(i - 1);
      const v = at(i);
      const err = (v - (p + (Math.imul(acc >> 2, delta) >> 8))) | 0;
      acc = (acc - (err > 0 ? -delta : delta)) | 0;
      delta = (v - p) | 0;
      const res = err <= 0 ? Math.imul(-2, err) : (2 * err - 1) | 0;
      residuals[i - 1] = res;
      width = Math.max(width, bitLength32(res));
    }
    w.u8(width);
    if (kind === 'int32') w.uvarint(at(0));
    else w.i32(at(0));
    packInt32(residuals, 0, 8, width, w);
  }
  const rest = values.length - full * BLOCK;
  if (rest > 0) {
    w.u8(0x80 | rest);
    const tail = values.subarray(full * BLOCK);
    w.bytes(kind === 'int32' ? encodeRleInt32(tail) : encodeGorilla32(tail, rest, GORILLA_FLOAT_END));
  }
  return w.toBytes();
}

// ---------------------------------------------------------------- 64-bit (LongFire: learnShift 3, bitWidth 16)

const I64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

/** Decodes 64-bit values into `sink` (exact count, or until the stream ends). */
export function decodeSprintz64(kind: Sprintz64Kind, src: Uint8Array, sink: WordSink, ctx?: DecodeContext): void {
  const what = sink.what;
  const r = new ByteReader(src, ctx, what);
  const residuals = new Int32Array(16);
  while (!r.atEnd()) {
    const at = r.pos;
    const h = r.u8('block header');
    if (h & 0x80) {
      const n = h & 0x7f;
      if (n === 0 || n >= BLOCK || (sink.exact && n !== sink.room)) {
        throw decodeFailed(ctx, `${what}: bad last block`, at, sink.exact ? `${sink.room} values (1..8)` : '1..8 values', `${n} values`);
      }
      sink.reserve(n, at);
      const tail = src.subarray(r.pos);
      const tctx = subContext(ctx, r.pos);
      const words =
        kind === 'int64'
          ? new Int32Array(decodeRleInt64(tail, n, tctx).buffer)
          : decodeGorilla64(tail, n, new Int32Array(2 * n), n, GORILLA_DOUBLE_END_HI, tctx, `${what} last block`).values;
      for (let i = 0; i < n; i++) sink.push(words[2 * i]!, words[2 * i + 1]!);
      sink.finish(src.length);
      return;
    }
    if (h > 64) throw decodeFailed(ctx, `${what}: bad bit width`, at, '0..64', String(h));
    sink.reserve(BLOCK, at);
    r.i64('first value');
    r.need(h, 'residuals');
    if (h > 0) unpackInt64(src, r.pos, h, 8, residuals, 0);
    else residuals.fill(0);
    r.pos += h;
    let x = I64(r.lo, r.hi);
    sink.push(r.lo, r.hi);
    let acc = 0;
    let delta = 0n;
    for (let i = 0; i < 8; i++) {
      const res = BigInt.asIntN(64, I64(residuals[2 * i]!, residuals[2 * i + 1]!));
      const err = BigInt.asIntN(64, (res & 1n) === 0n ? -(res >> 1n) : (res >> 1n) + 1n);
      const pred = x + (BigInt.asIntN(64, BigInt(acc >> 3) * delta) >> 16n);
      const v = BigInt.asIntN(64, pred + err);
      acc = Number(BigInt.asIntN(32, BigInt(acc) - (err > 0n ? -delta : delta)));
      delta = BigInt.asIntN(64, v - x);
      x = v;
      sink.push(Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n)));
    }
  }
  sink.finish(r.pos);
}

/** Encodes `count` 64-bit values given as lo/hi words (DOUBLE: raw bits). */
export function encodeSprintz64(kind: Sprintz64Kind, words: Int32Array, count: number): Uint8Array {
  const w = new ByteWriter(count * 3 + 16);
  const residuals = new Int32Array(16);
  const full = Math.floor(count / BLOCK);
  const value = (i: number): bigint => {
    let lo = words[2 * i]!;
    let hi = words[2 * i + 1]!;
    // Java's doubleToLongBits collapses every NaN before predicting.
    if (kind === 'double' && (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0)) {
      hi = 0x7ff80000;
      lo = 0;
    }
    return BigInt.asIntN(64, I64(lo, hi));
  };
  for (let b = 0; b < full; b++) {
    const base = b * BLOCK;
    let acc = 0;
    let delta = 0n;
    let width = 1;
    for (let i = 1; i < BLOCK; i++) {
      const p = value(base + i - 1);
      const v = value(base + i);
      const pred = p + (BigInt.asIntN(64, BigInt(acc >> 3) * delta) >> 16n);
      const err = BigInt.asIntN(64, v - pred);
      acc = Number(BigInt.asIntN(32, BigInt(acc) - (err > 0n ? -delta : delta)));
      delta = BigInt.asIntN(64, v - p);
      const res = BigInt.asUintN(64, err <= 0n ? -2n * err : 2n * err - 1n);
      const lo = Number(BigInt.asIntN(32, res));
      const hi = Number(BigInt.asIntN(32, res >> 32n));
      residuals[2 * (i - 1)] = lo;
      residuals[2 * (i - 1) + 1] = hi;
      width = Math.max(width, bitLength64(hi, lo));
    }
    w.u8(width);
    const first = BigInt.asUintN(64, value(base));
    w.i64(Number(BigInt.asIntN(32, first >> 32n)), Number(BigInt.asIntN(32, first)));
    packInt64(residuals, 0, 8, width, w);
  }
  const rest = count - full * BLOCK;
  if (rest > 0) {
    w.u8(0x80 | rest);
    const tail = words.subarray(2 * full * BLOCK, 2 * count);
    w.bytes(kind === 'int64' ? encodeRleWords(tail, rest) : encodeGorilla64(tail, rest, GORILLA_DOUBLE_END_HI));
  }
  return w.toBytes();
}
