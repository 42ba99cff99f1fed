/**
 * Arrow's `Data.slice` slices value and offset buffers to row 0 and keeps `offset` only for bit
 * positions: sliced batches must write and export the rows they show, not the rows before them.
 */
import { RecordBatch, tableFromArrays, vectorFromArray, Utf8, makeData, Struct, Schema, Field, Float64, TimestampMillisecond } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { StringSink } from '../../src/export/text-sink.js';
import { exportJsonLines } from '../../src/export/jsonl.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from '../writer/read-back.js';

describe('sliced Arrow data', () => {
  it('the writer stores the rows of a sliced batch', async () => {
    const n = 10;
    const time = new BigInt64Array(n).map((_, i) => BigInt(i * 10));
    const v = new Float64Array(n).map((_, i) => i + 0.5);
    const s = vectorFromArray(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `t${i}`)), new Utf8());
    const schema = new Schema([new Field('time', new TimestampMillisecond(), false), new Field('v', new Float64(), true), new Field('s', new Utf8(), true)]);
    const full = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: [makeData({ type: new TimestampMillisecond(), length: n, data: time }), makeData({ type: new Float64(), length: n, data: v }), s.data[0]!] }));
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { threads: 0 });
    w.registerAlignedDevice('root.s.d', [{ measurement: 'v', dataType: 'DOUBLE' }, { measurement: 's', dataType: 'TEXT' }]);
    await w.write('root.s.d', full.slice(3, 8));
    await w.close();
    const back = (await readBack(sink.bytes())).get('root.s.d')!;
    expect(back.get('v')).toEqual({ times: [30n, 40n, 50n, 60n, 70n], values: [3.5, 4.5, 5.5, 6.5, 7.5] });
    expect(back.get('s')).toEqual({ times: [40n, 50n, 70n], values: ['t4', 't5', 't7'] });
  });

  it('JSON lines from small (sliced) batches equal those from whole windows', async () => {
    const sink = new MemorySink();
    const w = await TsFileWriter.open(sink, { threads: 0 });
    w.registerAlignedDevice('root.s.d', [{ measurement: 'a', dataType: 'INT64' }, { measurement: 'b', dataType: 'STRING' }]);
    const t = tableFromArrays({ time: new BigInt64Array(50).map((_, i) => BigInt(i)), a: new BigInt64Array(50).map((_, i) => BigInt(i * i)) });
    await w.write('root.s.d', { time: t.getChild('time')!.toArray() as BigInt64Array, columns: { a: t.getChild('a')!.toArray() as BigInt64Array, b: Array.from({ length: 50 }, (_, i) => (i % 4 ? `x${i}` : null)) } });
    await w.close();
    const r = await TsFileReader.open(sink.bytes(), { threads: 0 });
    const whole = new StringSink();
    await exportJsonLines(r, whole);
    const small = new StringSink();
    await exportJsonLines(r, small, { batchRows: 7 });
    await r.close();
    expect(small.toString()).toBe(whole.toString());
    expect(whole.toString().split('\n')[9]).toBe('{"device":"root.s.d","time":9,"a":81,"b":"x9"}');
  });
});
