/**
 * The part of a piscina pool the engine uses. Our public types name this interface, not piscina's
 * classes, so a consumer's type-check does not depend on piscina's declarations; a Piscina
 * instance (the caller's own, or one of ours) fits it.
 */
export interface WorkerPool {
  readonly options: { readonly maxThreads: number };
  run(task: unknown, options: { filename?: string; transferList?: ArrayBuffer[]; signal?: AbortSignal }): Promise<unknown>;
  destroy(): Promise<void>;
  /** Tasks waiting for a worker. */
  readonly queueSize: number;
  /** Tasks finished so far. */
  readonly completed: number;
  /** The live workers. */
  readonly threads: readonly { terminate(): Promise<number> }[];
}
