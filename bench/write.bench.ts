/**
 * Write throughput: 10,000,000 points through `TsFileWriter` (INT64 TS_2DIFF + LZ4 and DOUBLE
 * GORILLA + LZ4, time TS_2DIFF, default page and chunk group settings), as one series and as 100
 * devices × 10 series, inline (threads 0) and on worker pools of 1, 2 and N threads, into a sink
 * that only counts bytes, and into a real file (fsync on close). Baselines measured in the same
 * run: the same pages encoded and compressed without the writer (the codec floor the writer adds
 * to), and a memcpy of the input. Reference: the Java writer does ~27 M points/s (INT64) and
 * ~13 M points/s (DOUBLE) on one thread on this machine. Run: npx tsx bench/write.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/compression/native.js';
import '../src/local-files.js';
import { getCodec } from '../src/compression/registry.js';
import { destroySharedPool } from '../src/engine/pool-runner.js';
import { installWritePoolRunner } from '../src/engine/write-pool.js';
import { encodeTimes, encodeValues } from '../src/encoding/index.js';
import { Compression, DataType, Encoding } from '../src/format/codes.js';
import type { TsFileSink } from '../src/writer/sink.js';
import { TsFileWriter } from '../src/writer/tsfile-writer.js';

const POINTS = 10_000_000;
const BATCH = 100_000;
const PAGE = 10_000;
const DEVICES = 100;
const SERIES = 10;
const ROWS_PER_DEVICE = POINTS / (DEVICES * SERIES);
const CORES = availableParallelism();
const THREADS = [...new Set([0, 1, 2, CORES])];

installWritePoolRunner();

class CountingSink implements TsFileSink {
  bytes = 0;
  write(b: Uint8Array): void {
    this.bytes += b.length;
  }
  close(): void {}
}

// Irregular timestamps and random walks, like real sensor data.
const times = new BigInt64Array(POINTS);
const longs = new BigInt64Array(POINTS);
const doubles = new Float64Array(POINTS);
{
  let t = 1_700_000_000_000;
  let v = 0;
  let d = 20;
  for (let i = 0; i < POINTS; i++) {
    t += 1000 + ((i * 7919) % 13);
    v += ((i * 2654435761) % 201) - 100;
    d += (((i * 40503) % 1001) - 500) / 1000;
    times[i] = BigInt(t);
    longs[i] = BigInt(v);
    doubles[i] = Math.round(d * 100) / 100;
  }
}

type Case = { name: string; type: 'INT64' | 'DOUBLE'; encoding: 'TS_2DIFF' | 'GORILLA'; values: BigInt64Array | Float64Array };
const cases: Case[] = [
  { name: 'INT64 TS_2DIFF+LZ4', type: 'INT64', encoding: 'TS_2DIFF', values: longs },
  { name: 'DOUBLE GORILLA+LZ4', type: 'DOUBLE', encoding: 'GORILLA', values: doubles },
];

/** One series, written in batches of BATCH rows. */
async function writeOneSeries(c: Case, target: string | TsFileSink, points: number, threads: number): Promise<number> {
  const w = await TsFileWriter.open(target, { threads });
  w.registerTimeseries('root.bench.d1', { measurement: 's', dataType: c.type, encoding: c.encoding, compression: 'LZ4' });
  for (let lo = 0; lo < points; lo += BATCH) {
    const hi = Math.min(points, lo + BATCH);
    await w.write('root.bench.d1', { time: times.subarray(lo, hi), columns: { s: c.values.subarray(lo, hi) } });
  }
  await w.close();
  return w.bytesWritten;
}

/** DEVICES devices of SERIES series, each device written as one batch of its rows. */
async function writeDevices(c: Case, target: string | TsFileSink, points: number, threads: number): Promise<number> {
  const w = await TsFileWriter.open(target, { threads });
  const devices = Math.max(1, Math.round(points / (SERIES * ROWS_PER_DEVICE)));
  const specs = Array.from({ length: SERIES }, (_, s) => ({ measurement: `s${s}`, dataType: c.type, encoding: c.encoding, compression: 'LZ4' as const }));
  for (let d = 0; d < devices; d++) w.registerTimeseries(`root.bench.d${d}`, specs);
  const time = times.subarray(0, ROWS_PER_DEVICE);
  for (let d = 0; d < devices; d++) {
    const columns: Record<string, BigInt64Array | Float64Array> = {};
    for (let s = 0; s < SERIES; s++) {
      const at = (d * SERIES + s) * ROWS_PER_DEVICE;
      columns[`s${s}`] = c.values.subarray(at, at + ROWS_PER_DEVICE);
    }
    await w.write(`root.bench.d${d}`, { time, columns });
  }
  await w.close();
  return w.bytesWritten;
}

/** The codec floor: the same pages encoded and LZ4-compressed, no buffering, statistics or file layout. */
async function encodeOnly(c: Case): Promise<void> {
  const lz4 = getCodec(Compression.LZ4);
  const type = c.type === 'INT64' ? DataType.INT64 : DataType.DOUBLE;
  const enc = Encoding[c.encoding];
  for (let lo = 0; lo < POINTS; lo += PAGE) {
    const t = encodeTimes(Encoding.TS_2DIFF, times.subarray(lo, lo + PAGE));
    const v = encodeValues(enc, type, c.values.subarray(lo, lo + PAGE));
    const body = new Uint8Array(t.length + v.length + 3);
    body.set(t, 3);
    body.set(v, 3 + t.length);
    await lz4.compress(body);
  }
}

async function timed(f: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

const rows: Record<string, string | number>[] = [];
const rate = (ms: number) => (POINTS / ms / 1000).toFixed(1);
const copy = new BigInt64Array(POINTS);
copy.set(times); // first touch of the pages is not part of a copy
const memcpyMs = await timed(() => copy.set(times));
rows.push({ case: 'memcpy of the time column (baseline)', threads: '-', ms: memcpyMs.toFixed(1), 'M points/s': (POINTS / memcpyMs / 1000).toFixed(0) });
const dir = mkdtempSync(join(tmpdir(), 'tsfile-write-bench-'));
try {
  for (const c of cases) {
    const floor = await timed(() => encodeOnly(c));
    rows.push({ case: `${c.name}: encode+compress only (baseline)`, threads: 0, ms: floor.toFixed(0), 'M points/s': rate(floor) });
    for (const [shape, write] of [
      ['1 series', writeOneSeries],
      [`${DEVICES} devices × ${SERIES} series`, writeDevices],
    ] as const) {
      for (const threads of THREADS) {
        await write(c, new CountingSink(), 1_000_000, threads); // warm-up (and worker start-up)
        let size = 0;
        const ms = await timed(async () => (size = await write(c, new CountingSink(), POINTS, threads)));
        rows.push({ case: `${c.name}, ${shape} → counting sink`, threads, ms: ms.toFixed(0), 'M points/s': rate(ms), 'file MB': (size / 1e6).toFixed(1) });
      }
      for (const threads of [0, CORES]) {
        const file = join(dir, 'bench.tsfile');
        const fileMs = await timed(() => write(c, file, POINTS, threads));
        rows.push({ case: `${c.name}, ${shape} → file (fsync)`, threads, ms: fileMs.toFixed(0), 'M points/s': rate(fileMs) });
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await destroySharedPool();
}
console.log(`${CORES} cores available`);
console.table(rows);
