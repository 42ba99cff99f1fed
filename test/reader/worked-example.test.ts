/** Reads the byte-exact worked example of tsfile-format.md §17 (see test/helpers/worked-example.ts). */
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';
import { epochVector } from '../../src/arrow/epoch-values.js';

describe('§17 worked example', () => {
  it('is the 275-byte file of the spec', () => {
    expect(WORKED_EXAMPLE.length).toBe(275);
  });

  it('reads back its devices, series, statistics and points', async () => {
    const reader = await TsFileReader.open(WORKED_EXAMPLE);
    expect(reader.version).toBe(4);
    expect(reader.metadata.metaOffset).toBe(0x3a);
    expect([...reader.metadata.properties]).toEqual([
      ['encryptLevel', '0'],
      ['encryptKey', ''],
      ['encryptType', 'UNENCRYPTED'],
    ]);
    expect(reader.metadata.bloomFilter?.sizeInBits).toBe(256);
    expect(reader.metadata.bloomFilter?.hashFunctionCount).toBe(5);
    const devices = await reader.devices();
    expect(devices.map((d) => [d.path, d.segments, d.aligned, d.model])).toEqual([['root.sg.d1', ['root.sg', 'd1'], false, 'tree']]);
    const [s] = await reader.timeseries('root.sg.d1');
    expect(s).toMatchObject({ measurement: 's1', dataType: 'INT32', encoding: 'PLAIN', compression: 'UNCOMPRESSED', points: 3, startTime: 1n, endTime: 3n, chunks: 1 });
    expect(s!.statistics).toMatchObject({ min: 10, max: 30, first: 10, last: 30, sum: 60n });
    const rows: [bigint, number][] = [];
    for await (const { device, batch } of reader.scan()) {
      expect(device).toBe('root.sg.d1');
      for (let i = 0; i < batch.numRows; i++) rows.push([epochVector(batch.getChildAt(0)!)[i]!, batch.getChildAt(1)!.get(i) as number]);
    }
    expect(rows).toEqual([
      [1n, 10],
      [2n, 20],
      [3n, 30],
    ]);
    await reader.close();
  });

  it('selects by time range from the statistics', async () => {
    const reader = await TsFileReader.open(WORKED_EXAMPLE);
    const times: bigint[] = [];
    for await (const { batch } of reader.scan({ startTime: 2, endTime: 2 })) times.push(...(batch.getChildAt(0)!.toArray() as BigInt64Array));
    expect(times).toEqual([2n]);
    for await (const _ of reader.scan({ startTime: 4 })) throw new Error('no rows expected after time 3');
    expect(reader.stats.chunksSkipped).toBe(0); // series statistics excluded it before any chunk was considered
  });
});
