/** Bounded memory (§16.1 chunk group size): buffered data is flushed as chunk groups while writing. */
import { describe, expect, it } from 'vitest';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from './read-back.js';

describe('chunk group flushing', () => {
  it('keeps the buffered bytes under the threshold and writes chunk groups before close', async () => {
    const sink = new MemorySink();
    const limit = 64 * 1024;
    const w = await TsFileWriter.open(sink, { chunkGroupSizeBytes: limit, maxPointsPerPage: 1000 });
    w.registerTimeseries('root.m.d', [{ measurement: 'v', dataType: 'DOUBLE', encoding: 'PLAIN', compression: 'UNCOMPRESSED' }]);
    w.registerAlignedDevice('root.m.a', [{ measurement: 'x', dataType: 'INT64', encoding: 'PLAIN', compression: 'UNCOMPRESSED' }]);
    const n = 20_000;
    let maxBuffered = 0;
    const writtenDuring: number[] = [];
    for (let b = 0; b < 20; b++) {
      const time = BigInt64Array.from({ length: n / 20 }, (_, i) => BigInt(b * (n / 20) + i));
      await w.write('root.m.d', { time, columns: { v: Float64Array.from(time, (t) => Number(t) / 8) } });
      await w.write('root.m.a', { time, columns: { x: BigInt64Array.from(time, (t) => t * 2n) } });
      maxBuffered = Math.max(maxBuffered, w.bufferedBytes);
      writtenDuring.push(w.bytesWritten);
    }
    expect(maxBuffered).toBeLessThan(limit + 2 * 16 * 1000);
    expect(writtenDuring[writtenDuring.length - 1]!).toBeGreaterThan(200_000);
    await w.close();
    const reader = await TsFileReader.open(sink.bytes());
    const [series] = await reader.timeseries('root.m.d');
    expect(series!.chunks).toBeGreaterThan(3);
    expect(series!.points).toBe(n);
    await reader.close();
    const back = await readBack(sink.bytes());
    const v = back.get('root.m.d')!.get('v')!;
    expect(v.values.length).toBe(n);
    expect(v.values[12345]).toBe(12345 / 8);
    expect(back.get('root.m.a')!.get('x')!.values[n - 1]).toBe(BigInt(n - 1) * 2n);
  });
});
