/**
 * Where decode tasks run. The reader only knows this interface: inline on the calling thread by
 * default, or on a worker pool that the engine plugs in (`src/engine/pool-runner.ts`). Both run
 * `runChunkTask`, so results are identical whatever runs them.
 */
import { type ChunkTask, runChunkTask, type TaskResult } from './chunk-task.js';

export interface TaskRunner {
  /** Runs one task; rejects with an AbortError when `signal` fires. */
  run(task: ChunkTask, signal?: AbortSignal): Promise<TaskResult>;
  /** How many tasks run at once. */
  readonly concurrency: number;
  /** How many tasks to keep started ahead of the consumer (default 2 × concurrency); bytes are bounded separately. */
  readonly lookahead?: number;
}

export const inlineRunner: TaskRunner = {
  concurrency: 1,
  run: (task) => runChunkTask(task),
};

/** Options that choose a runner: a thread count (0 = inline), a caller's own pool, or a runner. */
export interface RunnerOptions {
  /** Worker threads (default where a pool is installed: inline on one or two cores, else cores − 1; 0 runs inline). */
  threads?: number;
  /** A caller's own Piscina instance to run tasks on. */
  pool?: unknown;
  /** A ready runner (takes precedence). */
  runner?: TaskRunner;
}

type RunnerFactory = (options: RunnerOptions) => TaskRunner;
let factory: RunnerFactory | undefined;

/** Installed by the Node entry point so that `threads`/`pool` options create pool runners. */
export function setRunnerFactory(f: RunnerFactory | undefined): void {
  factory = f;
}

export function resolveRunner(options: RunnerOptions): TaskRunner {
  if (options.runner !== undefined) return options.runner;
  if (options.threads === 0 && options.pool === undefined) return inlineRunner;
  return factory?.(options) ?? inlineRunner;
}
