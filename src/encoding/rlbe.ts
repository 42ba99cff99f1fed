/**
 * RLBE (tsfile-format.md §10.11; INT32/DATE, INT64/TIMESTAMP, FLOAT, DOUBLE): a big-endian bit
 * stream of blocks (at most 10 000 values each): 32 bits value count, then for every maximal run of
 * entries with the same code length: the length in 6 (W = 32) or 7 (W = 64) bits, the run length as
 * a Fibonacci code (Zeckendorf bits for 1, 2, 3, 5, … then an extra 1), and the entries; the block
 * is padded to a byte. Entry 0 is the block's first value, entry k the difference to value k-1
 * (floating-point subtraction for FLOAT/DOUBLE, lossy [quirk]). An entry of length exactly W is
 * stored with its top bit cleared and restored by the decoder [quirk].
 */
import { BitReader } from './bit-reader.js';
import { BitWriter } from './bit-writer.js';
import { decodeFailed, streamEnded } from './decode-error.js';
import { bitLength32, bitLength64, float64Words } from './int64.js';
import { canonicalFloatBits } from './plain.js';
import type { DecodeContext } from './types.js';
import { WordSink } from './word-sink.js';

/** Values per block written by the Java encoder. */
export const RLBE_BLOCK_SIZE = 10000;

export type RlbeKind = 'int32' | 'float' | 'int64' | 'double';

/** Fibonacci numbers 1, 2, 3, 5, … up to the largest below 2^31. */
const FIB: number[] = [1, 2];
while (FIB[FIB.length - 1]! + FIB[FIB.length - 2]! < 0x7fffffff) FIB.push(FIB[FIB.length - 1]! + FIB[FIB.length - 2]!);

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const w64 = float64Words(f64);

function readFibonacci(br: BitReader, ctx: DecodeContext | undefined, what: string): number {
  let sum = 0;
  let prev = 0;
  for (let k = 0; k <= FIB.length; k++) {
    const b = br.bit();
    if (b === 1 && prev === 1) return sum;
    if (k === FIB.length || br.overrun()) break;
    if (b === 1) sum += FIB[k]!;
    prev = b;
  }
  throw decodeFailed(ctx, `${what}: bad Fibonacci run length`, br.pos >>> 3);
}

function writeFibonacci(w: BitWriter, n: number): void {
  let top = 0;
  while (top + 1 < FIB.length && FIB[top + 1]! <= n) top++;
  const bits = new Uint8Array(top + 1);
  let rest = n;
  for (let k = top; k >= 0; k--) {
    if (FIB[k]! <= rest) {
      bits[k] = 1;
      rest -= FIB[k]!;
    }
  }
  for (let k = 0; k <= top; k++) w.write(bits[k]!, 1);
  w.write(1, 1);
}

/** Decodes blocks into `sink` as lo/hi words (32-bit kinds leave the high word 0). */
export function decodeRlbe(kind: RlbeKind, src: Uint8Array, sink: WordSink, ctx?: DecodeContext): void {
  const wide = kind === 'int64' || kind === 'double';
  const W = wide ? 64 : 32;
  const lengthBits = wide ? 7 : 6;
  const what = sink.what;
  const br = new BitReader(src);
  while (br.pos < br.bitEnd) {
    const at = br.pos >>> 3;
    if (br.bitsLeft < 32) throw streamEnded(ctx, `${what} block header`, at, '4 bytes', `${br.bitsLeft >>> 3} bytes`);
    const blockCount = br.read(32);
    if (blockCount <= 0) throw decodeFailed(ctx, `${what}: bad block value count`, at, '>= 1', String(blockCount));
    sink.reserve(blockCount, at);
    let hi = 0;
    let lo = 0;
    let fv = 0;
    for (let k = 0; k < blockCount; ) {
      const lc = br.read(lengthBits);
      if (lc === 0 || lc > W) throw decodeFailed(ctx, `${what}: bad code length`, br.pos >>> 3, `1..${W}`, String(lc));
      const run = readFibonacci(br, ctx, what);
      if (run > blockCount - k) throw decodeFailed(ctx, `${what}: run longer than its block`, br.pos >>> 3, `at most ${blockCount - k}`, String(run));
      if (br.bitsLeft < run * lc) throw streamEnded(ctx, what, br.pos >>> 3, `${run * lc} bits`, `${Math.max(0, br.bitsLeft)} bits`);
      for (let j = 0; j < run; j++, k++) {
        let eh = 0;
        let el: number;
        if (lc > 32) {
          eh = br.read(lc - 32);
          el = br.read(32);
        } else el = br.read(lc);
        if (lc === W) {
          if (wide) eh |= 0x80000000;
          else el |= 0x80000000;
        }
        if (k === 0) {
          hi = eh;
          lo = el;
          if (kind === 'float') {
            i32[0] = lo;
            fv = f32[0]!;
          } else if (kind === 'double') {
            w64[0] = lo;
            w64[1] = hi;
            fv = f64[0]!;
          }
        } else if (kind === 'int32') lo = (lo + el) | 0;
        else if (kind === 'int64') {
          const nl = (lo + el) | 0;
          hi = (hi + eh + ((nl >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
          lo = nl;
        } else if (kind === 'float') {
          i32[0] = el;
          f32[0] = fv + f32[0]!;
          fv = f32[0]!;
          lo = i32[0]!;
        } else {
          w64[0] = el;
          w64[1] = eh;
          f64[0] = fv + f64[0]!;
          fv = f64[0]!;
          lo = w64[0]!;
          hi = w64[1]!;
        }
        sink.push(lo, hi);
      }
    }
    br.alignToByte();
  }
  sink.finish(src.length);
}

/** Encodes `count` values given as lo/hi words (32-bit kinds read only the low word). */
export function encodeRlbe(kind: RlbeKind, words: Int32Array, count: number): Uint8Array {
  const wide = kind === 'int64' || kind === 'double';
  const W = wide ? 64 : 32;
  const lengthBits = wide ? 7 : 6;
  const w = new BitWriter();
  const eh = new Int32Array(RLBE_BLOCK_SIZE);
  const el = new Int32Array(RLBE_BLOCK_SIZE);
  const len = new Uint8Array(RLBE_BLOCK_SIZE);
  for (let start = 0; start < count; start += RLBE_BLOCK_SIZE) {
    const n = Math.min(RLBE_BLOCK_SIZE, count - start);
    for (let k = 0; k < n; k++) {
      const lo = words[2 * (start + k)]!;
      const hi = words[2 * (start + k) + 1]!;
      let h = 0;
      let l: number;
      if (k === 0) {
        h = wide ? hi : 0;
        l = kind === 'float' ? canonicalFloatBits(lo) : lo;
      } else {
        const plo = words[2 * (start + k) - 2]!;
        const phi = words[2 * (start + k) - 1]!;
        if (kind === 'int32') l = (lo - plo) | 0;
        else if (kind === 'int64') {
          l = (lo - plo) | 0;
          h = (hi - phi - ((lo >>> 0) < (plo >>> 0) ? 1 : 0)) | 0;
        } else if (kind === 'float') {
          if (lo === plo) {
            // A repeated value (±Infinity included, where v - v is NaN) is stored as a zero delta of
            // its own sign, which adds back to exactly the same value.
            l = lo === (0x80000000 | 0) ? lo : 0;
          } else {
            i32[0] = lo;
            const v = f32[0]!;
            i32[0] = plo;
            f32[0] = v - f32[0]!;
            l = canonicalFloatBits(i32[0]!);
          }
        } else if (lo === plo && hi === phi) {
          // See FLOAT above: a repeated value is a zero delta of its own sign.
          l = 0;
          h = hi === (0x80000000 | 0) && lo === 0 ? hi : 0;
        } else {
          w64[0] = lo;
          w64[1] = hi;
          const v = f64[0]!;
          w64[0] = plo;
          w64[1] = phi;
          f64[0] = v - f64[0]!;
          l = w64[0]!;
          h = w64[1]!;
          if ((h & 0x7ff00000) === 0x7ff00000 && ((h & 0xfffff) !== 0 || l !== 0)) {
            h = 0x7ff80000;
            l = 0;
          }
        }
      }
      eh[k] = h;
      el[k] = l;
      len[k] = Math.max(1, wide ? bitLength64(h, l) : bitLength32(l));
    }
    w.write(n, 32);
    for (let k = 0; k < n; ) {
      const lc = len[k]!;
      let run = 1;
      while (k + run < n && len[k + run] === lc) run++;
      w.write(lc, lengthBits);
      writeFibonacci(w, run);
      for (let j = k; j < k + run; j++) {
        // Entries of length W are written with the top bit cleared [quirk].
        if (lc === W) w.write64(wide ? eh[j]! & 0x7fffffff : 0, wide ? el[j]! : el[j]! & 0x7fffffff, lc);
        else w.write64(eh[j]!, el[j]!, lc);
      }
      k += run;
    }
    w.alignToByte();
  }
  return w.out.toBytes();
}
