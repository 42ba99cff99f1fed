/**
 * TS_2DIFF (tsfile-format.md §10.4): blocks of `i32 n, i32 width, minDelta, first` followed by n
 * deltas (delta - minDelta) bit-packed MSB first. 32-bit variant for INT32/DATE, 64-bit for
 * INT64/TIMESTAMP/VECTOR (the default time encoding, so the 64-bit decoder is a hot path: it does
 * all arithmetic on lo/hi int32 words and never touches BigInt). minDelta is ignored when n = 0
 * [quirk] and padding bits are ignored [quirk]. The encoder pads with zero bits (Java sometimes
 * leaves stale bits there, carried over from earlier pages of its chunk, which a per-page encoder
 * cannot reproduce).
 */
import { needBytes, readBitsAt, unpackInt32, unpackInt64 } from './bit-reader.js';
import { packInt32, packInt64, packWords } from './bit-writer.js';
import { ByteWriter } from './byte-writer.js';
import { countMismatch, decodeFailed, streamEnded, tooManyValues } from './decode-error.js';
import { bitLength32, bitLength64, int64Words } from './int64.js';
import type { DecodeContext } from './types.js';

/** Deltas per block written by the Java encoder (`deltaBlockSize`). */
export const TS2DIFF_BLOCK_SIZE = 128;

/** Reused by the encoders (a page at a time; results are copied out of them). */
const deltaScratch = new Int32Array(2 * TS2DIFF_BLOCK_SIZE);
const narrowScratch = new Int32Array(TS2DIFF_BLOCK_SIZE);
const scratchOut32 = new ByteWriter(1 << 15);
const scratchOut = new ByteWriter(1 << 16);

let scratch = new Int32Array(2 * 256);
function scratchFor(words: number): Int32Array {
  if (scratch.length < words) scratch = new Int32Array(Math.max(words, scratch.length * 2));
  return scratch;
}

function be32(s: Uint8Array, p: number): number {
  return (s[p]! << 24) | (s[p + 1]! << 16) | (s[p + 2]! << 8) | s[p + 3]!;
}

/** Checks one block header at `p`; returns the number of packed bytes that follow it. */
function checkBlock(
  src: Uint8Array,
  p: number,
  header: number,
  maxWidth: number,
  room: number,
  ctx: DecodeContext | undefined,
  what: string,
): number {
  needBytes(ctx, what, p, src.length, header, 'block header');
  const n = be32(src, p);
  const width = be32(src, p + 4);
  if (n < 0) throw decodeFailed(ctx, `${what}: negative delta count`, p, 'n >= 0', String(n));
  if (n + 1 > room) throw countMismatch(ctx, `${what} block holds more values than the page`, p, room, n + 1);
  if (n === 0) return 0;
  if (width < 0 || width > maxWidth) throw decodeFailed(ctx, `${what}: bad bit width`, p + 4, `0..${maxWidth}`, String(width));
  const packed = Math.ceil((n * width) / 8);
  needBytes(ctx, what, p + header, src.length, packed, 'packed deltas');
  return packed;
}

// ---------------------------------------------------------------- 32-bit variant

/** Decodes exactly `count` INT32 values. */
export function decodeTs2DiffInt32(src: Uint8Array, count: number, ctx?: DecodeContext, out: Int32Array = new Int32Array(count)): Int32Array {
  const what = 'TS_2DIFF INT32';
  let p = 0;
  let done = 0;
  while (done < count) {
    if (p >= src.length) throw streamEnded(ctx, what, p, `${count} values`, `${done} values`);
    const packed = checkBlock(src, p, 16, 32, count - done, ctx, what);
    const n = be32(src, p);
    const width = be32(src, p + 4);
    const minDelta = be32(src, p + 8);
    let v = be32(src, p + 12);
    out[done++] = v;
    const body = p + 16;
    if (n > 0) {
      if (width === 0) {
        for (let k = 0; k < n; k++) out[done++] = v = (v + minDelta) | 0;
      } else {
        const d = scratchFor(n);
        unpackInt32(src, body, width, n, d, 0);
        for (let k = 0; k < n; k++) out[done++] = v = (v + minDelta + d[k]!) | 0;
      }
    }
    p = body + packed;
  }
  if (p !== src.length) throw decodeFailed(ctx, `${what}: bytes left after the last block`, p, 'end of stream', `${src.length - p} more bytes`);
  return out;
}

export function encodeTs2DiffInt32(values: Int32Array): Uint8Array {
  scratchOut32.reset();
  encodeTs2DiffInt32Into(values, scratchOut32);
  return scratchOut32.takeBytes();
}

/** Appends the blocks of the INT32 values to `w`. */
export function encodeTs2DiffInt32Into(values: Int32Array, w: ByteWriter): void {
  const deltas = deltaScratch;
  for (let start = 0; start < values.length; start += TS2DIFF_BLOCK_SIZE + 1) {
    const n = Math.min(TS2DIFF_BLOCK_SIZE, values.length - start - 1);
    let minDelta = 0x7fffffff;
    let prev = values[start]!;
    for (let k = 0; k < n; k++) {
      const v = values[start + k + 1]!;
      const d = (v - prev) | 0;
      prev = v;
      deltas[k] = d;
      if (d < minDelta) minDelta = d;
    }
    // The bit length of the OR of the deltas is the largest of their bit lengths.
    let or = 0;
    for (let k = 0; k < n; k++) {
      const d = (deltas[k]! - minDelta) | 0;
      deltas[k] = d;
      or |= d;
    }
    const width = bitLength32(or);
    w.i32(n);
    w.i32(width);
    w.i32(minDelta);
    w.i32(values[start]!);
    if (width > 0) packInt32(deltas, 0, n, width, w);
  }
}

// ---------------------------------------------------------------- 64-bit variant

/**
 * The hot loop of the time column: unpacks n deltas of width <= 25 bits starting at bit `bit` and
 * adds minDelta + delta to the running value, all on lo/hi int32 words, writing words[o...].
 * Each delta is one unaligned big-endian 32-bit load, shifted into place.
 */
function addNarrowDeltas(
  src: Uint8Array,
  view: DataView,
  bit: number,
  width: number,
  n: number,
  mdl: number,
  mdh: number,
  pl: number,
  ph: number,
  words: Int32Array,
  o: number,
): void {
  const down = 32 - width;
  // Deltas whose 4-byte window ends inside src; the last one or two take the careful path.
  let fast = Math.floor(((src.length - 4) * 8 - bit) / width) + 1;
  if (fast > n) fast = n;
  let k = 0;
  for (; k < fast; k++) {
    const d = (view.getInt32(bit >>> 3) << (bit & 7)) >>> down;
    bit += width;
    const dl = (mdl + d) | 0;
    const nl = (pl + dl) | 0;
    ph = (ph + mdh + ((dl >>> 0) < (mdl >>> 0) ? 1 : 0) + ((nl >>> 0) < (pl >>> 0) ? 1 : 0)) | 0;
    pl = nl;
    words[o] = pl;
    words[o + 1] = ph;
    o += 2;
  }
  for (; k < n; k++) {
    const d = readBitsAt(src, bit, width);
    bit += width;
    const dl = (mdl + d) | 0;
    const nl = (pl + dl) | 0;
    ph = (ph + mdh + ((dl >>> 0) < (mdl >>> 0) ? 1 : 0) + ((nl >>> 0) < (pl >>> 0) ? 1 : 0)) | 0;
    pl = nl;
    words[o] = pl;
    words[o + 1] = ph;
    o += 2;
  }
}

/**
 * Decodes blocks starting at byte 0 into lo/hi words until `count` values are produced; the stream
 * must end exactly after them.
 */
function decodeInt64Words(src: Uint8Array, count: number, words: Int32Array, ctx: DecodeContext | undefined, what: string): void {
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  let p = 0;
  let o = 0; // word index of the next value
  let done = 0;
  while (done < count) {
    if (p >= src.length) throw streamEnded(ctx, what, p, `${count} values`, `${done} values`);
    const packed = checkBlock(src, p, 24, 64, count - done, ctx, what);
    const n = be32(src, p);
    const width = be32(src, p + 4);
    const mdh = be32(src, p + 8);
    const mdl = be32(src, p + 12);
    let ph = be32(src, p + 16);
    let pl = be32(src, p + 20);
    words[o] = pl;
    words[o + 1] = ph;
    o += 2;
    const body = p + 24;
    if (n > 0) {
      if (width === 0) {
        // Regular series: every delta is minDelta.
        for (let k = 0; k < n; k++) {
          const nl = (pl + mdl) | 0;
          ph = (ph + mdh + ((nl >>> 0) < (pl >>> 0) ? 1 : 0)) | 0;
          pl = nl;
          words[o] = pl;
          words[o + 1] = ph;
          o += 2;
        }
      } else if (width <= 25) {
        addNarrowDeltas(src, view, body * 8, width, n, mdl, mdh, pl, ph, words, o);
        o += 2 * n;
      } else if (width <= 32) {
        const d = scratchFor(n);
        unpackInt32(src, body, width, n, d, 0);
        for (let k = 0; k < n; k++) {
          const dl = (mdl + d[k]!) | 0;
          const dh = mdh + ((dl >>> 0) < (mdl >>> 0) ? 1 : 0);
          const nl = (pl + dl) | 0;
          ph = (ph + dh + ((nl >>> 0) < (pl >>> 0) ? 1 : 0)) | 0;
          pl = nl;
          words[o] = pl;
          words[o + 1] = ph;
          o += 2;
        }
      } else {
        const d = scratchFor(2 * n);
        unpackInt64(src, body, width, n, d, 0);
        for (let k = 0; k < n; k++) {
          const dl = (mdl + d[2 * k]!) | 0;
          const dh = mdh + d[2 * k + 1]! + ((dl >>> 0) < (mdl >>> 0) ? 1 : 0);
          const nl = (pl + dl) | 0;
          ph = (ph + dh + ((nl >>> 0) < (pl >>> 0) ? 1 : 0)) | 0;
          pl = nl;
          words[o] = pl;
          words[o + 1] = ph;
          o += 2;
        }
      }
    }
    done += n + 1;
    p = body + packed;
  }
  if (p !== src.length) throw decodeFailed(ctx, `${what}: bytes left after the last block`, p, 'end of stream', `${src.length - p} more bytes`);
}

/** Decodes exactly `count` INT64 values. */
export function decodeTs2DiffInt64(src: Uint8Array, count: number, ctx?: DecodeContext, out: BigInt64Array = new BigInt64Array(count)): BigInt64Array {
  decodeInt64Words(src, count, int64Words(out), ctx, 'TS_2DIFF INT64');
  return out;
}

/** Counts the values of a 64-bit stream by walking its block headers (bounds-checked, no decoding). */
export function countTs2DiffInt64(src: Uint8Array, maxCount: number, ctx?: DecodeContext): number {
  let p = 0;
  let total = 0;
  const what = 'TS_2DIFF time column';
  while (p < src.length) {
    needBytes(ctx, what, p, src.length, 24, 'block header');
    const n = be32(src, p);
    if (n < 0) throw decodeFailed(ctx, `${what}: negative delta count`, p, 'n >= 0', String(n));
    if (total + n + 1 > maxCount) throw tooManyValues(ctx, what, maxCount, total + n + 1);
    const packed = checkBlock(src, p, 24, 64, maxCount - total, ctx, what);
    total += n + 1;
    p += 24 + packed;
  }
  return total;
}

/** Decodes a whole time column (values until the stream ends). */
export function decodeTs2DiffTimes(src: Uint8Array, maxCount: number, ctx?: DecodeContext, into?: BigInt64Array): BigInt64Array {
  const count = countTs2DiffInt64(src, maxCount, ctx);
  const out = into !== undefined && into.length >= count ? into.subarray(0, count) : new BigInt64Array(count);
  decodeInt64Words(src, count, int64Words(out), ctx, 'TS_2DIFF time column');
  return out;
}

/**
 * Appends the blocks of `count` 64-bit values given as lo/hi words to `w`. Deltas, their minimum
 * and the packed bits are all computed on int32 words; the width is the bit length of the OR of
 * the block's deltas, which equals the largest of their bit lengths.
 */
export function encodeTs2DiffWordsInto(words: Int32Array, count: number, w: ByteWriter): void {
  const narrow = narrowScratch;
  for (let start = 0; start < count; start += TS2DIFF_BLOCK_SIZE + 1) {
    const n = Math.min(TS2DIFF_BLOCK_SIZE, count - start - 1);
    // Common case first: every delta fits in an int32 (its high word is the sign of its low
    // word). Then the 64-bit minimum is the sign-extended int32 minimum and every delta minus it
    // fits in 32 unsigned bits, so the block is computed and packed on single words.
    let min = 0x7fffffff;
    let wide = 0;
    let a = 2 * start;
    let al = words[a]!;
    let ah = words[a + 1]!;
    for (let k = 0; k < n; k++) {
      a += 2;
      const bl = words[a]!;
      const bh = words[a + 1]!;
      const dl = (bl - al) | 0;
      const dh = (bh - ah - ((bl >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
      wide |= dh ^ (dl >> 31);
      narrow[k] = dl;
      if (dl < min) min = dl;
      al = bl;
      ah = bh;
    }
    // (A block of one value stores Long.MAX_VALUE as its minimum delta, like Java.)
    if (wide !== 0 || n === 0) {
      wideBlock(words, start, n, w);
      continue;
    }
    let or = 0;
    for (let k = 0; k < n; k++) {
      const d = (narrow[k]! - min) | 0;
      narrow[k] = d;
      or |= d;
    }
    const width = bitLength32(or);
    w.reserve(24);
    w.i32(n);
    w.i32(width);
    w.i64(min >> 31, min);
    w.i64(words[2 * start + 1]!, words[2 * start]!);
    if (width > 0) packWords(narrow, 0, 1, n, width, w);
  }
}

/** One block whose deltas need 64 bits: deltas, their minimum and the packing on lo/hi word pairs. */
function wideBlock(words: Int32Array, start: number, n: number, w: ByteWriter): void {
  const deltas = deltaScratch;
  let minH = 0x7fffffff;
  let minL = -1;
  let a = 2 * start;
  let al = words[a]!;
  let ah = words[a + 1]!;
  for (let k = 0; k < n; k++) {
    a += 2;
    const bl = words[a]!;
    const bh = words[a + 1]!;
    const dl = (bl - al) | 0;
    const dh = (bh - ah - ((bl >>> 0) < (al >>> 0) ? 1 : 0)) | 0;
    deltas[2 * k] = dl;
    deltas[2 * k + 1] = dh;
    if (dh < minH || (dh === minH && dl >>> 0 < minL >>> 0)) {
      minH = dh;
      minL = dl;
    }
    al = bl;
    ah = bh;
  }
  let orL = 0;
  let orH = 0;
  const ml = minL >>> 0;
  for (let k = 0; k < n; k++) {
    const dl = deltas[2 * k]!;
    const l = (dl - minL) | 0;
    const h = (deltas[2 * k + 1]! - minH - ((dl >>> 0) < ml ? 1 : 0)) | 0;
    deltas[2 * k] = l;
    deltas[2 * k + 1] = h;
    orL |= l;
    orH |= h;
  }
  const width = bitLength64(orH, orL);
  w.reserve(24);
  w.i32(n);
  w.i32(width);
  w.i64(minH, minL);
  w.i64(words[2 * start + 1]!, words[2 * start]!);
  if (width > 0) packInt64(deltas, 0, n, width, w);
}

/** Encodes `count` 64-bit values given as lo/hi words. */
export function encodeTs2DiffWords(words: Int32Array, count: number): Uint8Array {
  scratchOut.reset();
  encodeTs2DiffWordsInto(words, count, scratchOut);
  return scratchOut.takeBytes();
}

export function encodeTs2DiffInt64(values: BigInt64Array): Uint8Array {
  return encodeTs2DiffWords(int64Words(values), values.length);
}
