/**
 * GORILLA_V1, the legacy Gorilla encoding (tsfile-format.md §10.6; FLOAT and DOUBLE only). The
 * first value is written as W/8 bytes little-endian [quirk]; the rest is a big-endian bit stream
 * of XORs with the previous value where the '10' window is the leading/trailing zeros of the
 * previous value itself, not of a stored XOR [quirk]. '11' carries the XOR's leading zeros
 * (5/6 bits) and significant bit count (6/7 bits). A NaN ends the stream (Java canonical NaN bits);
 * like the Java reader, a NaN decoded after the first value also ends the page's real values, and
 * the rest of the page reads as that NaN [quirk].
 */
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { decodeFailed, streamEnded } from './decode-error.js';
import { writeShifted64 } from './gorilla.js';
import { clz64, ctz32, ctz64 } from './int64.js';
import { canonicalFloatBits } from './plain.js';
import type { DecodeContext } from './types.js';

const FLOAT_NAN = 0x7fc00000;
const DOUBLE_NAN_HI = 0x7ff80000;

function isNaN32(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0;
}
function isNaN64(hi: number, lo: number): boolean {
  return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0);
}

/** Decodes exactly `count` FLOAT bit patterns into `out`; a NaN must follow them. */
export function decodeGorillaV1Float(src: Uint8Array, count: number, out: Int32Array, ctx?: DecodeContext): void {
  const what = 'GORILLA_V1 FLOAT';
  if (src.length < 4) {
    if (count === 0 && src.length === 0) return;
    throw streamEnded(ctx, what, 0, '4 bytes for the first value', `${src.length} bytes`);
  }
  let v = src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24);
  const br = new BitReader(src, 4);
  for (let n = 0; ; n++) {
    if (br.overrun()) throw streamEnded(ctx, what, src.length, `${count} values`, `${n} values`);
    if (n === count) {
      if (!isNaN32(v)) throw decodeFailed(ctx, `${what}: no NaN end marker after the last value`, 4 + (br.pos >>> 3));
      return;
    }
    out[n] = v;
    if (br.bit() === 0) continue;
    if (br.bit() === 0) {
      const lz = Math.clz32(v);
      const tz = ctz32(v);
      if (lz + tz >= 32) throw decodeFailed(ctx, `${what}: '10' window after a zero value`, 4 + (br.pos >>> 3));
      v ^= br.read(32 - lz - tz) << tz;
    } else {
      const lz = br.read(5);
      const sig = br.read(6);
      if (sig === 0 || lz + sig > 32) throw decodeFailed(ctx, `${what}: bad bit window`, 4 + (br.pos >>> 3), 'lz + count <= 32', `${lz} + ${sig}`);
      v ^= br.read(sig) << (32 - lz - sig);
    }
    if (isNaN32(v) && n + 1 < count && !br.overrun()) {
      // Java stops at any NaN after the first value and repeats it for the rest of the page [quirk].
      out.fill(v, n + 1, count);
      return;
    }
  }
}

/** Decodes exactly `count` DOUBLE bit patterns into lo/hi `words`; a NaN must follow them. */
export function decodeGorillaV1Double(src: Uint8Array, count: number, words: Int32Array, ctx?: DecodeContext): void {
  const what = 'GORILLA_V1 DOUBLE';
  if (src.length < 8) {
    if (count === 0 && src.length === 0) return;
    throw streamEnded(ctx, what, 0, '8 bytes for the first value', `${src.length} bytes`);
  }
  let lo = src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24);
  let hi = src[4]! | (src[5]! << 8) | (src[6]! << 16) | (src[7]! << 24);
  const br = new BitReader(src, 8);
  for (let n = 0; ; n++) {
    if (br.overrun()) throw streamEnded(ctx, what, src.length, `${count} values`, `${n} values`);
    if (n === count) {
      if (!isNaN64(hi, lo)) throw decodeFailed(ctx, `${what}: no NaN end marker after the last value`, 8 + (br.pos >>> 3));
      return;
    }
    words[2 * n] = lo;
    words[2 * n + 1] = hi;
    if (br.bit() === 0) continue;
    let sig: number;
    let tz: number;
    if (br.bit() === 0) {
      const lz = clz64(hi, lo);
      tz = ctz64(hi, lo);
      if (lz + tz >= 64) throw decodeFailed(ctx, `${what}: '10' window after a zero value`, 8 + (br.pos >>> 3));
      sig = 64 - lz - tz;
    } else {
      const lz = br.read(6);
      sig = br.read(7);
      if (sig === 0 || lz + sig > 64) throw decodeFailed(ctx, `${what}: bad bit window`, 8 + (br.pos >>> 3), 'lz + count <= 64', `${lz} + ${sig}`);
      tz = 64 - lz - sig;
    }
    let xh = 0;
    let xl: number;
    if (sig <= 32) xl = br.read(sig);
    else {
      xh = br.read(sig - 32);
      xl = br.read(32);
    }
    if (tz >= 32) {
      xh = xl << (tz - 32);
      xl = 0;
    } else if (tz > 0) {
      xh = (xh << tz) | (xl >>> (32 - tz));
      xl <<= tz;
    }
    hi ^= xh;
    lo ^= xl;
    if (isNaN64(hi, lo) && n + 1 < count && !br.overrun()) {
      // Java stops at any NaN after the first value and repeats it for the rest of the page [quirk].
      for (let k = n + 1; k < count; k++) {
        words[2 * k] = lo;
        words[2 * k + 1] = hi;
      }
      return;
    }
  }
}

export function encodeGorillaV1Float(bits: Int32Array): Uint8Array {
  const w = new BitWriter();
  let prev = 0;
  for (let i = 0; i <= bits.length; i++) {
    const v = i < bits.length ? canonicalFloatBits(bits[i]!) : FLOAT_NAN;
    if (i === 0) {
      for (let k = 0; k < 4; k++) w.write(v >>> (8 * k), 8);
      prev = v;
      continue;
    }
    const x = prev ^ v;
    if (x === 0) w.write(0, 1);
    else {
      const lzp = Math.clz32(prev);
      const tzp = ctz32(prev);
      const lz = Math.clz32(x);
      const tz = ctz32(x);
      if (lz >= lzp && tz >= tzp) {
        w.write(2, 2);
        w.write(x >>> tzp, 32 - lzp - tzp);
      } else {
        w.write(3, 2);
        w.write(lz, 5);
        w.write(32 - lz - tz, 6);
        w.write(x >>> tz, 32 - lz - tz);
      }
    }
    prev = v;
  }
  w.alignToByte();
  return w.out.toBytes();
}

export function encodeGorillaV1Double(words: Int32Array, count: number): Uint8Array {
  const w = new BitWriter();
  let ph = 0;
  let pl = 0;
  for (let i = 0; i <= count; i++) {
    let hi = i < count ? words[2 * i + 1]! : DOUBLE_NAN_HI;
    let lo = i < count ? words[2 * i]! : 0;
    if (isNaN64(hi, lo)) {
      hi = DOUBLE_NAN_HI;
      lo = 0;
    }
    if (i === 0) {
      for (let k = 0; k < 4; k++) w.write(lo >>> (8 * k), 8);
      for (let k = 0; k < 4; k++) w.write(hi >>> (8 * k), 8);
    } else {
      const xh = ph ^ hi;
      const xl = pl ^ lo;
      if (xh === 0 && xl === 0) w.write(0, 1);
      else {
        const lzp = clz64(ph, pl);
        const tzp = ctz64(ph, pl);
        const lz = clz64(xh, xl);
        const tz = ctz64(xh, xl);
        if (lz >= lzp && tz >= tzp) {
          w.write(2, 2);
          writeShifted64(w, xh, xl, tzp, 64 - lzp - tzp);
        } else {
          w.write(3, 2);
          w.write(lz, 6);
          w.write(64 - lz - tz, 7);
          writeShifted64(w, xh, xl, tz, 64 - lz - tz);
        }
      }
    }
    ph = hi;
    pl = lo;
  }
  w.alignToByte();
  return w.out.toBytes();
}
