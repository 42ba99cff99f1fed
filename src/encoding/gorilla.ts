/**
 * GORILLA, "Gorilla v2" (tsfile-format.md §10.5): XOR of each value with the previous one as a
 * big-endian bit stream — '0' same value, '10' meaningful bits inside the stored window, '11' new
 * window (leading zeros in 5/6 bits, length-1 in 5/6 bits) then the bits. The stream ends with a
 * sentinel value (INT32/INT64 MIN_VALUE, canonical float/double NaN) and the flushed byte, plus an
 * extra 00 byte when the stream already ended on a byte boundary [quirk]. W = 32 for INT32/DATE and
 * FLOAT (raw bits), W = 64 for INT64/TIMESTAMP and DOUBLE; the 64-bit values are lo/hi words.
 */
import { checkStreamSize, peek32, readBits } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { ByteWriter } from './byte-writer.js';
import { decodeFailed, streamEnded, tooManyValues } from './decode-error.js';
import { growWords } from './int64.js';
import type { DecodeContext } from './types.js';

export const GORILLA_INT32_END = -0x80000000;
export const GORILLA_FLOAT_END = 0x7fc00000;
/** High words of the 64-bit sentinels (their low words are 0). */
export const GORILLA_INT64_END_HI = -0x80000000;
export const GORILLA_DOUBLE_END_HI = 0x7ff80000;

/**
 * Decodes a W = 32 stream. With count >= 0: exactly `count` values into `out`, then the sentinel
 * must follow. With count < 0 (a time column): values until the sentinel, at most `limit`.
 * Returns the values (`out` or a grown copy) and how many there are.
 */
export function decodeGorilla32(
  src: Uint8Array,
  count: number,
  out: Int32Array,
  limit: number,
  sentinel: number,
  ctx: DecodeContext | undefined,
  what: string,
): { values: Int32Array; n: number } {
  const len = src.length;
  if (len === 0) {
    if (count <= 0) return { values: out, n: 0 };
    throw streamEnded(ctx, what, 0, `${count} values`, 'an empty stream');
  }
  checkStreamSize(len);
  const view = new DataView(src.buffer, src.byteOffset, len);
  const bitEnd = len * 8;
  let v = peek32(view, src, len, 0);
  let pos = 32;
  let storedLZ = -1;
  let storedTZ = 0;
  let n = 0;
  const untilSentinel = count < 0;
  for (;;) {
    if (pos > bitEnd) throw streamEnded(ctx, what, len, untilSentinel ? 'the end marker' : `${count} values`, `${n} values`);
    if (untilSentinel) {
      if (v === sentinel) break;
      if (n === limit) throw tooManyValues(ctx, what, limit, n + 1);
      if (n === out.length) out = growWords(out, Math.min(limit, out.length * 2 + 16));
    } else if (n === count) {
      if (v !== sentinel) throw decodeFailed(ctx, `${what}: no end marker after the last value`, pos >>> 3, `sentinel 0x${(sentinel >>> 0).toString(16)}`, `0x${(v >>> 0).toString(16)}`);
      break;
    }
    out[n++] = v;
    // One window holds the control bits and, for '11', both 5-bit fields.
    const win = peek32(view, src, len, pos >>> 3) << (pos & 7);
    if (win >= 0) {
      pos += 1;
      continue;
    }
    let sig: number;
    if ((win & 0x40000000) === 0) {
      if (storedLZ < 0) throw decodeFailed(ctx, `${what}: '10' control bits before any '11'`, pos >>> 3);
      pos += 2;
      sig = 32 - storedLZ - storedTZ;
    } else {
      const lz = (win >>> 25) & 31;
      sig = ((win >>> 20) & 31) + 1;
      if (lz + sig > 32) throw decodeFailed(ctx, `${what}: bad bit window`, pos >>> 3, 'leading zeros + length <= 32', `${lz} + ${sig}`);
      pos += 12;
      storedLZ = lz;
      storedTZ = 32 - lz - sig;
    }
    v ^= readBits(view, src, len, pos, sig) << storedTZ;
    pos += sig;
  }
  return { values: out, n };
}

/** The W = 64 counterpart of decodeGorilla32; values are lo/hi word pairs, the sentinel's low word is 0. */
export function decodeGorilla64(
  src: Uint8Array,
  count: number,
  out: Int32Array,
  limit: number,
  sentinelHi: number,
  ctx: DecodeContext | undefined,
  what: string,
): { values: Int32Array; n: number } {
  const len = src.length;
  if (len === 0) {
    if (count <= 0) return { values: out, n: 0 };
    throw streamEnded(ctx, what, 0, `${count} values`, 'an empty stream');
  }
  checkStreamSize(len);
  const view = new DataView(src.buffer, src.byteOffset, len);
  const bitEnd = len * 8;
  let hi = peek32(view, src, len, 0);
  let lo = peek32(view, src, len, 4);
  let pos = 64;
  // A value takes at most 2 + 12 + 64 bits and its loads reach 9 bytes past its start.
  const fastEnd = bitEnd - 160;
  let storedLZ = -1;
  let storedTZ = 0;
  let n = 0;
  const untilSentinel = count < 0;
  for (;;) {
    if (pos > bitEnd) throw streamEnded(ctx, what, len, untilSentinel ? 'the end marker' : `${count} values`, `${n} values`);
    if (untilSentinel) {
      if (hi === sentinelHi && lo === 0) break;
      if (n === limit) throw tooManyValues(ctx, what, limit, n + 1);
      if (2 * n === out.length) out = growWords(out, 2 * Math.min(limit, n * 2 + 16));
    } else if (n === count) {
      if (hi !== sentinelHi || lo !== 0) throw decodeFailed(ctx, `${what}: no end marker after the last value`, pos >>> 3);
      break;
    }
    out[2 * n] = lo;
    out[2 * n + 1] = hi;
    n++;
    // Far from the end every load is in bounds; the last few values take the careful loads.
    const far = pos < fastEnd;
    // One window holds the control bits and, for '11', both 6-bit fields.
    const win = (far ? view.getInt32(pos >>> 3) : peek32(view, src, len, pos >>> 3)) << (pos & 7);
    if (win >= 0) {
      pos += 1;
      continue;
    }
    let sig: number;
    if ((win & 0x40000000) === 0) {
      if (storedLZ < 0) throw decodeFailed(ctx, `${what}: '10' control bits before any '11'`, pos >>> 3);
      pos += 2;
      sig = 64 - storedLZ - storedTZ;
    } else {
      const lz = (win >>> 24) & 63;
      sig = ((win >>> 18) & 63) + 1;
      if (lz + sig > 64) throw decodeFailed(ctx, `${what}: bad bit window`, pos >>> 3, 'leading zeros + length <= 64', `${lz} + ${sig}`);
      pos += 14;
      storedLZ = lz;
      storedTZ = 64 - lz - sig;
    }
    const tz = storedTZ;
    if (sig <= 32) {
      const x = readBits(view, src, len, pos, sig);
      if (tz >= 32) hi ^= x << (tz - 32);
      else if (tz > 0) {
        hi ^= x >>> (32 - tz);
        lo ^= x << tz;
      } else lo ^= x;
    } else {
      let xh: number;
      let xl: number;
      if (far) {
        // The 64 bits from pos as a:b, then their top `sig` bits.
        const p = pos >>> 3;
        const s = pos & 7;
        const w0 = view.getInt32(p);
        const w1 = view.getInt32(p + 4);
        const a = s === 0 ? w0 : (w0 << s) | (w1 >>> (32 - s));
        const b = s === 0 ? w1 : (w1 << s) | (src[p + 8]! >>> (8 - s));
        const down = 64 - sig;
        if (down === 0) {
          xh = a;
          xl = b;
        } else {
          xh = a >>> down;
          xl = (b >>> down) | (a << (32 - down));
        }
      } else {
        xh = readBits(view, src, len, pos, sig - 32);
        xl = readBits(view, src, len, pos + sig - 32, 32);
      }
      if (tz > 0) {
        xh = (xh << tz) | (xl >>> (32 - tz));
        xl <<= tz;
      }
      hi ^= xh;
      lo ^= xl;
    }
    pos += sig;
  }
  return { values: out, n };
}

/** Ends a GORILLA/CHIMP bit stream: pad the current byte, or add a 00 byte when already aligned [quirk]. */
export function finishWithEndByte(w: BitWriter): Uint8Array {
  if (w.aligned) w.write(0, 8);
  return w.toBytes();
}

/**
 * The encoders' bit output: a 32-bit accumulator writing straight into a ByteWriter's storage,
 * reserved up front for the worst case, so appending needs no bounds or growth check.
 */
const NO_BYTES = new Uint8Array(0);

class FastBits {
  out = new ByteWriter(16);
  buf: Uint8Array = NO_BYTES;
  p = 0;
  acc = 0;
  fill = 0;

  /** Starts a stream of at most `maxBytes` bytes appended to `out`. */
  begin(out: ByteWriter, maxBytes: number): void {
    out.reserve(maxBytes + 4);
    this.out = out;
    this.buf = out.buf;
    this.p = out.length;
    this.acc = 0;
    this.fill = 0;
  }

  /** Appends v (its low n bits, 1..32; the bits of v above them must be 0). */
  put(v: number, n: number): void {
    const free = 32 - this.fill;
    if (n < free) {
      this.acc |= v << (free - n);
      this.fill += n;
      return;
    }
    const rest = n - free;
    const x = this.acc | (v >>> rest);
    const b = this.buf;
    const p = this.p;
    b[p] = x >>> 24;
    b[p + 1] = x >>> 16;
    b[p + 2] = x >>> 8;
    b[p + 3] = x;
    this.p = p + 4;
    this.fill = rest;
    this.acc = rest === 0 ? 0 : v << (32 - rest);
  }

  /** Ends the stream like finishWithEndByte. */
  finish(): void {
    if ((this.fill & 7) === 0) this.put(0, 8);
    let fill = this.fill;
    let acc = this.acc;
    let p = this.p;
    while (fill > 0) {
      this.buf[p++] = acc >>> 24;
      acc <<= 8;
      fill -= 8;
    }
    this.out.length = p;
    this.buf = NO_BYTES;
  }
}

const bits = new FastBits();
/** Reused output of encodeGorilla32/64 (results are copied out of it). */
const scratch = new ByteWriter(1 << 16);

/** Encodes `count` 32-bit patterns followed by the sentinel. */
export function encodeGorilla32(values: Int32Array, count: number, sentinel: number): Uint8Array {
  scratch.reset();
  encodeGorilla32Into(values, count, sentinel, scratch);
  return scratch.takeBytes();
}

/** Encodes `count` 64-bit values (lo/hi words) followed by the sentinel (sentinelHi:0). */
export function encodeGorilla64(words: Int32Array, count: number, sentinelHi: number): Uint8Array {
  scratch.reset();
  encodeGorilla64Into(words, count, sentinelHi, scratch);
  return scratch.takeBytes();
}

/** Appends the stream of `count` 32-bit patterns and the sentinel to `out`. */
export function encodeGorilla32Into(values: Int32Array, count: number, sentinel: number, out: ByteWriter): void {
  // Worst case per value: '11' + 5 + 5 + 32 bits.
  const w = bits;
  w.begin(out, 6 * count + 16);
  let storedLZ = 1000;
  let storedTZ = 0;
  let prev = count > 0 ? values[0]! : sentinel;
  w.put(prev, 32);
  for (let i = 1; i <= count; i++) {
    const v = i < count ? values[i]! : sentinel;
    const x = prev ^ v;
    prev = v;
    if (x === 0) {
      w.put(0, 1);
      continue;
    }
    const lz = Math.clz32(x);
    const tz = 31 - Math.clz32(x & -x);
    if (lz >= storedLZ && tz >= storedTZ) {
      w.put(2, 2);
      w.put(x >>> storedTZ, 32 - storedLZ - storedTZ);
    } else {
      const sig = 32 - lz - tz;
      w.put((3 << 10) | (lz << 5) | (sig - 1), 12);
      w.put(x >>> tz, sig);
      storedLZ = lz;
      storedTZ = tz;
    }
  }
  w.finish();
}

/** Appends the stream of `count` 64-bit values (lo/hi words) and the sentinel (sentinelHi:0) to `out`. */
export function encodeGorilla64Into(words: Int32Array, count: number, sentinelHi: number, out: ByteWriter): void {
  // Worst case per value: '11' + 6 + 6 + 64 bits.
  const w = bits;
  w.begin(out, 10 * count + 24);
  let storedLZ = 1000;
  let storedTZ = 0;
  let ph = count > 0 ? words[1]! : sentinelHi;
  let pl = count > 0 ? words[0]! : 0;
  w.put(ph, 32);
  w.put(pl, 32);
  for (let i = 1; i <= count; i++) {
    let hi: number;
    let lo: number;
    if (i < count) {
      hi = words[2 * i + 1]!;
      lo = words[2 * i]!;
    } else {
      hi = sentinelHi;
      lo = 0;
    }
    const xh = ph ^ hi;
    const xl = pl ^ lo;
    ph = hi;
    pl = lo;
    if ((xh | xl) === 0) {
      w.put(0, 1);
      continue;
    }
    const lz = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const tz = xl !== 0 ? 31 - Math.clz32(xl & -xl) : 63 - Math.clz32(xh & -xh);
    let shift: number;
    let sig: number;
    if (lz >= storedLZ && tz >= storedTZ) {
      w.put(2, 2);
      shift = storedTZ;
      sig = 64 - storedLZ - storedTZ;
    } else {
      shift = tz;
      sig = 64 - lz - tz;
      w.put((3 << 12) | (lz << 6) | (sig - 1), 14);
      storedLZ = lz;
      storedTZ = tz;
    }
    // The low `sig` bits of xh:xl >>> shift (the bits above them are 0: they are leading zeros).
    let h: number;
    let l: number;
    if (shift >= 32) {
      h = 0;
      l = xh >>> (shift - 32);
    } else if (shift > 0) {
      h = xh >>> shift;
      l = (xl >>> shift) | (xh << (32 - shift));
    } else {
      h = xh;
      l = xl;
    }
    if (sig > 32) {
      w.put(h, sig - 32);
      w.put(l, 32);
    } else {
      w.put(l, sig);
    }
  }
  w.finish();
}

/** Writes the low `sig` bits of (hi:lo >>> shift). */
export function writeShifted64(w: BitWriter, hi: number, lo: number, shift: number, sig: number): void {
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = h >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = (l >>> shift) | (h << (32 - shift));
    h = h >>> shift;
  }
  w.write64(h, l, sig);
}
