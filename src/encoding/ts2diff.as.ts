/**
 * TS_2DIFF 64-bit kernels in AssemblyScript (compiled to WebAssembly by src/encoding/build-kernels.mjs;
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

/**
 * Encodes `count` i64 values at `values` as TS_2DIFF blocks of up to `blockSize` deltas into `out`
 * (room for the worst case: per block 24 + 8 * blockSize bytes). Byte-identical to the TypeScript
 * encoder: a block of one value stores Long.MAX_VALUE as its minimum delta, like Java, and the last
 * byte of each block's packed deltas is padded with zero bits. Returns the bytes written.
 */
export function ts2diffEncode64(values: usize, count: i32, blockSize: i32, out: usize): i32 {
  let p = out;
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
    store<i32>(p, bswap<i32>(n));
    store<i32>(p + 4, bswap<i32>(width));
    store<i64>(p + 8, bswap<i64>(min));
    store<i64>(p + 16, bswap<i64>(load<i64>(base)));
    p += 24;
    if (width == 0) continue;
    // MSB-first bit packing through a 64-bit accumulator holding `fill` pending bits.
    let acc: u64 = 0;
    let fill: i32 = 0;
    const w = <u64>width;
    prev = load<i64>(base);
    for (let k = 1; k <= n; k++) {
      const v = load<i64>(base + (<usize>k << 3));
      const d = <u64>(v - prev - min);
      prev = v;
      const room = 64 - fill;
      if (width < room) {
        acc = (acc << w) | d;
        fill += width;
      } else {
        const rest = width - room;
        // room >= 1 here; (acc << room) is well defined for room < 64, and acc is empty when room == 64.
        const word = room == 64 ? d : (acc << <u64>room) | (d >>> <u64>rest);
        store<i64>(p, bswap<i64>(<i64>word));
        p += 8;
        acc = rest == 0 ? 0 : d & ((<u64>1 << <u64>rest) - 1);
        fill = rest;
      }
    }
    // The pending bits, left-aligned, in as many bytes as they need (the rest of the last byte zero).
    if (fill > 0) {
      const word = acc << <u64>(64 - fill);
      const bytes = (fill + 7) >> 3;
      for (let b = 0; b < bytes; b++) store<u8>(p + <usize>b, <u8>(word >>> <u64>(56 - 8 * b)));
      p += <usize>bytes;
    }
  }
  return <i32>(p - out);
}
