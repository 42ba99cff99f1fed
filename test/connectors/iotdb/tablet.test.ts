import { describe, expect, it } from 'vitest';
import { viewBatch } from '../../../src/connectors/core/columns.js';
import { buildTablet, TS_DATA_TYPE } from '../../../src/connectors/iotdb/tablet.js';
import { allTypesBatch, deviceBatch } from '../batches.js';

describe('IoTDB tablet buffers', () => {
  it('sorts rows by time and lays out BE values, TEXT lengths and the bitmap section byte for byte', () => {
    const view = viewBatch(deviceBatch('root.sg.d1', [2, 1], [
      { name: 'i', type: 'INT32', values: [5, null] },
      { name: 's', type: 'TEXT', values: ['ab', 'c'] },
    ]));
    const t = buildTablet(view, 0, 2);
    expect(t.size).toBe(2);
    expect(t.timestamps.toString('hex')).toBe('0000000000000001' + '0000000000000002');
    // INT32: row(time 1) null placeholder 0, row(time 2) 5; TEXT: "c", "ab"; markers: i has nulls (bit 0), s none.
    expect(t.values.toString('hex')).toBe('00000000' + '00000005' + '00000001' + '63' + '00000002' + '6162' + '01' + '01' + '00');
    expect(t.types).toEqual([1, 5]);
  });

  it('omits the bitmap section when the range has no null and uses size/8+1 bytes otherwise', () => {
    const n = 16;
    const times = Array.from({ length: n }, (_, i) => i);
    const vals = times.map((i) => (i === 15 ? null : i * 1.5));
    const view = viewBatch(deviceBatch('root.d', times, [{ name: 'v', type: 'DOUBLE', values: vals }]));
    const noNulls = buildTablet(view, 0, 8);
    expect(noNulls.values.length).toBe(8 * 8);
    expect(noNulls.values.readDoubleBE(8)).toBe(1.5);
    const withNulls = buildTablet(view, 0, 16);
    expect(withNulls.values.length).toBe(16 * 8 + 1 + 3);
    expect([...withNulls.values.subarray(128)]).toEqual([1, 0x00, 0x80, 0x00]);
  });

  it('encodes every type: BOOLEAN byte, DATE as yyyymmdd, INT64 beyond 2^53, FLOAT/DOUBLE IEEE BE, BLOB bytes', () => {
    const t = buildTablet(viewBatch(allTypesBatch()), 0, 3);
    expect(t.types).toEqual(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP'].map((x) => TS_DATA_TYPE[x as 'INT32']));
    const v = t.values;
    let p = 0;
    expect([...v.subarray(p, p + 3)]).toEqual([1, 0, 0]); p += 3;
    expect([v.readInt32BE(p), v.readInt32BE(p + 4)]).toEqual([-5, 2147483647]); p += 12;
    expect([v.readBigInt64BE(p + 8), v.readBigInt64BE(p + 16)]).toEqual([9007199254740993n, -1n]); p += 24;
    expect([v.readFloatBE(p), v.readFloatBE(p + 8)]).toEqual([1.5, -0.25]); p += 12;
    expect([v.readDoubleBE(p), v.readDoubleBE(p + 8)]).toEqual([0.1, 1e300]); p += 24;
    expect(v.readInt32BE(p)).toBe(5); p += 4 + 5;
    const second = v.readInt32BE(p); p += 4 + second;
    expect(v.readInt32BE(p)).toBe(0); p += 4; // null TEXT: length 0
    expect(v.readInt32BE(p)).toBe(0); p += 4; // null STRING
    const u = v.readInt32BE(p); expect(v.subarray(p + 4, p + 4 + u).toString()).toBe('héllo wörld ✓'); p += 4 + u;
    expect(v.readInt32BE(p)).toBe(0); p += 4; // empty STRING
    expect(v.subarray(p, p + 6).toString('hex')).toBe('000000020' + '0ff'); p += 6;
    p += 4 + 4; // null BLOB, empty BLOB
    expect([v.readInt32BE(p), v.readInt32BE(p + 4), v.readInt32BE(p + 8)]).toEqual([20240101, 10000101, 19691231]); p += 12;
    expect([v.readBigInt64BE(p), v.readBigInt64BE(p + 8)]).toEqual([0n, 1700000000123n]); p += 24;
    // Bitmap section: every column has exactly one null except none; markers all 1 with 1 byte each.
    const markers: number[] = [];
    while (p < v.length) { markers.push(v[p]!); p += v[p] === 1 ? 2 : 1; }
    expect(markers).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(p).toBe(v.length);
  });

  it('puts constant tag columns first as STRING', () => {
    const view = viewBatch(deviceBatch('t.north', [1], [{ name: 'v', type: 'INT32', values: [7] }], { table: 't', tags: ['north'] }));
    const t = buildTablet(view, 0, 1, 't', [{ name: 'region', value: 'north' }]);
    expect(t.measurements).toEqual(['region', 'v']);
    expect(t.values.toString('hex')).toBe('00000005' + Buffer.from('north').toString('hex') + '00000007');
  });
});
