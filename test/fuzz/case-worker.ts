/**
 * The worker thread that runs fuzz cases for a campaign: it regenerates each mutant from the run
 * seed and its index, runs it (inline, or with every task sent to a worker pool), and publishes the
 * index and start time of the case in progress in shared memory, so the campaign's watchdog can
 * see a case that never ends — and terminate this thread — even if it spins without yielding.
 */
import { parentPort, workerData } from 'node:worker_threads';
import '../../src/compression/native.js';
import { createDecodePool, PoolRunner } from '../../src/engine/pool-runner.js';
import type { TaskRunner } from '../../src/reader/task-runner.js';
import { mutant } from './mutate.js';
import { runCase } from './run-case.js';
import { loadSeeds } from './seeds.js';

export interface CaseWorkerData {
  runSeed: number;
  from: number;
  to: number;
  mode: 'inline' | 'pool';
  sharedMaxBytes: number;
  /** Float64Array over a SharedArrayBuffer: [case in progress, its start (ms since epoch), cases finished, read fine, typed errors, untyped errors]. */
  control: SharedArrayBuffer;
  /** Cases slower than this are reported (not failures: the watchdog decides hangs). */
  slowMs: number;
}

export type CaseMessage =
  | { type: 'untyped'; index: number; message: string; how: string }
  | { type: 'slow'; index: number; ms: number; how: string }
  | { type: 'tally'; ok: number; typed: Record<string, number>; untyped: number; maxMs: number; done: number }
  | { type: 'finished' };

const data = workerData as CaseWorkerData;
const control = new Float64Array(data.control);
const seeds = await loadSeeds({ sharedMaxBytes: data.sharedMaxBytes });
const pool = data.mode === 'pool' ? createDecodePool(2) : undefined;
const runner: TaskRunner | undefined = pool === undefined ? undefined : new PoolRunner(pool, { minTaskBytes: 0 });

// Start the pool's threads before the first case: their start-up is not a case's time.
if (runner !== undefined) await Promise.all([0, 1, 2, 3].map(() => runCase(seeds[0]!.bytes, runner)));

let ok = 0;
let untyped = 0;
let maxMs = 0;
let typed: Record<string, number> = {};
const post = (m: CaseMessage) => parentPort!.postMessage(m);
const tally = (done: number) => {
  post({ type: 'tally', ok, typed, untyped, maxMs, done });
  ok = 0;
  untyped = 0;
  maxMs = 0;
  typed = {};
};

let sinceTally = 0;
for (let i = data.from; i < data.to; i++) {
  const m = mutant(seeds, data.runSeed, i);
  // Start time first: the watchdog must never pair this case's index with the previous start.
  const started = Date.now();
  control[1] = started;
  control[0] = i;
  // Every 16th case exports CSV, the rest scan Arrow batches (faster, same reader paths).
  const outcome = await runCase(m.bytes, runner, i % 16 === 0);
  const ms = Date.now() - started;
  control[2] = i - data.from + 1;
  if (ms > maxMs) maxMs = ms;
  if (ms > data.slowMs) post({ type: 'slow', index: i, ms, how: m.how });
  if (outcome.kind === 'ok') {
    ok++;
    control[3]!++;
  } else if (outcome.kind === 'typed') {
    typed[outcome.code] = (typed[outcome.code] ?? 0) + 1;
    control[4]!++;
  } else {
    untyped++;
    control[5]!++;
    post({ type: 'untyped', index: i, message: outcome.message, how: m.how });
  }
  if (++sinceTally === 200) {
    sinceTally = 0;
    tally(200);
  }
}
tally(sinceTally);
await pool?.destroy();
post({ type: 'finished' });
