/** RLE details (tsfile-format.md §10.3) beyond the byte examples. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { bytes, hex } from './helpers.js';

describe('RLE', () => {
  it('leading zeros repeat the initial preValue 0, and runs start only at group boundaries', () => {
    // 8 zeros: one RLE run of value 0 (width 1, one byte).
    expect(hex(encodeValues(E.RLE, T.INT32, new Int32Array(8)))).toBe('03 01 10 00');
    // 1 then 9 sevens: the run is cut by the group boundary, so everything is bit-packed (2 groups, 2 valid in the last).
    expect(hex(encodeValues(E.RLE, T.INT32, Int32Array.of(1, 7, 7, 7, 7, 7, 7, 7, 7, 7)))).toBe(
      hex(bytes('09 03 05 02 3f ff ff fc 00 00')),
    );
  });

  it('splits runs longer than 32767 values', () => {
    const b = encodeValues(E.RLE, T.INT32, new Int32Array(40000).fill(5));
    // width 3; run of 32767 (header fe ff 03), value 05; run of 7233 (header 82 71), value 05.
    expect(hex(b)).toBe(hex(bytes('08 03 fe ff 03 05 82 71 05')));
    expect((decodeValues(E.RLE, T.INT32, b, 40000) as Int32Array).every((v) => v === 5)).toBe(true);
  });

  it('starts a new bit-packed run after 63 groups', () => {
    const values = Int32Array.from({ length: 64 * 8 }, (_, i) => i % 2);
    const b = encodeValues(E.RLE, T.INT32, values);
    // length 69, width 1; first run header 63<<1|1 = 7f, last 08, 63 bytes; then 03 08 and 1 byte.
    expect(hex(b.subarray(0, 4))).toBe('45 01 7f 08');
    expect(hex(b.subarray(4 + 63))).toBe('03 08 55');
    expect([...(decodeValues(E.RLE, T.INT32, b, values.length) as Int32Array)]).toEqual([...values]);
  });

  it('run values are little-endian in the 32-bit variant and big-endian in the 64-bit one [quirk]', () => {
    expect(hex(encodeValues(E.RLE, T.INT32, new Int32Array(9).fill(300)))).toBe('04 09 12 2c 01');
    expect(hex(encodeValues(E.RLE, T.INT64, new BigInt64Array(9).fill(300n)))).toBe('04 09 12 01 2c');
    const neg = encodeValues(E.RLE, T.INT64, new BigInt64Array(9).fill(-2n));
    expect(hex(neg)).toBe('0a 40 12 ff ff ff ff ff ff ff fe');
    expect([...(decodeValues(E.RLE, T.INT64, neg, 9) as BigInt64Array)]).toEqual(new Array(9).fill(-2n));
  });

  it('reads packages back to back, and the empty page 00', () => {
    const two = bytes('05 02 03 03 6c 00 03 03 14 07');
    expect([...(decodeValues(E.RLE, T.INT32, two, 13) as Int32Array)]).toEqual([1, 2, 3, ...new Array(10).fill(7)]);
    expect(hex(encodeValues(E.RLE, T.INT32, new Int32Array(0)))).toBe('00');
    expect(decodeValues(E.RLE, T.INT32, bytes('00'), 0)).toEqual(new Int32Array(0));
    expect([...decodeTimes(E.RLE, bytes('04 09 12 01 2c 00'), 100)]).toEqual(new Array(9).fill(300n));
  });

  it('BOOLEAN reads any non-zero value as true', () => {
    expect([...(decodeValues(E.RLE, T.BOOLEAN, bytes('03 02 06 03'), 3) as Uint8Array)]).toEqual([1, 1, 1]);
  });
});
