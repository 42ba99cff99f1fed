/**
 * Read throughput of ../shared/fixtures/large/large_20m.tsfile at 0 (inline), 1, 2 and N worker
 * threads, from memory, with a memcpy of the same bytes as the same-run baseline, and the peak
 * resident memory seen during one full scan at each setting. Run: npx tsx bench/threads.bench.ts
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import '../src/compression/native.js';
import '../src/local-files.js';
import { TsFileReader } from '../src/reader/tsfile-reader.js';
import { inlineRunner, type TaskRunner } from '../src/reader/task-runner.js';
import { createDecodePool, PoolRunner } from '../src/engine/pool-runner.js';

const here = dirname(fileURLToPath(import.meta.url));
const bytes = new Uint8Array(readFileSync(resolve(here, '../../shared/fixtures/large/large_20m.tsfile')));
const copy = new Uint8Array(bytes.length);
const cores = availableParallelism();
const settings = [...new Set([0, 1, 2, cores])];

async function readAll(runner: TaskRunner, onBatch?: () => void): Promise<number> {
  const reader = await TsFileReader.open(bytes, { runner });
  let points = 0;
  for await (const { batch } of reader.scan()) {
    points += batch.numRows * (batch.numCols - 1);
    onBatch?.();
  }
  await reader.close();
  return points;
}

const runners = new Map<number, TaskRunner>();
const pools: { destroy(): Promise<void> }[] = [];
for (const t of settings) {
  if (t === 0) runners.set(0, inlineRunner);
  else {
    const pool = createDecodePool(t);
    pools.push(pool);
    runners.set(t, new PoolRunner(pool, { minTaskBytes: 0 }));
  }
}

const peakRss = new Map<number, number>();
for (const [t, runner] of runners) {
  await readAll(runner); // start the workers before measuring
  const base = process.memoryUsage().rss;
  let peak = base;
  await readAll(runner, () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  peakRss.set(t, peak);
}

const bench = new Bench({ time: 4000, warmupTime: 500, iterations: 3 });
bench.add('memcpy baseline', () => {
  copy.set(bytes);
});
for (const [t, runner] of runners) bench.add(`read-all, ${t === 0 ? 'inline' : `${t} thread${t > 1 ? 's' : ''}`}`, async () => void (await readAll(runner)));
await bench.run();
for (const p of pools) await p.destroy();

const mean = (i: number) => {
  const r = bench.tasks[i]!.result;
  if (r.state !== 'completed') throw new Error(`${bench.tasks[i]!.name}: ${r.state}`);
  return r.latency.mean;
};
console.log(`large_20m.tsfile: ${bytes.length} bytes, 20,000,200 points; ${cores} cores; node ${process.version}`);
const rows = bench.tasks.map((task, i) => {
  const t = i === 0 ? undefined : settings[i - 1]!;
  return {
    name: task.name,
    ms: Number(mean(i).toFixed(1)),
    'M points/s': t === undefined ? '' : (20_000_200 / mean(i) / 1000).toFixed(1),
    'x memcpy time': (mean(i) / mean(0)).toFixed(1),
    'peak RSS MB': t === undefined ? '' : String(Math.round(peakRss.get(t)! / 1048576)),
  };
});
console.table(rows);
for (const r of rows) console.log(JSON.stringify({ name: r.name, ms: r.ms, points: r.name.startsWith('memcpy') ? 0 : 20_000_200, bytes: bytes.length }));
