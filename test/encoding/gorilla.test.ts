/** GORILLA and GORILLA_V1 details (tsfile-format.md §10.5, §10.6) beyond the byte examples. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('GORILLA', () => {
  it('adds a 00 byte when the stream already ends on a byte boundary [quirk]', () => {
    // INT32 0, 0 ... : 32 bits of 0, then '0' per repeat, then the sentinel (x = 0x80000000: '11' 00000 00000 '1') = 13 bits.
    // With 3 values: 0 0 11 00000 00000 1 = 15 bits → 30 02; with 4 values: 16 bits exactly → 18 01 and an extra 00.
    expect(hex(encodeValues(E.GORILLA, T.INT32, Int32Array.of(0, 0, 0)))).toBe('00 00 00 00 30 02');
    expect(hex(encodeValues(E.GORILLA, T.INT32, Int32Array.of(0, 0, 0, 0)))).toBe('00 00 00 00 18 01 00');
    expect([...(decodeValues(E.GORILLA, T.INT32, bytes('00 00 00 00 18 01 00'), 4) as Int32Array)]).toEqual([0, 0, 0, 0]);
  });

  it('keeps a genuine sentinel value inside a page when the count is known, and stops a time column at it', () => {
    const values = Int32Array.of(5, -2147483648, 7);
    expect([...(decodeValues(E.GORILLA, T.INT32, encodeValues(E.GORILLA, T.INT32, values), 3) as Int32Array)]).toEqual([...values]);
    const times = BigInt64Array.of(1n, -(2n ** 63n), 3n);
    expect([...decodeTimes(E.GORILLA, encodeValues(E.GORILLA, T.INT64, times), 10)]).toEqual([1n]);
  });

  it('keeps non-canonical NaN payloads (floatToRawIntBits)', () => {
    const f = new Float32Array(new Int32Array([0x7fc00001, 0x7f800001 | 0x400000, 0x3f800000]).buffer);
    const back = decodeValues(E.GORILLA, T.FLOAT, encodeValues(E.GORILLA, T.FLOAT, f), 3) as Float32Array;
    expect([...new Int32Array(back.buffer)]).toEqual([...new Int32Array(f.buffer)]);
  });
});

describe('GORILLA_V1', () => {
  it('writes the first value little-endian and ends with a NaN [quirk]', () => {
    // DOUBLE 1.0: first value LE, then NaN: x = 0x7ff8… ^ 0x3ff0… = 0x4008000000000000 (lz 1, tz 51, 12 bits)
    // → '11' 000001 0001100 100000000001 = 27 bits → c1 19 00 20.
    expect(hex(encodeValues(E.GORILLA_V1, T.DOUBLE, Float64Array.of(1)))).toBe('00 00 00 00 00 00 f0 3f c1 19 00 20');
    expect([...(decodeValues(E.GORILLA_V1, T.DOUBLE, bytes('00 00 00 00 00 00 f0 3f c1 19 00 20'), 1) as Float64Array)]).toEqual([1]);
  });

  it('uses the leading and trailing zeros of the previous value for the 10 window [quirk]', () => {
    // FLOAT 2.0 then 3.0: x = 0x00400000 (lz 9, tz 22); prev 2.0 = 0x40000000 has lz 1, tz 30 → tz 22 < 30, so '11'.
    // FLOAT 3.0 then 2.0 then 3.0: prev 3.0 = 0x40400000 (lz 1, tz 22) and x = 0x00400000 (lz 9 >= 1, tz 22 >= 22) → '10' + bits 30..22 of x.
    const v = Float32Array.of(3, 2, 3);
    const b = encodeValues(E.GORILLA_V1, T.FLOAT, v);
    // 3.0 LE | '10' 000000001 (2.0 ^ 3.0 = 0x00400000 in bits 30..22 of prev 3.0's window)
    //       | then 2.0 → 3.0 with prev 2.0 (lz 1, tz 30): '11' 01001 000001 1, then NaN.
    expect(hex(b.subarray(0, 4))).toBe('00 00 40 40');
    expect(b[4]! >> 6).toBe(0b10);
    expect([...(decodeValues(E.GORILLA_V1, T.FLOAT, b, 3) as Float32Array)]).toEqual([3, 2, 3]);
  });

  it('reads the rest of a page as NaN after a NaN that is not the first value, like the Java reader [quirk]', () => {
    const v = Float32Array.of(1, NaN, 5, 6);
    const b = encodeValues(E.GORILLA_V1, T.FLOAT, v);
    expect([...(decodeValues(E.GORILLA_V1, T.FLOAT, b, 4) as Float32Array)]).toEqual([1, NaN, NaN, NaN]);
    const first = Float32Array.of(NaN, 5, 6);
    expect([...(decodeValues(E.GORILLA_V1, T.FLOAT, encodeValues(E.GORILLA_V1, T.FLOAT, first), 3) as Float32Array)]).toEqual([NaN, 5, 6]);
  });
});
