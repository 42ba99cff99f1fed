/**
 * Write throughput: 10,000,000 points of one series through `TsFileWriter` (INT64 TS_2DIFF + LZ4 and
 * DOUBLE GORILLA + LZ4, time TS_2DIFF, default page and chunk group settings), on one thread, into
 * a sink that only counts bytes, and once into a real file. Baselines measured in the same run: the
 * same pages encoded and compressed without the writer (the codec floor the writer adds to), and a
 * memcpy of the input. Reference: the Java writer does ~27 M points/s (INT64) and ~13 M points/s
 * (DOUBLE) on this machine. Run: npx tsx bench/write.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/compression/native.js';
import { getCodec } from '../src/compression/registry.js';
import { encodeTimes, encodeValues } from '../src/encoding/index.js';
import { Compression, DataType, Encoding } from '../src/format/codes.js';
import type { TsFileSink } from '../src/writer/sink.js';
import { TsFileWriter } from '../src/writer/tsfile-writer.js';

const POINTS = 10_000_000;
const BATCH = 100_000;
const PAGE = 10_000;

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

async function writeAll(c: Case, target: string | TsFileSink, points: number): Promise<number> {
  const w = await TsFileWriter.open(target);
  w.registerTimeseries('root.bench.d1', { measurement: 's', dataType: c.type, encoding: c.encoding, compression: 'LZ4' });
  for (let lo = 0; lo < points; lo += BATCH) {
    const hi = Math.min(points, lo + BATCH);
    await w.write('root.bench.d1', { time: times.subarray(lo, hi), columns: { s: c.values.subarray(lo, hi) } });
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
const copy = new BigInt64Array(POINTS);
copy.set(times); // first touch of the pages is not part of a copy
const memcpyMs = await timed(() => copy.set(times));
rows.push({ case: 'memcpy of the time column (baseline)', ms: memcpyMs.toFixed(1), 'M points/s': (POINTS / memcpyMs / 1000).toFixed(0) });
const dir = mkdtempSync(join(tmpdir(), 'tsfile-write-bench-'));
try {
  for (const c of cases) {
    await writeAll(c, new CountingSink(), 1_000_000); // warm-up
    const floor = await timed(() => encodeOnly(c));
    rows.push({ case: `${c.name}: encode+compress only (baseline)`, ms: floor.toFixed(0), 'M points/s': (POINTS / floor / 1000).toFixed(1) });
    let size = 0;
    const ms = await timed(async () => (size = await writeAll(c, new CountingSink(), POINTS)));
    rows.push({ case: `${c.name}: TsFileWriter → counting sink`, ms: ms.toFixed(0), 'M points/s': (POINTS / ms / 1000).toFixed(1), 'file MB': (size / 1e6).toFixed(1) });
    const file = join(dir, 'bench.tsfile');
    const fileMs = await timed(() => writeAll(c, file, POINTS));
    rows.push({ case: `${c.name}: TsFileWriter → file (fsync)`, ms: fileMs.toFixed(0), 'M points/s': (POINTS / fileMs / 1000).toFixed(1) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
