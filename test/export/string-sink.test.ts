/** StringSink keeps binary output intact: Arrow IPC bytes written through it read back whole. */
import { tableFromIPC } from 'apache-arrow';
import { expect, it } from 'vitest';
import { exportArrowIpc } from '../../src/export/arrow-ipc.js';
import { StringSink } from '../../src/export/text-sink.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';

it('Arrow IPC through a StringSink reads back every row', async () => {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { threads: 0 });
  w.registerTimeseries('root.b.d', [{ measurement: 'v', dataType: 'DOUBLE' }]);
  const n = 50_000;
  await w.write('root.b.d', { time: new BigInt64Array(n).map((_, i) => BigInt(i)), columns: { v: new Float64Array(n).map((_, i) => Math.sin(i)) } });
  await w.close();
  const r = await TsFileReader.open(sink.bytes(), { threads: 0 });
  const out = new StringSink();
  expect(await exportArrowIpc(r, out)).toBe(n);
  await r.close();
  const t = tableFromIPC(out.bytes());
  expect(t.numRows).toBe(n);
  expect(t.getChild('v')!.get(n - 1)).toBe(Math.sin(n - 1));
});
