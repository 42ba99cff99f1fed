/** PLAIN (tsfile-format.md §10.2, §1.1): big-endian layouts, canonical NaN, booleans. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('PLAIN', () => {
  it('INT64 and TIMESTAMP are big-endian i64', () => {
    expect(hex(encodeValues(E.PLAIN, T.INT64, BigInt64Array.of(-2n, 0x0102030405060708n)))).toBe('ff ff ff ff ff ff ff fe 01 02 03 04 05 06 07 08');
    expect([...decodeTimes(E.PLAIN, bytes('00 00 01 8b cf e5 68 00'), 1)]).toEqual([0x18bcfe56800n]);
  });

  it('FLOAT and DOUBLE are big-endian IEEE bits with NaN written canonically (floatToIntBits)', () => {
    const f = new Float32Array(new Int32Array([0x3f800000, 0x7f800001 | 0x400000 | 5]).buffer);
    expect(hex(encodeValues(E.PLAIN, T.FLOAT, f))).toBe('3f 80 00 00 7f c0 00 00');
    expect(hex(encodeValues(E.PLAIN, T.DOUBLE, Float64Array.of(-0, NaN)))).toBe('80 00 00 00 00 00 00 00 7f f8 00 00 00 00 00 00');
  });

  it('reads every bit of stored floats, NaN payloads and signalling NaNs included', () => {
    const f = decodeValues(E.PLAIN, T.FLOAT, bytes('7f 80 00 01 ff c1 23 45'), 2) as Float32Array;
    expect([...new Uint32Array(f.buffer)].map((x) => x.toString(16))).toEqual(['7f800001', 'ffc12345']);
    const d = decodeValues(E.PLAIN, T.DOUBLE, bytes('7f f0 00 00 00 00 00 01 ff f1 23 45 67 89 ab cd'), 2) as Float64Array;
    expect([...new Uint32Array(d.buffer)].map((x) => x.toString(16))).toEqual(['1', '7ff00000', '6789abcd', 'fff12345']);
  });

  it('BOOLEAN reads exactly 01 as true', () => {
    expect([...(decodeValues(E.PLAIN, T.BOOLEAN, bytes('01 00 02 ff'), 4) as Uint8Array)]).toEqual([1, 0, 0, 0]);
  });

  it('INT32 decodes the Java zig-zag form; the C++ shift-only form agrees for non-negative values', () => {
    // C++ writes v << 1 as a uvarint: identical to zig-zag for v >= 0 (the C++ fixtures only hold such values).
    expect([...(decodeValues(E.PLAIN, T.INT32, bytes('00 02 fe ff ff ff 0f'), 3) as Int32Array)]).toEqual([0, 1, 2147483647]);
  });
});
