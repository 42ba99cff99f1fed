/**
 * Ordered, bounded look-ahead: starts planned tasks ahead of the consumer while the estimated bytes
 * of decoded data in flight stay under a budget, and hands results back in plan order. A consumer
 * that stops pulling stops new tasks from starting, so a slow reader holds memory flat.
 */

export interface Planned<T> {
  /** Estimated bytes of the decoded result. */
  estimate: number;
  start(): Promise<T>;
}

export async function* prefetchOrdered<T>(plan: Iterable<Planned<T>> | AsyncIterable<Planned<T>>, maxBytes: number, maxTasks: number): AsyncGenerator<T> {
  const it: Iterator<Planned<T>> | AsyncIterator<Planned<T>> = Symbol.asyncIterator in plan ? plan[Symbol.asyncIterator]() : plan[Symbol.iterator]();
  const inflight: { estimate: number; promise: Promise<T> }[] = [];
  let bytes = 0;
  let pending: Planned<T> | undefined;
  let exhausted = false;
  const fill = async () => {
    while (!exhausted) {
      if (pending === undefined) {
        const r = await it.next();
        if (r.done) {
          exhausted = true;
          return;
        }
        pending = r.value;
      }
      if (inflight.length > 0 && (inflight.length >= maxTasks || bytes + pending.estimate > maxBytes)) return;
      const promise = pending.start();
      // Marked handled here; the rejection still surfaces when the consumer reaches it.
      promise.catch(() => undefined);
      inflight.push({ estimate: pending.estimate, promise });
      bytes += pending.estimate;
      pending = undefined;
    }
  };
  try {
    await fill();
    while (inflight.length > 0) {
      const head = inflight.shift()!;
      bytes -= head.estimate;
      const result = await head.promise;
      await fill();
      yield result;
    }
  } finally {
    await it.return?.();
  }
}
