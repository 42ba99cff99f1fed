/** SPRINTZ (tsfile-format.md §10.10): block layout per type, the tail encoders, and the FIRE predictor. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { hex } from './helpers.js';

describe('SPRINTZ', () => {
  it('INT64 blocks store the first value as i64 and the tail as a 64-bit RLE stream', () => {
    const v = BigInt64Array.from({ length: 11 }, (_, i) => BigInt(i + 1));
    const b = encodeValues(E.SPRINTZ, T.INT64, v);
    // Residuals are all 1 (as for INT32 in §10.10): width 1, i64 first value, one byte of ones.
    expect(hex(b.subarray(0, 10))).toBe('01 00 00 00 00 00 00 00 01 ff');
    // Tail: 0x80|2, then RLE (64-bit, big-endian run values) of 10, 11.
    expect(hex(b.subarray(10))).toBe('82 07 04 03 02 ab 00 00 00');
    expect([...(decodeValues(E.SPRINTZ, T.INT64, b, 11) as BigInt64Array)]).toEqual([...v]);
  });

  it('FLOAT stores the first value as f32 and the tail as a GORILLA FLOAT stream', () => {
    const v = Float32Array.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 2.5);
    const b = encodeValues(E.SPRINTZ, T.FLOAT, v);
    // Identical bits: every residual 0, width 1 → 01, 3f 80 00 00, 00; tail 0x81 + GORILLA FLOAT of 2.5.
    expect(hex(b.subarray(0, 6))).toBe('01 3f 80 00 00 00');
    expect(b[6]).toBe(0x81);
    expect(hex(b.subarray(7))).toBe(hex(encodeValues(E.GORILLA, T.FLOAT, Float32Array.of(2.5))));
    expect([...(decodeValues(E.SPRINTZ, T.FLOAT, b, 10) as Float32Array)]).toEqual([...v]);
  });

  it('INT32 first values are the uvarint of the bit pattern (negative values take 5 bytes)', () => {
    const v = new Int32Array(9).fill(-1);
    expect(hex(encodeValues(E.SPRINTZ, T.INT32, v))).toBe('01 ff ff ff ff 0f 00');
  });

  it('the FIRE predictor learns a linear trend (residuals shrink), and decoding follows it', () => {
    const v = Int32Array.from({ length: 900 }, (_, i) => 1000 + i * 37 + (i % 3));
    const b = encodeValues(E.SPRINTZ, T.INT32, v);
    expect([...(decodeValues(E.SPRINTZ, T.INT32, b, 900) as Int32Array)]).toEqual([...v]);
    const t = BigInt64Array.from({ length: 905 }, (_, i) => 1_700_000_000_000n + BigInt(i * 1000 - (i % 5)));
    expect([...decodeTimes(E.SPRINTZ, encodeValues(E.SPRINTZ, T.INT64, t), 1000)]).toEqual([...t]);
  });
});
