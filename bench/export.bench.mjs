#!/usr/bin/env node
/**
 * Export speed of the tsfile command, end to end as a user times it: `tsfile export FILE --format F -o OUT`
 * in a fresh process per run, for csv, jsonl and arrow in turn (A B C A B C ...), each run's wall time
 * from spawn to exit. Prints per format the median [min–max] ms, M points/s, output size and the
 * ratio to our own Arrow IPC export of the same file in the same rounds (there is no reference export).
 *   usage: node bench/export.bench.mjs [FILE] [--rounds R] [--formats csv,jsonl,arrow]   (needs `npm run build`)
 * FILE defaults to ../shared/fixtures/large/large_20m.tsfile; its point count comes from the sibling
 * .json description when there is one (otherwise M points/s prints NaN).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const file = args[0] && !args[0].startsWith('--') ? args[0] : path.join(here, '../../shared/fixtures/large/large_20m.tsfile');
const rounds = Number(opt('rounds', 2));
const formats = opt('formats', 'csv,jsonl,arrow').split(',');
const cli = path.join(here, '../dist/bundle/tsfile.js');
const desc = file.replace(/\.tsfile$/, '.json');
const points = existsSync(desc) ? Number(/([\d,]+) points/.exec(JSON.parse(readFileSync(desc, 'utf8')).description)?.[1].replace(/,/g, '')) : NaN;
const ext = { csv: 'csv', jsonl: 'jsonl', arrow: 'arrows' };
const tmp = mkdtempSync(path.join(tmpdir(), 'export-bench-'));
const ms = Object.fromEntries(formats.map((f) => [f, []]));
const bytes = {};
try {
  for (let r = 0; r < rounds; r++) {
    for (const f of formats) {
      const out = path.join(tmp, `out.${ext[f]}`);
      const t0 = performance.now();
      execFileSync(process.execPath, [cli, 'export', file, '--format', f, '-o', out], { stdio: 'ignore' });
      ms[f].push(performance.now() - t0);
      bytes[f] = statSync(out).size;
      rmSync(out, { force: true });
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const med = (x) => [...x].sort((a, b) => a - b)[(x.length - 1) >> 1];
console.log(`${path.basename(file)}: ${points} points, ${rounds} rounds, Node ${process.version}`);
for (const f of formats) {
  const m = med(ms[f]);
  const vsArrow = ms.arrow ? `   ${(m / med(ms.arrow)).toFixed(1)}× our arrow export's time` : '';
  console.log(`${f.padEnd(6)} ${m.toFixed(0)} ms [${Math.min(...ms[f]).toFixed(0)}–${Math.max(...ms[f]).toFixed(0)}]   ${(points / m / 1000).toFixed(2)} M points/s   ${(bytes[f] / 1e6).toFixed(0)} MB${vsArrow}`);
}
