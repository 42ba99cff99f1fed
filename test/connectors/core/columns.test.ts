import { Field, Float64, Int16, Int64, makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { isTsFileError } from '../../../src/io/errors.js';
import { ByteBuffer, utf8Length } from '../../../src/connectors/core/byte-buffer.js';
import { daysToIso, daysToYmd, int64Text, viewBatch } from '../../../src/connectors/core/columns.js';
import { appendCsvRows, DEFAULT_LAYOUT } from '../../../src/connectors/starrocks/rows.js';
import { buildTablet } from '../../../src/connectors/iotdb/tablet.js';
import { utcDateTime } from '../../../src/connectors/core/time-format.js';
import { allTypesBatch, deviceBatch } from '../batches.js';

const csv = (item: ReturnType<typeof allTypesBatch>, from = 0, to?: number): string => {
  const v = viewBatch(item);
  const out = new ByteBuffer(16);
  appendCsvRows(out, v, from, to ?? v.rows, DEFAULT_LAYOUT, 't');
  return Buffer.from(out.contents()).toString();
};

describe('column views', () => {
  it('read sliced batches (Data offsets, bit offsets of validity and BOOLEAN) like the rows they came from', () => {
    const times = Array.from({ length: 21 }, (_, i) => i);
    const item = deviceBatch('root.s', times, [
      { name: 'b', type: 'BOOLEAN', values: times.map((i) => (i % 4 === 0 ? null : i % 3 === 0)) },
      { name: 'l', type: 'INT64', values: times.map((i) => (i % 5 === 0 ? null : BigInt(i) * 1_000_000_000_000n)) },
      { name: 's', type: 'STRING', values: times.map((i) => (i % 7 === 0 ? null : `t${i}`)) },
      { name: 'f', type: 'FLOAT', values: times.map((i) => (i % 6 === 0 ? null : i / 8)) },
    ]);
    const whole = csv(item).split('\n');
    for (const [from, to] of [[3, 11], [9, 21], [1, 2]] as const) {
      const slice = { device: item.device, batch: item.batch.slice(from, to) };
      expect(csv(slice).split('\n').slice(0, -1)).toEqual(whole.slice(from, to));
      const direct = buildTablet(viewBatch(item), from, to);
      const sliced = buildTablet(viewBatch(slice), 0, to - from);
      expect(sliced.values.equals(direct.values)).toBe(true);
      expect(sliced.timestamps.equals(direct.timestamps)).toBe(true);
    }
  });

  it('converts day numbers to civil dates across eras', () => {
    expect(daysToYmd(0)).toBe(19700101);
    expect(daysToYmd(-1)).toBe(19691231);
    expect(daysToYmd(19723)).toBe(20240101);
    expect(daysToYmd(11016)).toBe(20000229);
    expect(daysToYmd(-719162)).toBe(10101);
    expect(daysToIso(-719162)).toBe('0001-01-01');
    for (let d = -800_000; d < 800_000; d += 997) {
      const iso = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (!iso.startsWith('-') && !iso.startsWith('+')) expect(daysToIso(d)).toBe(iso);
    }
  });

  it('formats UTC date-times and int64 values beyond 2^53', () => {
    expect(utcDateTime(0)).toBe('1970-01-01 00:00:00.000');
    expect(utcDateTime(-1)).toBe('1969-12-31 23:59:59.999');
    expect(utcDateTime(1_700_000_000_123)).toBe(new Date(1_700_000_000_123).toISOString().replace('T', ' ').slice(0, 23));
    const words = new Int32Array(BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, -5n]).buffer);
    expect([0, 1, 2].map((r) => int64Text(words, r))).toEqual(['-9223372036854775808', '9223372036854775807', '-5']);
  });

  it('appends integers and UTF-8 exactly', () => {
    const b = new ByteBuffer(4);
    for (const v of [0, -1, 7, 10, 99, 123456789, -2147483648, 9007199254740991, -9007199254740991]) { b.int(v); b.byte(32); }
    b.utf8('é✓😀');
    expect(Buffer.from(b.contents()).toString()).toBe('0 -1 7 10 99 123456789 -2147483648 9007199254740991 -9007199254740991 é✓😀');
    expect(utf8Length('é✓😀a')).toBe(Buffer.byteLength('é✓😀a'));
  });

  it('refuses Arrow data that does not match its declared or implied type, with a typed error', () => {
    const batchOf = (field: Field, data: Data): { device: string; batch: RecordBatch } => {
      const time = makeData({ type: new Int64(), length: 2, data: BigInt64Array.from([1n, 2n]) });
      const fields = [new Field('time', new Int64(), false), field];
      return { device: 'root.x', batch: new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: 2, children: [time, data] })) };
    };
    const wrongMeta = batchOf(new Field('v', new Float64(), true, new Map([['tsfile.type', 'INT32']])), makeData({ type: new Float64(), length: 2, data: Float64Array.from([1, 2]) }));
    let e: unknown;
    try { viewBatch(wrongMeta); } catch (x) { e = x; }
    expect(isTsFileError(e, 'INVALID_ARGUMENT')).toBe(true);
    expect(String(e)).toContain('declared INT32');
    const int16 = batchOf(new Field('v', new Int16(), true), makeData({ type: new Int16(), length: 2, data: Int16Array.from([1, 2]) }));
    e = undefined;
    try { viewBatch(int16); } catch (x) { e = x; }
    expect(isTsFileError(e, 'UNSUPPORTED')).toBe(true);
  });
});
