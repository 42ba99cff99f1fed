/**
 * The shared retry core (connectors.md §3.4 retry options, §4 lessons): exponential backoff with
 * jitter, a bounded number of attempts, cancellation, and a retry only for failures that say they
 * are retryable. Idempotence of the retried request is the caller's job (labels, overwrite by time).
 */
import { AbortError, throwIfAborted } from '../../io/errors.js';
import { ConnectorError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (0 = no retry). */
  maxRetries: number;
  /** First backoff in ms; doubles each retry up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, initialBackoffMs: 200, maxBackoffMs: 5000 };

/** Sleeps `ms`, rejecting with AbortError when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new AbortError(undefined, { cause: signal.reason })); return; }
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(t); reject(new AbortError(undefined, { cause: signal?.reason })); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function backoffMs(policy: RetryPolicy, retry: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** retry);
  // Up to 25% jitter so parallel writers do not retry in lock step.
  return Math.round(base * (0.75 + Math.random() * 0.25));
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or retries run out.
 * `onRetry` is called before each sleep (metrics, logs).
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  opts: { signal?: AbortSignal | undefined; onRetry?: (error: unknown, n: number) => void } = {},
): Promise<T> {
  for (let n = 0; ; n++) {
    throwIfAborted(opts.signal);
    try {
      return await attempt(n);
    } catch (e) {
      if (!isRetryable(e) || n >= policy.maxRetries || opts.signal?.aborted) throw e;
      opts.onRetry?.(e, n + 1);
      await sleep(backoffMs(policy, n), opts.signal);
    }
  }
}

export function isRetryable(e: unknown): boolean {
  return e instanceof ConnectorError && e.retryable;
}
