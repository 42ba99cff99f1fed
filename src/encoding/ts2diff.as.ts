/**
 * TS_2DIFF 64-bit kernels in AssemblyScript (compiled to WebAssembly by scripts/build-kernels.mjs;
 * the TypeScript twin is ts2diff.ts, the format is tsfile-format.md §10.4). Native i64 arithmetic
 * instead of lo/hi word pairs. The caller copies the stream to `src` in linear memory followed by at
 * least 16 zero bytes, so the 9-byte loads of the bit unpacker never need a bounds check. Every
 * function returns -1 for any stream the TypeScript decoder would refuse; the caller then runs the
 * TypeScript decoder, which throws the typed error.
 */

/** Big-endian 32-bit load. */
// @ts-ignore: decorator
@inline export function be32(p: usize): i32 {
  return bswap<i32>(load<i32>(p));
}

/** Big-endian 64-bit load. */
// @ts-ignore: decorator
@inline export function be64(p: usize): i64 {
  return bswap<i64>(load<i64>(p));
}

/** The `width` (1..64) bits starting at bit `bit` of `src`, MSB first. */
// @ts-ignore: decorator
@inline export function bitsAt(src: usize, bit: i64, width: i32): u64 {
  const q = src + <usize>(bit >>> 3);
  const s = <u64>(bit & 7);
  let x = <u64>be64(q) << s;
  if (s != 0) x |= <u64>load<u8>(q + 8) >> (8 - s);
  return x >>> <u64>(64 - width);
}

/**
 * Counts the values of a 64-bit stream (`len` bytes at `src`) by walking its block headers; -1 when
 * a header is malformed, the packed bytes overrun the stream, or there are more than `max` values.
 */
export function ts2diffCount64(src: usize, len: i32, max: i32): i32 {
  let p: i64 = 0;
  let total: i64 = 0;
  while (p < <i64>len) {
    if (p + 24 > <i64>len) return -1;
    const n = be32(src + <usize>p);
    const width = be32(src + <usize>p + 4);
    if (n < 0) return -1;
    if (total + <i64>n + 1 > <i64>max) return -1;
    let packed: i64 = 0;
    if (n > 0) {
      if (width < 0 || width > 64) return -1;
      packed = (<i64>n * <i64>width + 7) >> 3;
      if (p + 24 + packed > <i64>len) return -1;
    }
    total += <i64>n + 1;
    p += 24 + packed;
  }
  return <i32>total;
}

/**
 * Decodes exactly `count` INT64 values into `dst` (little-endian i64); the stream must end right
 * after them. Returns count, or -1.
 */
export function ts2diffDecode64(src: usize, len: i32, count: i32, dst: usize): i32 {
  let p: i64 = 0;
  let done: i32 = 0;
  let o = dst;
  while (done < count) {
    if (p >= <i64>len) return -1;
    if (p + 24 > <i64>len) return -1;
    const n = be32(src + <usize>p);
    const width = be32(src + <usize>p + 4);
    if (n < 0) return -1;
    if (<i64>n + 1 > <i64>(count - done)) return -1;
    let packed: i64 = 0;
    if (n > 0) {
      if (width < 0 || width > 64) return -1;
      packed = (<i64>n * <i64>width + 7) >> 3;
      if (p + 24 + packed > <i64>len) return -1;
    }
    const minDelta = be64(src + <usize>p + 8);
    let prev = be64(src + <usize>p + 16);
    store<i64>(o, prev);
    o += 8;
    if (n > 0) {
      if (width == 0) {
        for (let k = 0; k < n; k++) {
          prev += minDelta;
          store<i64>(o, prev);
          o += 8;
        }
      } else if (width <= 56) {
        // One unaligned 8-byte load per delta covers any 56-bit window.
        let bit: i64 = (p + 24) << 3;
        const down = <u64>(64 - width);
        const body = src;
        for (let k = 0; k < n; k++) {
          const q = body + <usize>(bit >>> 3);
          const d = (<u64>be64(q) << <u64>(bit & 7)) >>> down;
          prev += minDelta + <i64>d;
          store<i64>(o, prev);
          o += 8;
          bit += width;
        }
      } else {
        let bit: i64 = (p + 24) << 3;
        for (let k = 0; k < n; k++) {
          prev += minDelta + <i64>bitsAt(src, bit, width);
          store<i64>(o, prev);
          o += 8;
          bit += width;
        }
      }
    }
    done += n + 1;
    p += 24 + packed;
  }
  if (p != <i64>len) return -1;
  return count;
}

/** Bit length of x (64 - leading zeros). */
// @ts-ignore: decorator
@inline function bitLength(x: u64): i32 {
  return 64 - <i32>clz<u64>(x);
}

/** Appends `width` (1..64) low bits of v at bit `bit` of a zeroed output, MSB first. */
// @ts-ignore: decorator
@inline function putBits(out: usize, bit: i64, v: u64, width: i32): void {
  const q = out + <usize>(bit >>> 3);
  const s = <u64>(bit & 7);
  // Align v to the top of a 64-bit word, then OR it in at bit offset s (spilling into byte 8).
  const top = v << <u64>(64 - width);
  store<i64>(q, bswap<i64>(be64(q) | <i64>(top >>> s)));
  if (s != 0 && <i64>width + <i64>s > 64) store<u8>(q + 8, load<u8>(q + 8) | <u8>(top << (8 - s)));
}

/**
 * Encodes `count` i64 values at `values` as TS_2DIFF blocks of up to `blockSize` deltas into `out`
 * (which must be zeroed and hold the worst case: per block 24 + 8 * blockSize bytes, plus 16).
 * Byte-identical to the TypeScript encoder: a block of one value stores Long.MAX_VALUE as its
 * minimum delta, like Java. Returns the bytes written.
 */
export function ts2diffEncode64(values: usize, count: i32, blockSize: i32, out: usize): i32 {
  let bit: i64 = 0;
  for (let start = 0; start < count; start += blockSize + 1) {
    let n = count - start - 1;
    if (n > blockSize) n = blockSize;
    const base = values + (<usize>start << 3);
    let min: i64 = 0x7fffffffffffffff;
    let prev = load<i64>(base);
    for (let k = 1; k <= n; k++) {
      const v = load<i64>(base + (<usize>k << 3));
      const d = v - prev;
      if (d < min) min = d;
      prev = v;
    }
    let or: u64 = 0;
    prev = load<i64>(base);
    for (let k = 1; k <= n; k++) {
      const v = load<i64>(base + (<usize>k << 3));
      or |= <u64>(v - prev - min);
      prev = v;
    }
    const width = n > 0 ? bitLength(or) : 0;
    const h = out + <usize>(bit >>> 3);
    store<i32>(h, bswap<i32>(n));
    store<i32>(h + 4, bswap<i32>(width));
    store<i64>(h + 8, bswap<i64>(min));
    store<i64>(h + 16, bswap<i64>(load<i64>(base)));
    bit += 24 * 8;
    if (width > 0) {
      prev = load<i64>(base);
      for (let k = 1; k <= n; k++) {
        const v = load<i64>(base + (<usize>k << 3));
        putBits(out, bit, <u64>(v - prev - min), width);
        bit += width;
        prev = v;
      }
      // Each block's packed deltas end on a byte boundary.
      bit = (bit + 7) & ~7;
    }
  }
  return <i32>(bit >>> 3);
}
