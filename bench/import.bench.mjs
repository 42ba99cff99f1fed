#!/usr/bin/env node
/**
 * Import speed of the tsfile command, end to end as a user times it, against our own export of the
 * same points in the same rounds. Setup: the points of FILE up to --end-time are exported to the
 * canonical CSV (sorted: device, measurement, time), imported once into a TsFile of just those
 * points (the baseline's input), shuffled into a second CSV (a fixed seed: every row in random
 * order) and exported as JSON lines. Each round then runs, in a fresh process each (A B C D A B C D ...):
 *   export   tsfile export POINTS.tsfile -o out.csv          (the baseline: the same points, TsFile → CSV)
 *   csv      tsfile import sorted.csv -o out.tsfile
 *   shuffled tsfile import shuffled.csv -o out.tsfile        (sorted per series, runs spilled to disk)
 *   jsonl    tsfile import sorted.jsonl -o out.tsfile
 * and prints per step the median [min–max] wall time, points/s, and the ratio to the export's time.
 *   usage: node bench/import.bench.mjs [FILE] [--end-time T] [--rounds R] [--cli PATH]   (needs `npm run build`)
 * FILE defaults to ../shared/fixtures/large/large_20m.tsfile and T to 1600005500000 (2,000,200 of its
 * points); --cli runs another build of the tsfile command (e.g. an older checkout's) on the same data.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const file = args[0] && !args[0].startsWith('--') ? args[0] : path.join(here, '../../shared/fixtures/large/large_20m.tsfile');
const endTime = opt('end-time', '1600005500000');
const rounds = Number(opt('rounds', 3));
const ours = path.join(here, '../dist/bundle/tsfile.js');
const cli = path.resolve(opt('cli', ours));
const tmp = mkdtempSync(path.join(tmpdir(), 'import-bench-'));
const at = (name) => path.join(tmp, name);
const run = (bin, argv) => void execFileSync(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });

/** Fisher–Yates with a fixed xorshift seed: the same order in every run. */
function shuffle(lines) {
  let s = 0x9e3779b9;
  for (let i = lines.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines;
}

try {
  // Setup with our own build, so every --cli imports the very same files.
  run(ours, ['export', file, '--end-time', endTime, '-o', at('sorted.csv')]);
  run(ours, ['import', at('sorted.csv'), '-o', at('points.tsfile')]);
  run(ours, ['export', at('points.tsfile'), '--format', 'jsonl', '-o', at('sorted.jsonl')]);
  const [header, ...rows] = readFileSync(at('sorted.csv'), 'utf8').trimEnd().split('\n');
  const points = rows.length;
  writeFileSync(at('shuffled.csv'), `${header}\n${shuffle(rows).join('\n')}\n`);
  const want = readFileSync(at('sorted.csv'));

  const steps = {
    export: ['export', at('points.tsfile'), '-o', at('out.csv')],
    csv: ['import', at('sorted.csv'), '-o', at('out.tsfile')],
    shuffled: ['import', at('shuffled.csv'), '-o', at('out.tsfile')],
    jsonl: ['import', at('sorted.jsonl'), '-o', at('out.tsfile')],
  };
  const ms = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, argv] of Object.entries(steps)) {
      rmSync(at('out.csv'), { force: true });
      rmSync(at('out.tsfile'), { force: true });
      const t0 = performance.now();
      run(cli, argv);
      ms[name].push(performance.now() - t0);
      if (name !== 'export') {
        // Every import must give back exactly the exported points.
        rmSync(at('check.csv'), { force: true });
        run(ours, ['export', at('out.tsfile'), '-o', at('check.csv')]);
        if (!readFileSync(at('check.csv')).equals(want)) throw new Error(`${name}: the imported points differ from the input`);
      }
    }
  }
  const med = (x) => [...x].sort((a, b) => a - b)[(x.length - 1) >> 1];
  console.log(`${path.basename(file)} up to ${endTime}: ${points} points, ${rounds} rounds, ${cli === ours ? 'this build' : cli}, Node ${process.version}`);
  for (const name of Object.keys(steps)) {
    const m = med(ms[name]);
    console.log(`${name.padEnd(8)} ${m.toFixed(0).padStart(6)} ms [${Math.min(...ms[name]).toFixed(0)}–${Math.max(...ms[name]).toFixed(0)}]   ${(points / m).toFixed(0).padStart(5)} k points/s   ${(m / med(ms.export)).toFixed(2)}× the export's time`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
