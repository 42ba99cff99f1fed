/**
 * CHIMP, the Chimp128 variant (tsfile-format.md §10.9; INT32/DATE, INT64/TIMESTAMP, FLOAT,
 * DOUBLE): each value is XOR-ed with one of the previous N values (a ring buffer, N = 64 for
 * W = 32, 128 for W = 64), picked through a table keyed by the value's low T+1 bits when that XOR
 * has more than T trailing zeros. Control bits: 00 same as ring[idx]; 01 ring[idx] XOR a centred
 * window; 10 previous XOR (W - storedLead) bits; 11 new rounded leading-zero count, then bits. The
 * stream ends like GORILLA (sentinel value, flushed byte, extra 00 byte when aligned).
 */
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { decodeFailed, streamEnded, tooManyValues } from './decode-error.js';
import { finishWithEndByte, writeShifted64 } from './gorilla.js';
import { clz64, ctz32, ctz64, growWords } from './int64.js';
import type { DecodeContext } from './types.js';

/** Rounded leading-zero counts, indexed by their 3-bit code. */
const LEAD_VALUES = [0, 8, 12, 16, 18, 20, 22, 24];
/** Code of the rounded leading-zero count for each actual count 0..64. */
const LEAD_CODE = new Uint8Array(65);
for (let lz = 0; lz <= 64; lz++) {
  let code = 0;
  for (let c = 0; c < 8; c++) if (LEAD_VALUES[c]! <= lz) code = c;
  LEAD_CODE[lz] = code;
}

interface Params {
  w: number;
  /** log2 of the ring size. */
  logN: number;
  /** Trailing-zero threshold. */
  t: number;
  /** Width of the significant-bit field. */
  s: number;
}
const P32: Params = { w: 32, logN: 6, t: 11, s: 5 };
const P64: Params = { w: 64, logN: 7, t: 13, s: 6 };

/**
 * Decodes a W = 32 (`wide` false) or W = 64 stream into int32 values or lo/hi word pairs. With
 * count >= 0 exactly `count` values, then the sentinel must follow; with count < 0 values until
 * the sentinel, at most `limit`. `sentinelHi` is the 32-bit sentinel, or the high word of the
 * 64-bit one (whose low word is 0).
 */
export function decodeChimp(
  src: Uint8Array,
  wide: boolean,
  count: number,
  out: Int32Array,
  limit: number,
  sentinelHi: number,
  ctx: DecodeContext | undefined,
  what: string,
): { values: Int32Array; n: number } {
  if (src.length === 0) {
    if (count <= 0) return { values: out, n: 0 };
    throw streamEnded(ctx, what, 0, `${count} values`, 'an empty stream');
  }
  const p = wide ? P64 : P32;
  const ringSize = 1 << p.logN;
  const ring = new Int32Array(2 * ringSize);
  const br = new BitReader(src);
  let hi = wide ? br.read(32) : 0;
  let lo = br.read(32);
  let cur = 0;
  ring[0] = lo;
  ring[1] = hi;
  let storedLead = -1;
  let n = 0;
  const stride = wide ? 2 : 1;
  const untilSentinel = count < 0;
  const flagOneBits = p.logN + 3 + p.s;
  for (;;) {
    if (br.overrun()) throw streamEnded(ctx, what, src.length, untilSentinel ? 'the end marker' : `${count} values`, `${n} values`);
    const isEnd = wide ? hi === sentinelHi && lo === 0 : lo === sentinelHi;
    if (untilSentinel) {
      if (isEnd) break;
      if (n === limit) throw tooManyValues(ctx, what, limit, n + 1);
      if (stride * n === out.length) out = growWords(out, stride * Math.min(limit, 2 * n + 16));
    } else if (n === count) {
      if (!isEnd) throw decodeFailed(ctx, `${what}: no end marker after the last value`, br.pos >>> 3);
      break;
    }
    if (wide) {
      out[2 * n] = lo;
      out[2 * n + 1] = hi;
    } else out[n] = lo;
    n++;
    const control = br.read(2);
    let xh = 0;
    let xl = 0;
    if (control === 0) {
      const idx = br.read(p.logN);
      lo = ring[2 * idx]!;
      hi = ring[2 * idx + 1]!;
    } else if (control === 1) {
      const f = br.read(flagOneBits);
      const idx = f >>> (3 + p.s);
      const lead = LEAD_VALUES[(f >>> p.s) & 7]!;
      let sig = f & ((1 << p.s) - 1);
      if (sig === 0) sig = p.w;
      const trail = p.w - sig - lead;
      if (trail < 0) throw decodeFailed(ctx, `${what}: bad bit window`, br.pos >>> 3, `lead + length <= ${p.w}`, `${lead} + ${sig}`);
      [xh, xl] = readShifted(br, sig, trail);
      lo = ring[2 * idx]! ^ xl;
      hi = ring[2 * idx + 1]! ^ xh;
    } else {
      if (control === 3) storedLead = LEAD_VALUES[br.read(3)]!;
      else if (storedLead < 0) throw decodeFailed(ctx, `${what}: '10' control bits before any '11'`, br.pos >>> 3);
      [xh, xl] = readShifted(br, p.w - storedLead, 0);
      lo ^= xl;
      hi ^= xh;
    }
    cur = (cur + 1) & (ringSize - 1);
    ring[2 * cur] = lo;
    ring[2 * cur + 1] = hi;
  }
  return { values: out, n };
}

/** Reads `sig` bits (1..64) and shifts them left by `shift`; returns [hi, lo]. */
function readShifted(br: BitReader, sig: number, shift: number): [number, number] {
  let h = 0;
  let l: number;
  if (sig <= 32) l = br.read(sig);
  else {
    h = br.read(sig - 32);
    l = br.read(32);
  }
  if (shift >= 32) return [l << (shift - 32), 0];
  if (shift > 0) return [(h << shift) | (l >>> (32 - shift)), l << shift];
  return [h, l];
}

/**
 * Encodes `count` values (int32 patterns, or lo/hi word pairs when `wide`) followed by the
 * sentinel, exactly as the Java encoder does.
 */
export function encodeChimp(values: Int32Array, count: number, wide: boolean, sentinelHi: number): Uint8Array {
  const p = wide ? P64 : P32;
  const ringSize = 1 << p.logN;
  const keyMask = (1 << (p.t + 1)) - 1;
  const ring = new Int32Array(2 * ringSize);
  const indices = new Int32Array(keyMask + 1);
  const w = new BitWriter();
  let storedLead = 1 << 30;
  let index = 0;
  let cur = 0;
  for (let i = 0; i <= count; i++) {
    const lo = i < count ? values[wide ? 2 * i : i]! : wide ? 0 : sentinelHi;
    const hi = i < count ? (wide ? values[2 * i + 1]! : 0) : wide ? sentinelHi : 0;
    const key = lo & keyMask;
    if (i === 0) {
      if (wide) w.write(hi, 32);
      w.write(lo, 32);
      ring[0] = lo;
      ring[1] = hi;
      indices[key] = 0;
      continue;
    }
    const cand = indices[key]!;
    let ref = index & (ringSize - 1);
    let useCandidate = false;
    let tz = 0;
    if (index - cand < ringSize) {
      const c = cand & (ringSize - 1);
      const tl = lo ^ ring[2 * c]!;
      const th = hi ^ ring[2 * c + 1]!;
      tz = wide ? ctz64(th, tl) : ctz32(tl);
      if (tz > p.t) {
        ref = c;
        useCandidate = true;
      }
    }
    const xl = lo ^ ring[2 * ref]!;
    const xh = hi ^ ring[2 * ref + 1]!;
    if (xl === 0 && xh === 0) {
      w.write(ref, p.logN + 2);
      storedLead = p.w + 1;
    } else {
      const lz = wide ? clz64(xh, xl) : Math.clz32(xl);
      const code = LEAD_CODE[lz]!;
      const lead = LEAD_VALUES[code]!;
      if (useCandidate) {
        const sig = p.w - lead - tz;
        w.write(1, 2);
        w.write(ref, p.logN);
        w.write(code, 3);
        w.write(sig & ((1 << p.s) - 1), p.s);
        writeShifted64(w, xh, xl, tz, sig);
        storedLead = p.w + 1;
      } else {
        if (lead === storedLead) w.write(2, 2);
        else {
          w.write(3, 2);
          w.write(code, 3);
          storedLead = lead;
        }
        w.write64(xh, xl, p.w - lead);
      }
    }
    cur = (cur + 1) & (ringSize - 1);
    ring[2 * cur] = lo;
    ring[2 * cur + 1] = hi;
    index++;
    indices[key] = index;
  }
  return finishWithEndByte(w);
}
