/** TS_2DIFF details (tsfile-format.md §10.4) beyond the byte examples. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('TS_2DIFF', () => {
  it('ignores minDelta and width of a single-value block (the C++ writer leaves stale ones) [quirk]', () => {
    const src = bytes('00 00 00 00 | 00 00 00 06 | ff ff ff ff ff ff ff e2 | 00 00 00 00 00 00 09 56');
    expect([...decodeTimes(E.TS_2DIFF, src, 10)]).toEqual([0x956n]);
    expect([...(decodeValues(E.TS_2DIFF, T.INT32, bytes('00 00 00 00 00 00 00 08 ff ff ff 9e 00 00 1a 66'), 1) as Int32Array)]).toEqual([0x1a66]);
  });

  it('ignores padding bits after the last delta [quirk]', () => {
    // §10.4 INT32 example with the 7 padding bits of its last byte set.
    const v = decodeValues(E.TS_2DIFF, T.INT32, bytes('00 00 00 03 00 00 00 03 ff ff ff fe 00 00 00 0a 94 7f'), 4);
    expect([...(v as Int32Array)]).toEqual([10, 12, 15, 13]);
  });

  it('writes full blocks of 1 + 128 values and a partial last block', () => {
    const values = BigInt64Array.from({ length: 300 }, (_, i) => BigInt(i * 3));
    const b = encodeValues(E.TS_2DIFF, T.INT64, values);
    // Block 1: n = 128, width 0 (all deltas equal), minDelta 3, first 0; block 2 starts at 129*3.
    expect(hex(b.subarray(0, 24))).toBe(hex(bytes('00 00 00 80 00 00 00 00 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00 00')));
    expect(hex(b.subarray(24, 48))).toBe(hex(bytes('00 00 00 80 00 00 00 00 00 00 00 00 00 00 00 03 00 00 00 00 00 00 01 83')));
    expect(hex(b.subarray(48, 56))).toBe(hex(bytes('00 00 00 29 00 00 00 00')));
    expect(b.length).toBe(72);
    expect([...decodeTimes(E.TS_2DIFF, b, 300)]).toEqual([...values]);
  });

  it('handles deltas of every width, 64-bit wrapping included', () => {
    for (let width = 1; width <= 64; width++) {
      const step = (1n << BigInt(width - 1)) + 1n;
      const values = BigInt64Array.from({ length: 140 }, (_, i) => BigInt.asIntN(64, BigInt(i % 2) * step - 7n + BigInt(i)));
      const b = encodeValues(E.TS_2DIFF, T.INT64, values);
      expect([...(decodeValues(E.TS_2DIFF, T.INT64, b, 140) as BigInt64Array)], `width ${width}`).toEqual([...values]);
    }
    const wrap = BigInt64Array.of(2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n - 1n, 0n);
    expect([...decodeTimes(E.TS_2DIFF, encodeValues(E.TS_2DIFF, T.INT64, wrap), 4)]).toEqual([...wrap]);
    const wrap32 = Int32Array.of(2147483647, -2147483648, 5, -2147483648);
    expect([...(decodeValues(E.TS_2DIFF, T.INT32, encodeValues(E.TS_2DIFF, T.INT32, wrap32), 4) as Int32Array)]).toEqual([...wrap32]);
  });

  it('an empty time column is an empty stream', () => {
    expect(decodeTimes(E.TS_2DIFF, new Uint8Array(0), 10).length).toBe(0);
    expect(encodeValues(E.TS_2DIFF, T.INT64, new BigInt64Array(0)).length).toBe(0);
  });
});
