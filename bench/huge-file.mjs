#!/usr/bin/env node
/**
 * Memory flat in the file size, past 4 GiB: writes a file of 10 devices × 6 DOUBLE series (PLAIN,
 * uncompressed, one ~440 MB chunk group per device, so offsets pass 2^32), then, each in a fresh
 * process, scans it inline and on a 2-thread pool, rewrites it with the default settings and
 * exports it as CSV, printing each step's time and peak RSS and checking every value (an exact
 * checksum of small integers; the rewrite is scanned again). The file is deleted at the end.
 *   node bench/huge-file.mjs [--points P] [--dir DIR] [--skip-export]   (P per series, default 4 600 000)
 * Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist', 'src');
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const DEVICES = 10;
const SERIES = 6;
const points = Number(opt('points', '4600000'));
const dir = mkdtempSync(path.join(opt('dir', tmpdir()), 'huge-file-'));
const file = path.join(dir, 'huge.tsfile');
const rewritten = path.join(dir, 'rewritten.tsfile');

/** Value of series s of device d at row i: small integers, so any sum of them is exact. */
const value = (d, s, i) => ((i * (s + 3) + d) % 1000) - 500;

function expectedChecksum() {
  let sum = 0;
  for (let d = 0; d < DEVICES; d++) for (let s = 0; s < SERIES; s++) for (let i = 0; i < points; i++) sum += value(d, s, i);
  return sum;
}

/** Runs this script in `child` mode in a fresh process; returns its JSON line plus peak RSS. */
function step(name, ...childArgs) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child', ...childArgs], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  console.log(`${name.padEnd(24)} ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s   peak RSS ${(out.maxRss / 2 ** 20).toFixed(0).padStart(4)} MB   ${out.note ?? ''}`);
  return out;
}

if (args[0] === 'child') {
  await import(path.join(dist, 'index.js'));
  const { TsFileReader } = await import(path.join(dist, 'reader', 'tsfile-reader.js'));
  const { TsFileWriter } = await import(path.join(dist, 'writer', 'tsfile-writer.js'));
  const [, mode, a, b] = args;
  const done = (o) => console.log(JSON.stringify({ ...o, maxRss: process.resourceUsage().maxRSS * 1024 }));
  if (mode === 'write') {
    const n = Number(b);
    const w = await TsFileWriter.open(a, { chunkGroupSizeBytes: 2 ** 31 });
    const specs = Array.from({ length: SERIES }, (_, s) => ({ measurement: `s${s}`, dataType: 'DOUBLE', encoding: 'PLAIN', compression: 'UNCOMPRESSED' }));
    for (let d = 0; d < DEVICES; d++) w.registerTimeseries(`root.huge.d${d}`, specs);
    const step = 1 << 20;
    for (let d = 0; d < DEVICES; d++) {
      for (let lo = 0; lo < n; lo += step) {
        const k = Math.min(step, n - lo);
        const time = BigInt64Array.from({ length: k }, (_, i) => BigInt(lo + i) * 1000n + 1_700_000_000_000n);
        const columns = {};
        for (let s = 0; s < SERIES; s++) columns[`s${s}`] = Float64Array.from({ length: k }, (_, i) => value(d, s, lo + i));
        await w.write(`root.huge.d${d}`, { time, columns });
      }
      await w.flush();
    }
    await w.close();
    done({ note: `${(statSync(a).size / 2 ** 30).toFixed(2)} GiB` });
  } else if (mode === 'scan') {
    const threads = Number(b);
    const reader = await TsFileReader.open(a, { threads });
    let sum = 0;
    let rows = 0;
    for await (const { batch } of reader.scan({ threads })) {
      rows += batch.numRows;
      for (let c = 1; c < batch.numCols; c++) {
        const v = batch.getChildAt(c).data[0].values;
        for (let i = 0; i < v.length; i++) sum += v[i];
      }
    }
    await reader.close();
    const { destroySharedPool } = await import(path.join(dist, 'engine', 'pool-runner.js'));
    await destroySharedPool();
    done({ sum, rows, note: `${rows} rows` });
  } else if (mode === 'rewrite') {
    const { rewriteTsFile } = await import(path.join(dist, 'convert', 'rewrite.js'));
    const r = await rewriteTsFile(a, b);
    done({ points: r.points, note: `${r.points} points` });
  } else if (mode === 'export') {
    const { exportCsv } = await import(path.join(dist, 'export', 'csv.js'));
    const reader = await TsFileReader.open(a);
    let chars = 0;
    const rows = await exportCsv(reader, { write: (s) => void (chars += s.length) });
    await reader.close();
    done({ note: `${rows} CSV lines, ${(chars / 2 ** 30).toFixed(2)} GiB of text` });
  }
} else {
  try {
    const total = DEVICES * SERIES * points;
    console.log(`huge-file: ${DEVICES} devices × ${SERIES} DOUBLE series × ${points} points = ${total} points, in ${dir}`);
    step('write', 'write', file, String(points));
    const expected = expectedChecksum();
    for (const threads of [0, 2]) {
      const r = step(`scan, threads ${threads}`, 'scan', file, String(threads));
      if (r.sum !== expected || r.rows !== DEVICES * points) throw new Error(`scan with threads ${threads}: checksum ${r.sum} rows ${r.rows}, expected ${expected} and ${DEVICES * points}`);
    }
    step('rewrite (defaults)', 'rewrite', file, rewritten);
    const r = step('scan of the rewrite', 'scan', rewritten, '0');
    if (r.sum !== expected) throw new Error(`rewritten file: checksum ${r.sum}, expected ${expected}`);
    rmSync(rewritten);
    if (!args.includes('--skip-export')) step('export csv (counted)', 'export', file);
    console.log('every value checked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
