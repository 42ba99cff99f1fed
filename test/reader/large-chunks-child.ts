/**
 * Child process of large-chunks.test.ts, so that each measurement sees only its own memory:
 *   write PATH POINTS  writes a file whose chunk groups hold POINTS rows each (hundreds of MB)
 *   scan PATH THREADS  scans it and prints rows, a checksum of every value, time order and peak RSS
 * The values are small integers (as DOUBLE / INT64), so the checksum is exact and computable.
 */
// The modules come from the compiled build when the parent says it is current (its worker threads
// then load plain JavaScript, as users' do), otherwise from the TypeScript sources.
const root = process.env.TSFILE_BUILD === undefined ? '../../src' : `${process.env.TSFILE_BUILD}/src`;
const ext = process.env.TSFILE_BUILD === undefined ? '.ts' : '.js';
const load = (m: string) => import(`${root}/${m}${ext}`);
const { installPoolRunner, destroySharedPool } = (await load('engine/pool-runner')) as typeof import('../../src/engine/pool-runner.js');
await load('compression/native');
await load('local-files');
const { TsFileReader } = (await load('reader/tsfile-reader')) as typeof import('../../src/reader/tsfile-reader.js');
const { TsFileWriter } = (await load('writer/tsfile-writer')) as typeof import('../../src/writer/tsfile-writer.js');

const [mode, path, arg] = process.argv.slice(2);

const GROUPS = 2;
const value = (series: number, i: number) => ((i * (series + 3)) % 1000) - 500;

if (mode === 'write') {
  const points = Number(arg);
  const w = await TsFileWriter.open(path!, { chunkGroupSizeBytes: 1 << 30, maxPointsPerPage: 10_000 });
  w.registerTimeseries('root.big.plain', [0, 1, 2].map((s) => ({ measurement: `s${s}`, dataType: 'DOUBLE' as const, encoding: 'PLAIN' as const, compression: 'UNCOMPRESSED' as const })));
  w.registerAlignedDevice('root.big.aligned', [
    { measurement: 'a', dataType: 'INT64', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
    { measurement: 'b', dataType: 'DOUBLE', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
  ]);
  const step = 1 << 20;
  for (let g = 0; g < GROUPS; g++) {
    for (let lo = 0; lo < points; lo += step) {
      const n = Math.min(step, points - lo);
      const at = g * points + lo;
      const time = BigInt64Array.from({ length: n }, (_, i) => BigInt(at + i) * 1000n + 2n ** 33n);
      const col = (s: number) => Float64Array.from({ length: n }, (_, i) => value(s, at + i));
      await w.write('root.big.plain', { time, columns: { s0: col(0), s1: col(1), s2: col(2) } });
      if (g === 0) await w.write('root.big.aligned', { time, columns: { a: BigInt64Array.from({ length: n }, (_, i) => BigInt(value(3, at + i))), b: col(4) } });
    }
    await w.flush();
  }
  await w.close();
} else if (mode === 'scan') {
  installPoolRunner();
  const threads = Number(arg);
  const reader = await TsFileReader.open(path!, { threads, ...(process.env.MAX_IN_FLIGHT ? { maxBytesInFlight: Number(process.env.MAX_IN_FLIGHT) } : {}) });
  let rows = 0;
  let checksum = 0;
  let ordered = true;
  const last = new Map<string, bigint>();
  for await (const { device, batch } of reader.scan({ threads })) {
    rows += batch.numRows;
    const times = batch.getChildAt(0)!.data[0]!.values as BigInt64Array;
    if (times.length > 0) {
      const prev = last.get(device);
      if (prev !== undefined && times[0]! <= prev) ordered = false;
      for (let i = 1; i < times.length; i++) if (times[i]! <= times[i - 1]!) ordered = false;
      last.set(device, times[times.length - 1]!);
    }
    for (let c = 1; c < batch.numCols; c++) {
      const v = batch.getChildAt(c)!.data[0]!.values as Float64Array | BigInt64Array;
      if (v instanceof BigInt64Array) for (let i = 0; i < v.length; i++) checksum += Number(v[i]!);
      else for (let i = 0; i < v.length; i++) checksum += v[i]!;
    }
  }
  await reader.close();
  await destroySharedPool();
  const stats = reader.stats;
  console.log(JSON.stringify({ rows, checksum, ordered, maxRssBytes: process.resourceUsage().maxRSS * 1024, bytesRead: stats.bytesRead, pagesDecoded: stats.pagesDecoded }));
}
