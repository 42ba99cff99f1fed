/** REGULAR, decode only (tsfile-format.md §10.12): blocks with and without a missing-point bitmap. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes } from './helpers.js';

describe('REGULAR', () => {
  it('a block without missing points is first + k * minDelta', () => {
    const src = bytes('00 | 00 00 00 04 | 00 00 00 00 00 00 03 e8 | 00 00 01 8b cf e5 68 00');
    const t0 = 0x18bcfe56800n;
    expect([...decodeTimes(E.REGULAR, src, 10)]).toEqual([t0, t0 + 1000n, t0 + 2000n, t0 + 3000n]);
  });

  it('reads the bitmap in BitSet order and several blocks in a row', () => {
    const a = bytes('01 00 00 00 01 17 00 00 00 05 00 00 00 0a 00 00 00 0a');
    const b = bytes('00 00 00 00 02 ff ff ff ff 00 00 00 07');
    const src = new Uint8Array([...a, ...b]);
    expect([...(decodeValues(E.REGULAR, T.INT32, src, 6) as Int32Array)]).toEqual([10, 20, 30, 50, 7, 6]);
  });
});
