/**
 * 64-bit integers without BigInt (tsfile-format.md §8, §10): INT64/TIMESTAMP columns are
 * BigInt64Arrays that decoders fill through an Int32Array view of the same buffer, word 2i = low
 * 32 bits, word 2i+1 = high 32 bits (the platform must be little-endian, checked once here).
 * Floating-point columns are handled the same way when an encoding works on their raw bits.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new TsFileError(ErrorCode.UNSUPPORTED, 'tsfile-arrow encodings need a little-endian platform');
}

export const TWO_POW_32 = 4294967296;

/** The lo/hi word view of a BigInt64Array (shares its memory). */
export function int64Words(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** The lo/hi word view of a Float64Array's raw bits (shares its memory). */
export function float64Words(a: Float64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** The raw bits of a Float32Array as int32 (shares its memory). */
export function float32Bits(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

/** Number of leading zero bits of the 64-bit value hi:lo (64 for zero). */
export function clz64(hi: number, lo: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

/** Number of trailing zero bits of a 32-bit value (32 for zero). */
export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** Number of trailing zero bits of the 64-bit value hi:lo (64 for zero). */
export function ctz64(hi: number, lo: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

/** The signed 64-bit value hi:lo as the nearest double (one rounding, like Java's `(double) long`). */
export function int64ToNumber(hi: number, lo: number): number {
  return hi * TWO_POW_32 + (lo >>> 0);
}

/**
 * Stores an integer-valued double into words[2i], words[2i+1] as a signed 64-bit value, saturating
 * like Java's `Math.round(double)` does (NaN gives 0).
 */
export function storeRoundedInt64(x: number, words: Int32Array, i: number): void {
  if (x !== x) {
    words[2 * i] = 0;
    words[2 * i + 1] = 0;
  } else if (x >= 9223372036854775808) {
    words[2 * i] = -1;
    words[2 * i + 1] = 0x7fffffff;
  } else if (x <= -9223372036854775808) {
    words[2 * i] = 0;
    words[2 * i + 1] = -0x80000000;
  } else {
    const hi = Math.floor(x / TWO_POW_32);
    words[2 * i] = (x - hi * TWO_POW_32) | 0;
    words[2 * i + 1] = hi | 0;
  }
}

/** The low 32 bits of the Java `long` that `Math.round(double)` would give for `x` (`(int) Math.round(x)`). */
export function roundToInt32Bits(x: number): number {
  const r = Math.round(x);
  if (r !== r) return 0;
  if (r >= -2147483648 && r <= 2147483647) return r | 0;
  if (r >= 9223372036854775808) return -1;
  if (r <= -9223372036854775808) return 0;
  return (r - Math.floor(r / TWO_POW_32) * TWO_POW_32) | 0;
}

/** Bit length of a 32-bit pattern (`32 - numberOfLeadingZeros`). */
export function bitLength32(x: number): number {
  return 32 - Math.clz32(x);
}

/** Bit length of the 64-bit pattern hi:lo. */
export function bitLength64(hi: number, lo: number): number {
  return 64 - clz64(hi, lo);
}

/** A copy of `words` with room for at least `minLength` words (for streams whose count is unknown). */
export function growWords(words: Int32Array, minLength: number): Int32Array {
  const next = new Int32Array(Math.max(minLength, words.length * 2));
  next.set(words);
  return next;
}
