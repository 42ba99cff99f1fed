/** TsBlock decoding against hand-built bytes: every column encoding, nulls, run-length, and corrupt input. */
import { describe, expect, it } from 'vitest';
import { decodeTsBlock } from '../../../src/connectors/iotdb/tsblock.js';
import { encodeTsBlock } from '../servers/iotdb-rpc-server.js';

describe('TsBlock', () => {
  it('decodes hand-written bytes: int32 column with a null, boolean bits MSB first', () => {
    const b = Buffer.from([
      0, 0, 0, 2, // two value columns
      1, 0, // INT32, BOOLEAN
      0, 0, 0, 3, // three rows
      2, 1, 0, // encodings: time int64 array, int32 array, byte array
      0, ...[0, 0, 0, 0, 0, 0, 0, 1], ...[0, 0, 0, 0, 0, 0, 0, 2], ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // times 1, 2, -1
      1, 0b0100_0000, ...[0xff, 0xff, 0xff, 0xfe], ...[0, 0, 0, 7], // row 1 null; values -2, 7
      0, 0b1010_0000, // booleans true, false, true
    ]);
    const t = decodeTsBlock(b);
    expect(t.rows).toBe(3);
    expect(Array.from(t.times)).toEqual([1n, 2n, -1n]);
    expect(t.columns).toEqual([[-2, null, 7], [true, false, true]]);
  });

  it('decodes a run-length column and every type the test server encodes', () => {
    const rle = Buffer.from([0, 0, 0, 1, 5, 0, 0, 0, 2, 2, 4, ...[0, ...Array(7).fill(0), 5, ...Array(7).fill(0), 6], 3, 0, 0, 0, 0, 2, 0x68, 0x69]);
    expect(decodeTsBlock(rle).columns[0]!.map((v) => Buffer.from(v as Uint8Array).toString())).toEqual(['hi', 'hi']);
    const types = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP'];
    const vals = [['true', null], ['-2147483648', '2147483647'], ['-9223372036854775808', null], ['-0', 'NaN'], ['1e-320', '-Infinity'], ['é', ''], [null, 'x'], ['0x00ff', '0x'], ['2024-02-29', null], ['9223372036854775807', '0']];
    const t = decodeTsBlock(encodeTsBlock(types, [5n, 6n], vals));
    expect(t.types).toEqual(types);
    expect(t.columns[2]).toEqual([-9223372036854775808n, null]);
    expect(Object.is(t.columns[3]![0], -0)).toBe(true);
    expect(Number.isNaN(t.columns[3]![1])).toBe(true);
    expect(t.columns[4]).toEqual([1e-320, -Infinity]);
    expect(Buffer.from(t.columns[7]![0] as Uint8Array).toString('hex')).toBe('00ff');
    expect(t.columns[8]).toEqual([20240229, null]);
  });

  it('refuses truncated, oversized and inconsistent blocks with a protocol error', () => {
    const good = encodeTsBlock(['INT64'], [1n], [['3']]);
    expect(() => decodeTsBlock(good.subarray(0, good.length - 1))).toThrow(/needs 8 bytes/);
    expect(() => decodeTsBlock(Buffer.concat([good, Buffer.from([0])]))).toThrow(/after the last column/);
    const badType = Buffer.from(good); badType[4] = 99;
    expect(() => decodeTsBlock(badType)).toThrow(/unknown data type 99/);
    const badEnc = Buffer.from(good); badEnc[10] = 1;
    expect(() => decodeTsBlock(badEnc)).toThrow(/cannot hold INT64/);
    expect(() => decodeTsBlock(Buffer.from([0x7f, 0xff, 0xff, 0xff]))).toThrow(/value columns/);
  });
});
