/**
 * A fuzz campaign: cases [from, to) of a run seed, executed on a worker thread under a watchdog.
 * A case still running after `hangMs` is a hang: the thread is terminated (that works even on a
 * loop that never yields), the mutant is saved, and a fresh thread carries on after it. A thread
 * that dies is a crash, saved the same way; an untyped error is saved too. Peak RSS of the whole
 * process (the case thread and, in pool mode, its pool's threads) is sampled throughout.
 *
 * Run from the command line: `npm run fuzz -- --cases 1000000 [--mode inline|pool] [--seed N]
 * [--from K] [--shared-max-bytes B] [--out DIR] [--report FILE]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { mutant } from './mutate.js';
import { loadSeeds } from './seeds.js';
import type { CaseMessage, CaseWorkerData } from './case-worker.js';

export interface CampaignOptions {
  runSeed: number;
  from: number;
  to: number;
  mode: 'inline' | 'pool';
  /** A case running longer than this is a hang (default 2000 ms). */
  hangMs?: number;
  /** Cases slower than this are listed (default 500 ms). */
  slowMs?: number;
  /** Mutate the shared corpus' files up to this size too (default 0: none). */
  sharedMaxBytes?: number;
  /** Where findings are written (default: nowhere). */
  outDir?: string;
  /** Called with a progress line every few seconds. */
  onProgress?: (line: string) => void;
  /** The report so far is written here every 30 s and at the end. */
  reportFile?: string;
}

export interface Finding {
  kind: 'hang' | 'crash' | 'untyped';
  index: number;
  how: string;
  message: string;
}

export interface CampaignReport {
  runSeed: number;
  mode: 'inline' | 'pool';
  from: number;
  to: number;
  cases: number;
  ok: number;
  typed: number;
  codes: Record<string, number>;
  untyped: number;
  hangs: number;
  crashes: number;
  /** Slowest case that finished (ms). */
  maxCaseMs: number;
  slow: { index: number; ms: number; how: string }[];
  peakRssBytes: number;
  seconds: number;
  findings: Finding[];
}

const fromSources = import.meta.url.endsWith('.ts');
/** From sources a small bootstrap registers tsx first (a Worker cannot start from a .ts file). */
const WORKER = new URL(fromSources ? './case-worker-boot.mjs' : './case-worker.js', import.meta.url);

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const hangMs = o.hangMs ?? 2000;
  const started = Date.now();
  const seeds = await loadSeeds({ sharedMaxBytes: o.sharedMaxBytes ?? 0 });
  const report: CampaignReport = {
    runSeed: o.runSeed,
    mode: o.mode,
    from: o.from,
    to: o.to,
    cases: 0,
    ok: 0,
    typed: 0,
    codes: {},
    untyped: 0,
    hangs: 0,
    crashes: 0,
    maxCaseMs: 0,
    slow: [],
    peakRssBytes: process.memoryUsage.rss(),
    seconds: 0,
    findings: [],
  };
  const save = (f: Finding) => {
    report.findings.push(f);
    if (o.outDir === undefined) return;
    mkdirSync(o.outDir, { recursive: true });
    const base = join(o.outDir, `${f.kind}-${o.mode}-s${o.runSeed}-${f.index}`);
    writeFileSync(`${base}.tsfile`, mutant(seeds, o.runSeed, f.index).bytes);
    writeFileSync(`${base}.txt`, `${f.kind} (${o.mode}) run seed ${o.runSeed} case ${f.index}\n${f.how}\n${f.message}\n`);
  };

  let next = o.from;
  while (next < o.to) {
    const from = next;
    const control = new SharedArrayBuffer(8 * 6);
    const state = new Float64Array(control);
    state[0] = -1;
    const data: CaseWorkerData = { runSeed: o.runSeed, from, to: o.to, mode: o.mode, sharedMaxBytes: o.sharedMaxBytes ?? 0, control, slowMs: o.slowMs ?? 500 };
    const worker = new Worker(WORKER, { workerData: data });
    const end = await new Promise<{ how: 'finished' | 'hang' | 'crash'; message: string }>((resolve) => {
      let settled = false;
      const finish = (how: 'finished' | 'hang' | 'crash', message = '') => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve({ how, message });
      };
      let lastLine = Date.now();
      const timer = setInterval(() => {
        report.peakRssBytes = Math.max(report.peakRssBytes, process.memoryUsage.rss());
        const current = state[0]!;
        if (current >= 0 && state[2]! < current - from + 1 && Date.now() - state[1]! > hangMs) finish('hang', `still running after ${hangMs} ms`);
        if (Date.now() - lastLine > 30_000) {
          lastLine = Date.now();
          if (o.reportFile !== undefined) {
            const snapshot = { ...report, partial: true, cases: report.cases + state[2]!, ok: report.ok + state[3]!, typed: report.typed + state[4]!, untyped: report.untyped + state[5]! };
            writeFileSync(o.reportFile, JSON.stringify({ ...snapshot, seconds: (Date.now() - started) / 1000, peakRssMB: Math.round(report.peakRssBytes / 2 ** 20) }, null, 2));
          }
          o.onProgress?.(`${o.mode} case ${current} (${report.cases + state[2]!} done, ${report.hangs} hangs, ${report.untyped + state[5]!} untyped, peak RSS ${Math.round(report.peakRssBytes / 2 ** 20)} MB, ${Math.round((Date.now() - started) / 1000)} s)`);
        }
      }, 100);
      worker.on('message', (m: CaseMessage) => {
        if (m.type === 'tally') {
          for (const [k, v] of Object.entries(m.typed)) report.codes[k] = (report.codes[k] ?? 0) + v;
          report.maxCaseMs = Math.max(report.maxCaseMs, m.maxMs);
        } else if (m.type === 'untyped') save({ kind: 'untyped', index: m.index, how: m.how, message: m.message });
        else if (m.type === 'slow') {
          if (report.slow.length < 50) report.slow.push({ index: m.index, ms: m.ms, how: m.how });
        } else if (m.type === 'finished') finish('finished');
      });
      worker.on('error', (e) => finish('crash', String((e as Error)?.stack ?? e)));
      worker.on('exit', (code) => finish('crash', `case thread exited with code ${code}`));
    });
    const done = state[2]!;
    report.cases += done;
    report.ok += state[3]!;
    report.typed += state[4]!;
    report.untyped += state[5]!;
    await worker.terminate();
    if (end.how === 'finished') break;
    // The case in progress hung or killed its thread: record it and go on after it.
    const index = state[0]! >= 0 ? state[0]! : from;
    const m = mutant(seeds, o.runSeed, index);
    if (end.how === 'hang') report.hangs++;
    else report.crashes++;
    report.cases++;
    save({ kind: end.how, index, how: m.how, message: end.message });
    next = index + 1;
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function parseArgs(argv: string[]): CampaignOptions {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, dflt: number) => {
    const v = get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
    return n;
  };
  const from = num('from', 0);
  const mode = get('mode') ?? 'inline';
  if (mode !== 'inline' && mode !== 'pool') throw new Error(`--mode must be inline or pool, got ${mode}`);
  return {
    runSeed: num('seed', 1),
    from,
    to: from + num('cases', 10_000),
    mode,
    hangMs: num('hang-ms', 2000),
    sharedMaxBytes: num('shared-max-bytes', 24 * 1024),
    outDir: get('out') ?? join('test', 'fuzz', 'findings'),
    reportFile: get('report'),
    onProgress: (line) => console.error(line),
  };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  const options = parseArgs(process.argv.slice(2));
  const report = await runCampaign(options);
  const text = JSON.stringify({ ...report, peakRssMB: Math.round(report.peakRssBytes / 2 ** 20) }, null, 2);
  if (options.reportFile !== undefined) writeFileSync(options.reportFile, text);
  console.log(text);
  process.exitCode = report.hangs + report.crashes + report.untyped > 0 ? 1 : 0;
}
