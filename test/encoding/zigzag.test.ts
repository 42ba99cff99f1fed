/** ZIGZAG (tsfile-format.md §10.8): packages, the empty page, 64-bit varints. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('ZIGZAG', () => {
  it('writes nothing for an empty page', () => {
    expect(encodeValues(E.ZIGZAG, T.INT32, new Int32Array(0)).length).toBe(0);
    expect(decodeValues(E.ZIGZAG, T.INT64, new Uint8Array(0), 0)).toEqual(new BigInt64Array(0));
  });

  it('reads several packages back to back', () => {
    expect([...(decodeValues(E.ZIGZAG, T.INT32, bytes('04 03 02 01 d8 04 01 01 05'), 4) as Int32Array)]).toEqual([1, -1, 300, -3]);
  });

  it('INT64 extremes take 10-byte varints', () => {
    const b = encodeValues(E.ZIGZAG, T.INT64, BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n));
    expect(hex(b)).toBe('14 02 ff ff ff ff ff ff ff ff ff 01 fe ff ff ff ff ff ff ff ff 01');
    expect([...decodeTimes(E.ZIGZAG, b, 5)]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
  });
});
