/**
 * An EncodeRunner on a piscina worker pool (Node only): the writer's page-encode tasks
 * (tsfile-format.md §6, §7) run in the same workers as the reader's decode tasks, the task's value
 * arrays are transferred there and the encoded page bytes transferred back. The writer plans pages
 * and assembles chunks on the main thread, in page order, so files are byte-identical to inline
 * writes. Installing it makes the writer's `threads` / `pool` options create pool runners.
 */
import type { WorkerPool } from './worker-pool.js';
import { ErrorCode, TsFileError, type ErrorCode as Code } from '../io/errors.js';
import { inlineEncodeRunner, setEncodeRunnerFactory, type EncodeRunner, type EncodeRunnerOptions } from '../writer/encode-runner.js';
import type { EncodeResult, EncodeTask } from '../writer/page-task.js';
import { defaultThreads, sharedPool, WORKER_URL } from './pool-runner.js';
import { prepareEncodeTask } from './write-transfer.js';
import type { WorkerError } from './worker.js';

export interface WritePoolOptions {
  /** Worker threads for the shared pool (default: defaultThreads(), inline on one or two cores). */
  threads?: number;
  /** Run on this existing pool instead (one made by `createDecodePool`, or any pool given our worker file per task). */
  pool?: WorkerPool;
  /** Tasks of fewer points (rows × columns) than this run on the calling thread (default 4096; 0 sends everything to the pool). */
  minTaskPoints?: number;
}

function pointsOf(task: EncodeTask): number {
  const last = (ends: Int32Array) => (ends.length === 0 ? 0 : ends[ends.length - 1]!);
  if (task.kind === 'encodeAlignedPages') return last(task.pageEnds) * Math.max(1, task.columns.length);
  let n = 0;
  for (const s of task.series) n += last(s.pageEnds);
  return n;
}

export class EncodePoolRunner implements EncodeRunner {
  readonly offThread = true;
  readonly concurrency: number;
  private readonly minTaskPoints: number;

  constructor(
    readonly pool: WorkerPool,
    options: { minTaskPoints?: number } = {},
  ) {
    this.concurrency = Math.max(1, pool.options.maxThreads);
    this.minTaskPoints = options.minTaskPoints ?? 4096;
  }

  async run(task: EncodeTask): Promise<EncodeResult> {
    // Below this size, handing a task to a thread costs more than encoding it here.
    if (pointsOf(task) < this.minTaskPoints) return inlineEncodeRunner.run(task);
    const { task: moved, transfer } = prepareEncodeTask(task);
    let out: EncodeResult | WorkerError;
    try {
      out = (await this.pool.run(moved, { filename: WORKER_URL, transferList: transfer })) as EncodeResult | WorkerError;
    } catch (e) {
      throw new TsFileError(ErrorCode.IO, `encode worker failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    }
    if ('error' in out) {
      const e = out.error;
      if (e.code !== undefined) throw new TsFileError(e.code as Code, e.message, { file: e.file, offset: e.offset, expected: e.expected, actual: e.actual });
      throw new TsFileError(ErrorCode.IO, `encode worker failed: ${e.message}`);
    }
    return out;
  }
}

/** A runner for writer options: inline for `threads: 0` (and by default on small machines, see defaultThreads), else the caller's pool or the shared one. */
export function writePoolRunner(options: WritePoolOptions = {}): EncodeRunner {
  const threads = options.threads ?? (options.pool === undefined ? defaultThreads() : undefined);
  if (threads === 0 && options.pool === undefined) return inlineEncodeRunner;
  const pool = options.pool ?? sharedPool(threads);
  return new EncodePoolRunner(pool, { minTaskPoints: options.minTaskPoints });
}

/** Makes the writer's `threads` / `pool` options create pool runners. */
export function installWritePoolRunner(): void {
  setEncodeRunnerFactory((o: EncodeRunnerOptions) => writePoolRunner({ threads: o.threads, pool: o.pool as WorkerPool | undefined }));
}
