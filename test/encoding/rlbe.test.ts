/** RLBE (tsfile-format.md §10.11): Fibonacci run lengths, the top-bit quirk, FLOAT differences. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('RLBE', () => {
  it('codes a run of 4 as Fibonacci 1011 (1 + 3, then the closing 1)', () => {
    // 1 1 1 1 → entries 1 0 0 0, all of length 1: 000001 1011 1 0 0 0 → 06 e0.
    expect(hex(encodeValues(E.RLBE, T.INT32, Int32Array.of(1, 1, 1, 1)))).toBe('00 00 00 04 06 e0');
    expect([...(decodeValues(E.RLBE, T.INT32, bytes('00 00 00 04 06 e0'), 4) as Int32Array)]).toEqual([1, 1, 1, 1]);
  });

  it('writes entries of length W with the top bit cleared and restores it when reading [quirk]', () => {
    // 0 -1 → entries 0 (length 1) and -1 (length 32, stored as 0x7fffffff).
    const b = encodeValues(E.RLBE, T.INT32, Int32Array.of(0, -1));
    expect(hex(b)).toBe('00 00 00 02 07 41 bf ff ff ff 80');
    expect([...(decodeValues(E.RLBE, T.INT32, b, 2) as Int32Array)]).toEqual([0, -1]);
    const long = BigInt64Array.of(5n, -(2n ** 63n), 2n ** 63n - 1n, -1n);
    expect([...decodeTimes(E.RLBE, encodeValues(E.RLBE, T.INT64, long), 10)]).toEqual([...long]);
  });

  it('FLOAT stores floating-point differences and adds them back in float arithmetic', () => {
    const v = Float32Array.of(0.5, 0.75, 0.25, 1.5);
    const b = encodeValues(E.RLBE, T.FLOAT, v);
    expect([...(decodeValues(E.RLBE, T.FLOAT, b, 4) as Float32Array)]).toEqual([0.5, 0.75, 0.25, 1.5]);
    // 0.1 + (0.2 - 0.1) computed in float is not 0.2 in every case; the decoder must add in float like Java.
    const w = Float32Array.of(0.1, 0.2, 0.3);
    const back = decodeValues(E.RLBE, T.FLOAT, encodeValues(E.RLBE, T.FLOAT, w), 3) as Float32Array;
    const d1 = Math.fround(w[1]! - w[0]!);
    const d2 = Math.fround(w[2]! - w[1]!);
    expect([...back]).toEqual([w[0]!, Math.fround(w[0]! + d1), Math.fround(Math.fround(w[0]! + d1) + d2)]);
  });

  it('starts a new block (with its own first value) every 10 000 values', () => {
    const v = Int32Array.from({ length: 10003 }, (_, i) => i * 3);
    const b = encodeValues(E.RLBE, T.INT32, v);
    expect([...(decodeValues(E.RLBE, T.INT32, b, 10003) as Int32Array)]).toEqual([...v]);
    expect(hex(b.subarray(0, 4))).toBe('00 00 27 10');
  });
});
