/**
 * Where the writer's encode tasks run (tsfile-format.md §6, §16.1: once planned, pages are
 * independent). The writer only knows this interface: inline on the calling thread by default, or
 * on a worker pool that the engine plugs in (`src/engine/write-pool.ts`). Both run `runEncodeTask`,
 * and the writer assembles chunks from the results in page order, so files are identical whatever
 * runs them.
 */
import { runEncodeTask, type EncodeResult, type EncodeTask } from './page-task.js';

export interface EncodeRunner {
  /**
   * Runs one task. The runner may take over (transfer) the task's typed arrays: the writer does not
   * touch them again.
   */
  run(task: EncodeTask): Promise<EncodeResult>;
  /** How many tasks are worth keeping in flight at once. */
  readonly concurrency: number;
  /**
   * True when tasks run on other threads: the writer then hands over copies of its buffers and
   * goes on buffering while they run. False: the writer passes views of its buffers and waits for
   * each task before touching them again.
   */
  readonly offThread: boolean;
}

let inlineTail: Promise<unknown> = Promise.resolve();

/**
 * Runs tasks on the calling thread, one after another: the page encoders reuse module-level
 * buffers, so two tasks must not interleave across a codec that compresses asynchronously.
 */
export const inlineEncodeRunner: EncodeRunner = {
  concurrency: 1,
  offThread: false,
  run(task) {
    const run = inlineTail.then(() => runEncodeTask(task));
    inlineTail = run.catch(() => undefined);
    return run;
  },
};

/** Options that choose a runner: a thread count (0 = inline), a caller's own pool, or a runner. */
export interface EncodeRunnerOptions {
  /** Worker threads (default where a pool is installed: inline on one or two cores, else cores − 1; 0 runs inline). */
  threads?: number;
  /** A caller's own Piscina instance to run tasks on. */
  pool?: unknown;
  /** A ready runner (takes precedence). */
  runner?: EncodeRunner;
}

type EncodeRunnerFactory = (options: EncodeRunnerOptions) => EncodeRunner;
let factory: EncodeRunnerFactory | undefined;

/** Installed by the Node entry point so that `threads`/`pool` writer options create pool runners. */
export function setEncodeRunnerFactory(f: EncodeRunnerFactory | undefined): void {
  factory = f;
}

export function resolveEncodeRunner(options: EncodeRunnerOptions): EncodeRunner {
  if (options.runner !== undefined) return options.runner;
  if (options.threads === 0 && options.pool === undefined) return inlineEncodeRunner;
  return factory?.(options) ?? inlineEncodeRunner;
}

/**
 * Runs a writer's page tasks. Inline, each task is done before `submit` returns (it reads the
 * caller's buffers). Off-thread, a task owns copies of the rows and at most `limit` run at once.
 */
export class TaskQueue {
  private readonly inFlight: Promise<unknown>[] = [];

  constructor(
    readonly runner: EncodeRunner,
    private readonly limit: number,
  ) {}

  get offThread(): boolean {
    return this.runner.offThread;
  }

  async submit(task: EncodeTask): Promise<{ result: Promise<EncodeResult> }> {
    if (!this.runner.offThread) {
      const r = await this.runner.run(task);
      return { result: Promise.resolve(r) };
    }
    // A failure surfaces where the result is used (at flush), not here.
    while (this.inFlight.length >= this.limit) await this.inFlight.shift()!.catch(() => undefined);
    const result = this.runner.run(task);
    result.catch(() => undefined);
    this.inFlight.push(result);
    return { result };
  }
}
