#!/usr/bin/env node
/**
 * Writes a random-walk data set with the compiled package (dist/), for same-work write ratios: D
 * devices (non-aligned, or aligned with --aligned) × S series × P points, times 1700000000000 + 1000 i, values a walk of steps in
 * [-100, 100] from a mulberry32 stream seeded 42 + series index (DOUBLE: the walk / 100), written in
 * batches of R rows; the whole write (open, register, write, close) is repeated N times.
 *   usage: node bench/write-random-walk.mjs OUT --devices D --series S --points P [--type INT64|DOUBLE]
 *          [--encoding E] [--compression C] [--batch-rows R] [--repeat N] [--threads T] [--aligned]   (one JSON line)
 */
import { rmSync, statSync } from 'node:fs';
const args = process.argv.slice(2);
const out = args[0];
const opt = (k, d) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const D = Number(opt('devices', 10));
const S = Number(opt('series', 4));
const P = Number(opt('points', 100000));
const R = Number(opt('batch-rows', 1024));
const type = opt('type', 'INT64');
const encoding = opt('encoding', 'TS_2DIFF');
const compression = opt('compression', 'LZ4');
const repeat = Number(opt('repeat', 5));
const threads = opt('threads', undefined);
const aligned = args.includes('--aligned');
// The package's own entry, as a user's code imports it (the bundled build).
const lib = await import('tsfile-arrow');

function mulberry32(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
const times = new BigInt64Array(P);
for (let i = 0; i < P; i++) times[i] = 1700000000000n + BigInt(i) * 1000n;
const data = [];
for (let d = 0; d < D; d++) {
  const series = [];
  for (let s = 0; s < S; s++) {
    const next = mulberry32(42 + d * S + s);
    const v = type === 'INT64' ? new BigInt64Array(P) : new Float64Array(P);
    let walk = 0;
    for (let i = 0; i < P; i++) {
      walk += (next() % 201) - 100;
      v[i] = type === 'INT64' ? BigInt(walk) : walk / 100;
    }
    series.push(v);
  }
  data.push(series);
}
const ms = [];
const o = threads === undefined ? {} : { threads: Number(threads) };
for (let r = 0; r < repeat; r++) {
  rmSync(out, { force: true });
  const t0 = process.hrtime.bigint();
  const w = await lib.TsFileWriter.open(out, o);
  const specs = Array.from({ length: S }, (_, s) => ({ measurement: `s${s}`, dataType: type, encoding, compression }));
  for (let d = 0; d < D; d++) (aligned ? w.registerAlignedDevice(`root.bench.d${d}`, specs) : w.registerTimeseries(`root.bench.d${d}`, specs));
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < P; k += R) {
      const e = Math.min(P, k + R);
      const columns = {};
      for (let s = 0; s < S; s++) columns[`s${s}`] = data[d][s].subarray(k, e);
      await w.write(`root.bench.d${d}`, { time: times.subarray(k, e), columns });
    }
  }
  await w.close();
  ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const warm = (repeat > 1 ? ms.slice(1) : ms).sort((a, b) => a - b);
console.log(JSON.stringify({ file: out, type, encoding, compression, aligned, points: D * S * P, bytes: statSync(out).size, runs_ms: ms.map((x) => +x.toFixed(1)), median_ms: +warm[(warm.length - 1) >> 1].toFixed(1) }));
await lib.destroySharedPool?.();
