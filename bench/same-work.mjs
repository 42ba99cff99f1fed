#!/usr/bin/env node
/**
 * Same-work, same-run speed ratios against a reference TsFile implementation's command-line tools
 * (given by REFERENCE_BIN: a folder with `jscan FILE --repeat N` and `jwrite OUT ...`, each printing
 * one JSON line with runs_ms and median_ms). Runs ours and theirs in turn, A B A B ..., each a fresh
 * process, and prints per side the first run (a fresh process's first read or write) and the warm
 * median, as median [min–max] over the rounds, and the ratios theirs / ours; also each process's wall
 * time from spawn to exit (start-up included: with --repeat 1, what a command-line user waits for).
 *   read:  REFERENCE_BIN=... node bench/same-work.mjs read FILE [--rounds R] [--repeat N] [--threads T]
 *   write: REFERENCE_BIN=... node bench/same-work.mjs write [--rounds R] [--repeat N] [--devices D --series S --points P
 *          --type INT64|DOUBLE --encoding E --compression C] [--aligned] [--threads T]
 * Ours: bench/scan-checksum.mjs (same points, same checksum, which must match) and bench/write-random-walk.mjs
 * (same data, same settings). Needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, ...rest] = process.argv.slice(2);
const opt = (k, d) => (rest.includes(`--${k}`) ? rest[rest.indexOf(`--${k}`) + 1] : d);
const ref = process.env.REFERENCE_BIN;
if (!ref || (mode !== 'read' && mode !== 'write')) {
  console.error('usage: REFERENCE_BIN=DIR node bench/same-work.mjs read FILE | write  [options]  (see the header)');
  process.exit(2);
}
const rounds = Number(opt('rounds', 5));
const repeat = opt('repeat', mode === 'read' ? '10' : '8');
const threads = opt('threads', undefined);
const tmp = mkdtempSync(path.join(tmpdir(), 'same-work-'));
let ours;
let theirs;
if (mode === 'read') {
  const file = rest[0];
  ours = [process.execPath, path.join(here, 'scan-checksum.mjs'), file, '--repeat', repeat, ...(threads === undefined ? [] : ['--threads', threads])];
  theirs = [path.join(ref, 'jscan'), file, '--repeat', repeat];
} else {
  const w = ['--devices', opt('devices', '100'), '--series', opt('series', '10'), '--points', opt('points', '10000'), '--type', opt('type', 'INT64'), '--encoding', opt('encoding', 'TS_2DIFF'), '--compression', opt('compression', 'LZ4'), ...(rest.includes('--aligned') ? ['--aligned'] : [])];
  ours = [process.execPath, path.join(here, 'write-random-walk.mjs'), path.join(tmp, 'ours.tsfile'), ...w, '--repeat', repeat, ...(threads === undefined ? [] : ['--threads', threads])];
  theirs = [path.join(ref, 'jwrite'), path.join(tmp, 'theirs.tsfile'), ...w, '--repeat', repeat];
}
/** One process: its JSON line, plus `wall_ms`, the whole process from spawn to exit (start-up included). */
const run = ([cmd, ...a]) => {
  const t0 = performance.now();
  const out = execFileSync(cmd, a, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const wall = performance.now() - t0;
  return { ...JSON.parse(out.trim().split('\n').pop()), wall_ms: wall };
};
const res = { ours: [], theirs: [] };
try {
  for (let r = 0; r < rounds; r++) {
    res.ours.push(run(ours));
    res.theirs.push(run(theirs));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const med = (x) => [...x].sort((a, b) => a - b)[(x.length - 1) >> 1];
const show = (x, d = 0) => `${med(x).toFixed(d)} [${Math.min(...x).toFixed(d)}–${Math.max(...x).toFixed(d)}]`;
const first = (j) => j.runs_ms[0];
const warm = (j) => j.median_ms;
for (const side of ['ours', 'theirs']) {
  const j = res[side];
  console.log(`${side.padEnd(6)} first run ms ${show(j.map(first))}   warm median ms ${show(j.map(warm))}   whole process ms ${show(j.map((x) => x.wall_ms))}${j[0].checksum ? `   checksum ${j[0].checksum}` : ''}   points ${j[0].points}`);
}
if (mode === 'read' && res.ours.some((j, i) => j.checksum !== res.theirs[i].checksum)) console.log('CHECKSUMS DIFFER: not the same work');
const ratio = (f) => res.ours.map((j, i) => f(res.theirs[i]) / f(j));
console.log(`theirs/ours  first run ${show(ratio(first), 2)}   warm ${show(ratio(warm), 2)}   whole process ${show(ratio((j) => j.wall_ms), 2)}   (${rounds} rounds, ${repeat} runs per process)`);
