/** The float wrapper of RLE/TS_2DIFF on FLOAT/DOUBLE (tsfile-format.md §10.3.4): Java's rounding and overflow. */
import { describe, expect, it } from 'vitest';
import { decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { hex } from './helpers.js';

describe('float wrapper', () => {
  it('rounds half up like Java Math.round (towards +infinity)', () => {
    const b = encodeValues(E.RLE, T.DOUBLE, Float64Array.of(0.125, -0.125, 0.135), { maxPointNumber: 2 });
    // 12.5 → 13, -12.5 → -12, 13.5 → 14 (0.135 * 100 = 13.5 exactly? no: 13.500000000000002 → 14).
    expect([...(decodeValues(E.RLE, T.DOUBLE, b, 3) as Float64Array)]).toEqual([0.13, -0.12, 0.14]);
  });

  it('FLOAT keeps the low 32 bits of the saturated long; NaN becomes 0', () => {
    // 3e38 * 100 saturates to Long.MAX_VALUE, whose low 32 bits are -1 → -0.01.
    const b = encodeValues(E.TS_2DIFF, T.FLOAT, Float32Array.of(3e38, NaN, -Infinity, 30000000));
    const back = [...(decodeValues(E.TS_2DIFF, T.FLOAT, b, 4) as Float32Array)];
    expect(back[0]).toBe(Math.fround(-0.01));
    expect(back[1]).toBe(0);
    expect(back[2]).toBe(0);
    // 3e9 does not fit an int: its low 32 bits are 3e9 - 2^32.
    expect(back[3]).toBe(Math.fround((3e9 - 2 ** 32) / 100));
  });

  it('writes maxPointNumber once at the start of the page', () => {
    // 1 | RLE of 15: length 7, width 4, one bit-packed group holding 1 value (1111 then padding).
    expect(hex(encodeValues(E.RLE, T.FLOAT, Float32Array.of(1.5), { maxPointNumber: 1 }))).toBe('01 07 04 03 01 f0 00 00 00');
  });
});
