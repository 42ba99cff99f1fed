/**
 * A TaskRunner on a piscina worker pool (Node only). Chunk bytes go to the workers and decoded
 * arrays come back as transferred buffers; small tasks run inline, where dispatch would cost more
 * than decoding. Installing it makes `threads` / `pool` options of the reader create pool runners.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import type { WorkerPool } from './worker-pool.js';
import { AbortError, ErrorCode, TsFileError, type ErrorCode as Code } from '../io/errors.js';
import { runChunkTask, type ChunkTask, type TaskResult } from '../reader/chunk-task.js';
import { setRunnerFactory, type RunnerOptions, type TaskRunner } from '../reader/task-runner.js';
import { prepareTask } from './transfer.js';
import type { WorkerError } from './worker.js';

/** From compiled JavaScript the worker is worker.js; from TypeScript sources (tests, tsx) it is loaded through tsx. */
const fromSources = import.meta.url.endsWith('.ts');
export const WORKER_URL = new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url).href;
const WORKER_EXEC_ARGV = fromSources ? ['--import', 'tsx'] : [];

export interface PoolRunnerOptions {
  /** Worker threads for a pool created here (default: defaultThreads(), inline on one or two cores). */
  threads?: number;
  /** Run on this existing pool instead (its other tasks are unaffected: ours name our worker file). */
  pool?: WorkerPool;
  /** Tasks with fewer chunk bytes than this run inline (default 64 KiB; 0 sends everything to the pool). */
  minTaskBytes?: number;
}

/**
 * Worker threads when a reader or writer is given neither `threads` nor a pool: none (inline) on
 * machines of one or two cores, where workers only add transfer and start-up cost to a main thread
 * that must still assemble the batches (measured: a 2-vCPU pool of 2 reads large files ~1.8× slower
 * than inline); otherwise one per core beside the main thread.
 */
export function defaultThreads(cores = availableParallelism()): number {
  return cores <= 2 ? 0 : cores - 1;
}

/** piscina, loaded when the first pool is created: a process that stays inline never pays for it. */
let piscina: typeof Piscina | undefined;

/** Creates a pool with our worker as its default task file. */
export function createDecodePool(threads = availableParallelism()): WorkerPool {
  if (!Number.isInteger(threads) || threads < 1) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'threads must be a positive integer', { actual: String(threads) });
  piscina ??= (createRequire(import.meta.url)('piscina') as { Piscina: typeof Piscina }).Piscina;
  return new piscina({ filename: WORKER_URL, maxThreads: threads, minThreads: 0, idleTimeout: 2000, execArgv: WORKER_EXEC_ARGV });
}

function taskBytes(task: ChunkTask): number {
  if (task.kind === 'series') return task.chunks.reduce((n, c) => n + c.data.length, 0);
  return task.values.reduce((n, c) => n + (c?.data.length ?? 0), task.time.data.length);
}

export class PoolRunner implements TaskRunner {
  readonly concurrency: number;
  /** Workers idle while the main thread assembles batches unless several tasks per worker are queued (measured). */
  readonly lookahead: number;
  private readonly minTaskBytes: number;
  private inFlight = 0;

  constructor(
    readonly pool: WorkerPool,
    options: { minTaskBytes?: number } = {},
  ) {
    this.concurrency = Math.max(1, pool.options.maxThreads);
    this.lookahead = 8 * this.concurrency;
    this.minTaskBytes = options.minTaskBytes ?? 64 * 1024;
  }

  /** Tasks sent to the pool and not yet settled. */
  get running(): number {
    return this.inFlight;
  }

  async run(task: ChunkTask, signal?: AbortSignal): Promise<TaskResult> {
    if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
    if (taskBytes(task) < this.minTaskBytes) return runChunkTask(task);
    const { task: moved, transfer } = prepareTask(task);
    let out: TaskResult | WorkerError;
    this.inFlight++;
    try {
      out = (await this.pool.run(moved, { filename: WORKER_URL, transferList: transfer, ...(signal ? { signal } : {}) })) as TaskResult | WorkerError;
    } catch (e) {
      if ((e as Error)?.name === 'AbortError' || signal?.aborted) throw new AbortError(undefined, { cause: signal?.reason ?? e });
      throw new TsFileError(ErrorCode.IO, `decode worker failed: ${(e as Error)?.message ?? String(e)}`, { file: task.file, cause: e });
    } finally {
      this.inFlight--;
    }
    if ('error' in out) {
      const e = out.error;
      if (e.code !== undefined) {
        throw new TsFileError(e.code as Code, e.message, { file: e.file, offset: e.offset, expected: e.expected, actual: e.actual });
      }
      throw new TsFileError(ErrorCode.DECODE_FAILED, `decode worker failed: ${e.message}`, { file: task.file });
    }
    return out;
  }
}

const shared = new Map<number, WorkerPool>();

/** The pool shared by readers and writers that ask for `threads` without bringing their own (one per size). */
export function sharedPool(threads = availableParallelism()): WorkerPool {
  let pool = shared.get(threads);
  if (pool === undefined) shared.set(threads, (pool = createDecodePool(threads)));
  return pool;
}

/** Stops the shared pools' workers (a CLI calls this before exiting). */
export async function destroySharedPool(): Promise<void> {
  const pools = [...shared.values()];
  shared.clear();
  await Promise.all(pools.map((p) => p.destroy()));
}

export function poolRunner(options: PoolRunnerOptions = {}): TaskRunner {
  const threads = options.threads ?? (options.pool === undefined ? defaultThreads() : undefined);
  if (threads === 0 && options.pool === undefined) return { concurrency: 1, run: (t) => runChunkTask(t) };
  const pool = options.pool ?? sharedPool(threads);
  return new PoolRunner(pool, { minTaskBytes: options.minTaskBytes });
}

/** Makes the reader's `threads` / `pool` options create pool runners. */
export function installPoolRunner(): void {
  setRunnerFactory((o: RunnerOptions) => poolRunner({ threads: o.threads, pool: o.pool as WorkerPool | undefined }));
}
