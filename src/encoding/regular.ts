/**
 * REGULAR, legacy and decode-only (tsfile-format.md §10.12; INT32/DATE, INT64/TIMESTAMP). Blocks
 * of up to 128 positions: `u8 hasMissingPoints`, when 1 an `i32` length and a bitmap in
 * java.util.BitSet layout (bit k = bit k%8, LSB first, of byte k/8) marking present positions, then
 * `i32 n`, minDelta and first (i32 or i64). Value k is first + k*minDelta for every present k < n.
 */
import { ByteReader } from './byte-reader.js';
import { decodeFailed } from './decode-error.js';
import type { DecodeContext } from './types.js';
import type { WordSink } from './word-sink.js';

/** Decodes blocks into `sink` as lo/hi words (the 32-bit variant leaves the high word 0). */
export function decodeRegular(wide: boolean, src: Uint8Array, sink: WordSink, ctx?: DecodeContext): void {
  const r = new ByteReader(src, ctx, sink.what);
  while (!r.atEnd()) {
    const at = r.pos;
    const flag = r.u8('missing-points flag');
    if (flag > 1) throw r.fail('bad missing-points flag', '0 or 1', String(flag), at);
    let bitmap: Uint8Array | null = null;
    if (flag === 1) {
      const len = r.i32('bitmap length');
      if (len < 0) throw r.fail('negative bitmap length', '>= 0', String(len), r.pos - 4);
      bitmap = r.bytes(len, 'bitmap');
    }
    const n = r.i32('position count');
    if (n < 0) throw r.fail('negative position count', '>= 0', String(n), r.pos - 4);
    let mdl: number;
    let mdh = 0;
    let lo: number;
    let hi = 0;
    if (wide) {
      r.i64('minDelta');
      mdl = r.lo;
      mdh = r.hi;
      r.i64('first');
      lo = r.lo;
      hi = r.hi;
    } else {
      mdl = r.i32('minDelta');
      lo = r.i32('first');
    }
    // Positions past the bitmap are absent, so a bad n cannot make this loop long.
    const positions = bitmap === null ? n : Math.min(n, bitmap.length * 8);
    let present = positions;
    if (bitmap !== null) {
      present = 0;
      for (let k = 0; k < positions; k++) present += (bitmap[k >>> 3]! >>> (k & 7)) & 1;
    }
    sink.reserve(present, at);
    for (let k = 0; k < positions; k++) {
      if (bitmap === null || (bitmap[k >>> 3]! >>> (k & 7)) & 1) sink.push(lo, wide ? hi : 0);
      const nl = (lo + mdl) | 0;
      if (wide) hi = (hi + mdh + ((nl >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
      lo = nl;
    }
  }
  if (sink.exact && sink.n !== sink.count) throw decodeFailed(ctx, `${sink.what}: value count does not match`, src.length, `${sink.count} values`, `${sink.n} values`);
}
