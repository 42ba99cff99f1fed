/**
 * Read throughput on ../shared/fixtures/large/large_20m.tsfile (20,000,200 points, 40 series), on one
 * thread, from bytes already in memory. Baseline measured in the same run: a memcpy of the same
 * bytes. Run: npm run bench:read
 */
import { readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import '../src/compression/native.js';
import '../src/local-files.js';
import { TsFileReader, type ScanOptions } from '../src/reader/tsfile-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, '../../shared/fixtures/large/large_20m.tsfile');
const bytes = new Uint8Array(readFileSync(file));
const copy = new Uint8Array(bytes.length);

async function countPoints(options: ScanOptions = {}): Promise<number> {
  // One thread: decode inline (bench/threads.bench.ts measures the pool).
  const reader = await TsFileReader.open(bytes, { threads: 0 });
  let points = 0;
  for await (const { batch } of reader.scan(options)) {
    for (let c = 1; c < batch.numCols; c++) points += batch.numRows - batch.getChildAt(c)!.nullCount;
  }
  await reader.close();
  return points;
}

const cases: [string, ScanOptions][] = [
  ['read-all', {}],
  ['INT64 TS_2DIFF+SNAPPY (ts_i64)', { measurements: ['ts_i64'] }],
  ['DOUBLE GORILLA+SNAPPY (gor_dbl)', { measurements: ['gor_dbl'] }],
  ['INT32 GORILLA+LZ4 (gor_i32)', { measurements: ['gor_i32'] }],
  ['FLOAT PLAIN+LZ4 (plain_flt)', { measurements: ['plain_flt'] }],
];

const points = new Map<string, number>();
for (const [name, opts] of cases) {
  points.set(name, await countPoints(opts));
  if (points.get(name) === 0) throw new Error(`benchmark case ${name} reads no points`);
}

const bench = new Bench({ time: 3000, warmupTime: 1000, iterations: 3 });
bench.add('memcpy baseline', () => {
  copy.set(bytes);
});
for (const [name, opts] of cases) bench.add(name, async () => void (await countPoints(opts)));
await bench.run();

function meanMs(t: (typeof bench.tasks)[number]): number {
  const r = t.result;
  if (r.state !== 'completed') throw new Error(`benchmark ${t.name} did not complete: ${r.state}`);
  return r.latency.mean;
}
const memcpy = meanMs(bench.tasks[0]!);
const rows = bench.tasks.map((t) => {
  const ms = meanMs(t);
  const p = points.get(t.name);
  return {
    name: t.name,
    ms: Number(ms.toFixed(2)),
    points: p ?? 0,
    'M points/s': p === undefined ? '' : (p / ms / 1000).toFixed(1),
    'MB/s': ((bytes.length / ms) * 1e-3).toFixed(0),
    'x memcpy time': (ms / memcpy).toFixed(1),
  };
});
console.log(`file: ${join('shared/fixtures/large', 'large_20m.tsfile')} (${bytes.length} bytes), node ${process.version}, one thread`);
console.table(rows);
for (const r of rows) console.log(JSON.stringify({ name: r.name, ms: r.ms, points: r.points, bytes: bytes.length }));
