/**
 * RLE and TS_2DIFF on FLOAT/DOUBLE, the "float wrapper" (tsfile-format.md §10.3.4): a uvarint
 * maxPointNumber p, then the integer stream of round(value * 10^p) — 32-bit for FLOAT (Java's long
 * result truncated to int), 64-bit for DOUBLE. Decoding divides by 10^p (p <= 0 ⇒ 1). Lossy.
 */
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { invalidInput } from './decode-error.js';
import { int64ToNumber, int64Words, roundToInt32Bits, storeRoundedInt64 } from './int64.js';
import { decodeRleInt32, decodeRleInt64, encodeRleInt32, encodeRleWords } from './rle.js';
import { decodeTs2DiffInt32, decodeTs2DiffInt64, encodeTs2DiffInt32, encodeTs2DiffWords } from './ts2diff.js';
import type { DecodeContext } from './types.js';

export type WrappedEncoding = 'RLE' | 'TS_2DIFF';

/** Java's default `max_point_number` (`floatPrecision`). */
export const DEFAULT_MAX_POINT_NUMBER = 2;

function divisorOf(maxPointNumber: number): number {
  return maxPointNumber <= 0 ? 1 : Math.pow(10, maxPointNumber);
}

/** Reads the maxPointNumber prefix; returns the divisor, the inner stream and its context. */
function readPrefix(src: Uint8Array, ctx: DecodeContext | undefined, inner: WrappedEncoding) {
  const r = new ByteReader(src, ctx, `${inner} float wrapper`);
  const maxPointNumber = r.uvarint('maxPointNumber');
  const innerCtx = ctx === undefined ? undefined : { ...ctx, offset: ctx.offset === undefined ? undefined : ctx.offset + r.pos };
  return { divisor: divisorOf(maxPointNumber), body: src.subarray(r.pos), innerCtx };
}

export function decodeWrappedFloat(inner: WrappedEncoding, src: Uint8Array, count: number, ctx?: DecodeContext): Float32Array {
  const { divisor, body, innerCtx } = readPrefix(src, ctx, inner);
  const ints = inner === 'RLE' ? decodeRleInt32(body, count, innerCtx) : decodeTs2DiffInt32(body, count, innerCtx);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = ints[i]! / divisor;
  return out;
}

export function decodeWrappedDouble(inner: WrappedEncoding, src: Uint8Array, count: number, ctx?: DecodeContext): Float64Array {
  const { divisor, body, innerCtx } = readPrefix(src, ctx, inner);
  const longs = inner === 'RLE' ? decodeRleInt64(body, count, innerCtx) : decodeTs2DiffInt64(body, count, innerCtx);
  const words = int64Words(longs);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = int64ToNumber(words[2 * i + 1]!, words[2 * i]!) / divisor;
  return out;
}

function checkMaxPointNumber(p: number): void {
  if (!Number.isInteger(p) || p < 0 || p > 0x7fffffff) {
    throw invalidInput('maxPointNumber must be a non-negative integer', 'an integer >= 0', String(p));
  }
}

export function encodeWrappedFloat(inner: WrappedEncoding, values: Float32Array, maxPointNumber = DEFAULT_MAX_POINT_NUMBER): Uint8Array {
  checkMaxPointNumber(maxPointNumber);
  const divisor = divisorOf(maxPointNumber);
  const ints = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) ints[i] = roundToInt32Bits(values[i]! * divisor);
  const w = new ByteWriter(values.length * 2 + 16);
  w.uvarint(maxPointNumber);
  w.bytes(inner === 'RLE' ? encodeRleInt32(ints) : encodeTs2DiffInt32(ints));
  return w.toBytes();
}

export function encodeWrappedDouble(inner: WrappedEncoding, values: Float64Array, maxPointNumber = DEFAULT_MAX_POINT_NUMBER): Uint8Array {
  checkMaxPointNumber(maxPointNumber);
  const divisor = divisorOf(maxPointNumber);
  const words = new Int32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) storeRoundedInt64(Math.round(values[i]! * divisor), words, i);
  const w = new ByteWriter(values.length * 4 + 16);
  w.uvarint(maxPointNumber);
  w.bytes(inner === 'RLE' ? encodeRleWords(words, values.length) : encodeTs2DiffWords(words, values.length));
  return w.toBytes();
}
