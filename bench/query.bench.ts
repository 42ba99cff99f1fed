/**
 * The cross-device query on ../shared/fixtures/large/large_20m.tsfile (10 devices × 4 series, 10 000-
 * point pages), one thread, bytes in memory: three devices' ts_i64 and gor_dbl joined on time, with
 * a selective value filter (the top of one walk, from its statistics) against the same query
 * without a filter and against a plain scan of the same series (device by device, no join) — same
 * run — with pages decoded and skipped. Run: npm run bench:query
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import '../src/compression/native.js';
import { TsFileReader } from '../src/reader/tsfile-reader.js';
import type { QueryOptions } from '../src/reader/query.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, '../../shared/fixtures/large/large_20m.tsfile');
const bytes = new Uint8Array(readFileSync(file));

const devices = ['root.bench.d0', 'root.bench.d1', 'root.bench.d2'];
const paths = devices.flatMap((d) => [`${d}.ts_i64`, `${d}.gor_dbl`]);

// A threshold 1% of the way below the maximum of d0's walk: few pages can reach it.
const probe = await TsFileReader.open(bytes, { threads: 0 });
const s = (await probe.timeseries('root.bench.d0')).find((x) => x.measurement === 'ts_i64')!.statistics as { min: bigint; max: bigint };
await probe.close();
const threshold = s.max - (s.max - s.min) / 100n;
const filter = `root.bench.d0.ts_i64 >= ${threshold}`;

async function run(options: QueryOptions): Promise<{ rows: number; pagesDecoded: number; pagesSkipped: number; chunksSkipped: number }> {
  const reader = await TsFileReader.open(bytes, { threads: 0 });
  let rows = 0;
  for await (const b of reader.query(options)) rows += b.numRows;
  const { pagesDecoded, pagesSkipped, chunksSkipped } = reader.stats;
  await reader.close();
  return { rows, pagesDecoded, pagesSkipped, chunksSkipped };
}

async function scan(): Promise<{ rows: number; pagesDecoded: number; pagesSkipped: number; chunksSkipped: number }> {
  const reader = await TsFileReader.open(bytes, { threads: 0 });
  let rows = 0;
  for await (const { batch } of reader.scan({ devices, measurements: ['ts_i64', 'gor_dbl'] })) rows += batch.numRows;
  const { pagesDecoded, pagesSkipped, chunksSkipped } = reader.stats;
  await reader.close();
  return { rows, pagesDecoded, pagesSkipped, chunksSkipped };
}

const cases: [string, QueryOptions][] = [
  ['full query (no filter)', { paths }],
  [`filter ${filter}`, { paths, filter }],
];
const counts = new Map<string, Awaited<ReturnType<typeof run>>>();
for (const [name, o] of cases) counts.set(name, await run(o));

const SCAN = 'scan of the same series (no join)';
counts.set(SCAN, await scan());

const bench = new Bench({ time: 2000, warmupTime: 500, iterations: 3 });
for (const [name, o] of cases) bench.add(name, async () => void (await run(o)));
bench.add(SCAN, async () => void (await scan()));
await bench.run();

const ms = bench.tasks.map((t) => {
  if (t.result.state !== 'completed') throw new Error(`benchmark ${t.name} did not complete: ${t.result.state}`);
  return t.result.latency.mean;
});
const rows = bench.tasks.map((t, i) => ({ name: t.name, ms: Number(ms[i]!.toFixed(1)), ...counts.get(t.name)!, 'x faster than full': (ms[0]! / ms[i]!).toFixed(1) }));
console.log(`file: shared/fixtures/large/large_20m.tsfile (${bytes.length} bytes), ${paths.length} paths on ${devices.length} devices, node ${process.version}, one thread`);
console.table(rows);
for (const r of rows) console.log(JSON.stringify(r));
