#!/usr/bin/env node
/**
 * Start-up cost of whole processes, same run: `node -e "import('tsfile-arrow')"`, `tsfile --help` and
 * `tsfile info fixtures/sample.tsfile`, each a fresh process, against `node -e 0` (node's own start) as
 * the baseline. Commands run interleaved in a shuffled order every round, so load on a shared machine
 * falls on all of them alike; it prints min and median per command, and the same minus the baseline's.
 *   usage: node bench/startup.mjs [--rounds R] [ROOT ...]
 * Each ROOT is a built copy of the package (default: this one), so two builds can be compared in
 * one run: e.g. a copy of an older dist/ with package.json, fixtures/ and a node_modules link.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const at = args.indexOf('--rounds');
const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 15;
const roots = args.length > 0 ? args.map((r) => path.resolve(r)) : [path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')];

const cases = [{ name: 'node -e 0', cwd: roots[0], argv: ['-e', '0'] }];
for (const root of roots) {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const bin = path.join(root, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.tsfile);
  const tag = roots.length > 1 ? `${path.basename(root)}: ` : '';
  cases.push(
    { name: `${tag}import('tsfile-arrow')`, cwd: root, argv: ['-e', "import('tsfile-arrow')"] },
    { name: `${tag}tsfile --help`, cwd: root, argv: [bin, '--help'] },
    { name: `${tag}tsfile info sample`, cwd: root, argv: [bin, 'info', path.join(root, 'fixtures/sample.tsfile')] },
  );
}

function once(c) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.argv, { cwd: c.cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const times = new Map(cases.map((c) => [c, []]));
for (const c of cases) once(c); // file-system caches warm for every case alike
for (let r = 0; r < rounds; r++) {
  const order = [...cases].sort(() => Math.random() - 0.5);
  for (const c of order) times.get(c).push(once(c));
}
const min = (x) => Math.min(...x);
const med = (x) => [...x].sort((a, b) => a - b)[(x.length - 1) >> 1];
const base = times.get(cases[0]);
console.log(`${rounds} rounds; ms: min / median, and the same minus node's own start (node -e 0)`);
for (const c of cases) {
  const x = times.get(c);
  const extra = c === cases[0] ? '' : `   +${(min(x) - min(base)).toFixed(0)} / +${(med(x) - med(base)).toFixed(0)}`;
  console.log(`${c.name.padEnd(40)} ${min(x).toFixed(0).padStart(5)} / ${med(x).toFixed(0).padStart(5)}${extra}`);
}
