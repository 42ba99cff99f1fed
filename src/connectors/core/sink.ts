/**
 * The sink contract and the batching core the three adapters share (connectors.md §4 lessons:
 * strict classification, idempotent retries, flush on checkpoints, byte budgets). Device batches
 * are cut into row ranges, encoded straight into the adapter's pending request, and sent when it
 * reaches `maxRows` / `maxBytes`, when `flushIntervalMs` has passed, or on `flush()`. One request
 * is pending at a time (plus `concurrency` in flight), so memory stays bounded whatever the input
 * size. Each request is retried under the shared policy, then either counted in the metrics or
 * reported as a ConnectorError naming the batch, its rows and devices.
 */
import { throwIfAborted } from '../../io/errors.js';
import { viewBatch, type BatchView, type DeviceBatch } from './columns.js';
import { ConnectorError } from './errors.js';
import { emptyMetrics, recordBatch, type SinkMetrics } from './metrics.js';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.js';

/** What a sink promises about rows after a crash and a resumed run (documented per sink in README). */
export type DeliveryGuarantee =
  /** Rows may be written twice; a second write of the same row overwrites it (same key = same row). */
  | 'at-least-once-idempotent'
  /** Rows may be written twice and then exist twice. */
  | 'at-least-once'
  /** Every row exactly once, also across a crash and resume. */
  | 'exactly-once';

export interface Sink {
  readonly name: string;
  readonly guarantee: DeliveryGuarantee;
  readonly metrics: SinkMetrics;
  /** Accepts one device batch; may send requests before returning. */
  write(item: DeviceBatch, signal?: AbortSignal): Promise<void>;
  /** Resolves once everything written so far is durable on the server. */
  flush(signal?: AbortSignal): Promise<void>;
  /** Flushes and releases connections. */
  close(signal?: AbortSignal): Promise<void>;
}

/**
 * A sink whose writes between two flushes form one named transaction, and which can settle a
 * transaction left behind by an earlier run (StarRocks Transaction Stream Load).
 */
export interface TransactionalSink extends Sink {
  /** Names the transaction the next written rows open. */
  useLabel(label: string): void;
  /** Finishes (commit) or discards (rollback) what an earlier run left under `label`. */
  settle(label: string, signal?: AbortSignal): Promise<'committed' | 'absent'>;
  /** Rolls back the open transaction and drops pending rows. */
  abort(): Promise<void>;
}

export function isTransactional(s: Sink): s is TransactionalSink {
  const t = s as Partial<TransactionalSink>;
  return typeof t.useLabel === 'function' && typeof t.settle === 'function' && typeof t.abort === 'function';
}

export type RequestSender = (attempt: number, signal?: AbortSignal) => Promise<void>;

/** TLS settings for https / iotdbs targets: extra trusted CA (PEM) or, for tests only, no verification. */
export interface TlsOptions { ca?: string | Buffer; rejectUnauthorized?: boolean }

export interface BatchingOptions {
  /** Requests in flight at once (default 1); errors of background requests surface on the next call. */
  concurrency?: number;
  /** Rows per request (default 10 000). */
  maxRows?: number;
  /** Request body bytes that trigger a send (default 8 MiB). */
  maxBytes?: number;
  /** Send a non-empty pending request at least this often (ms); 0 = only on size or flush. */
  flushIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called before each retry (for progress output); never given credentials. */
  onRetry?: (error: unknown, attempt: number) => void;
}

export abstract class BatchingSink implements Sink {
  abstract readonly name: string;
  abstract readonly guarantee: DeliveryGuarantee;
  readonly metrics: SinkMetrics = emptyMetrics();
  protected readonly maxRows: number;
  protected readonly maxBytes: number;
  protected readonly retry: RetryPolicy;
  private readonly flushIntervalMs: number;
  private readonly onRetry: BatchingOptions['onRetry'];
  protected pendingRows = 0;
  protected readonly pendingDevices = new Set<string>();
  private pendingSince = 0;
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private timerError: unknown;
  private closed = false;
  private readonly concurrency: number;
  private readonly inflight = new Set<Promise<void>>();
  private backgroundError: unknown;

  constructor(opts: BatchingOptions) {
    this.maxRows = Math.max(1, opts.maxRows ?? 10_000);
    this.maxBytes = Math.max(1024, opts.maxBytes ?? 8 * 1024 * 1024);
    this.flushIntervalMs = opts.flushIntervalMs ?? 0;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.onRetry = opts.onRetry;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  /** Appends rows [from, to) of `view` to the pending request. */
  protected abstract encode(view: BatchView, from: number, to: number): void;
  /** Size of the pending request body so far. */
  protected abstract pendingBytes(): number;
  /**
   * Takes the pending request out of the encoder (which starts empty again) and returns the
   * function that sends it; it is called again with attempt 1, 2, ... on retryable failures and
   * must resend the same content.
   */
  protected abstract take(seq: number): RequestSender;
  /** Releases connections. */
  protected async release(): Promise<void> {}
  /**
   * Rows encoded between two size checks: small enough that a request overshoots `maxBytes` by
   * little, large enough to keep the per-call overhead low. Sinks whose encoding is per call
   * (one tablet per call) raise it.
   */
  protected encodeChunkRows = 8192;
  /** True when `view` cannot share the pending request (e.g. another column layout). */
  protected splitBefore(_view: BatchView): boolean { return false; }

  write(item: DeviceBatch, signal?: AbortSignal): Promise<void> {
    return this.serial(async () => {
      this.rethrowTimerError();
      const view = viewBatch(item);
      if (this.pendingRows > 0 && this.splitBefore(view)) await this.sendPending(signal);
      for (let from = 0; from < view.rows;) {
        throwIfAborted(signal);
        const to = Math.min(view.rows, from + Math.min(this.encodeChunkRows, this.maxRows - this.pendingRows));
        if (this.pendingRows === 0) this.pendingSince = performance.now();
        this.encode(view, from, to);
        this.pendingRows += to - from;
        this.pendingDevices.add(view.device);
        from = to;
        if (this.pendingRows >= this.maxRows || this.pendingBytes() >= this.maxBytes) await this.sendPending(signal);
      }
      if (this.flushIntervalMs > 0 && this.pendingRows > 0) {
        if (performance.now() - this.pendingSince >= this.flushIntervalMs) await this.sendPending(signal);
        else this.armTimer();
      }
    });
  }

  flush(signal?: AbortSignal): Promise<void> {
    return this.serial(async () => {
      this.rethrowTimerError();
      await this.sendPending(signal);
      await this.drain();
      await this.afterFlush(signal);
    });
  }

  /** Hook for sinks that need a step after data is sent (transaction prepare/commit). */
  protected async afterFlush(_signal?: AbortSignal): Promise<void> {}

  async close(signal?: AbortSignal): Promise<void> {
    if (this.closed) return;
    try {
      await this.flush(signal);
    } finally {
      this.closed = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      await this.release();
    }
  }

  private async sendPending(signal?: AbortSignal): Promise<void> {
    this.rethrowBackground();
    if (this.pendingRows === 0) return;
    const seq = this.seq++;
    const rows = this.pendingRows;
    const bytes = this.pendingBytes();
    const devices = [...this.pendingDevices];
    const sender = this.take(seq);
    this.pendingRows = 0;
    this.pendingDevices.clear();
    const started = performance.now();
    const run = withRetry((attempt) => sender(attempt, signal), this.retry, {
      signal,
      onRetry: (e, n) => { this.metrics.retries++; this.onRetry?.(e, n); },
    }).then(() => recordBatch(this.metrics, rows, bytes, started), (e: unknown) => {
      this.metrics.failedBatches++;
      throw e instanceof ConnectorError ? e.withBatch(seq, rows, devices) : e;
    });
    if (this.concurrency === 1) { await run; return; }
    const tracked: Promise<void> = run.catch((e: unknown) => { if (this.backgroundError === undefined) this.backgroundError = e; })
      .finally(() => { this.inflight.delete(tracked); });
    this.inflight.add(tracked);
    while (this.inflight.size >= this.concurrency) await Promise.race(this.inflight);
    this.rethrowBackground();
  }

  /** Waits for every request in flight and rethrows the first failure among them. */
  private async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.race(this.inflight);
    this.rethrowBackground();
  }

  private rethrowBackground(): void {
    if (this.backgroundError === undefined) return;
    const e = this.backgroundError;
    this.backgroundError = undefined;
    throw e;
  }

  private armTimer(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.flushIntervalMs - (performance.now() - this.pendingSince));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.serial(() => this.sendPending()).catch((e: unknown) => { this.timerError = e; });
    }, wait);
    this.timer.unref();
  }

  private rethrowTimerError(): void {
    if (this.timerError === undefined) return;
    const e = this.timerError;
    this.timerError = undefined;
    throw e;
  }

  /** Runs `fn` after every earlier operation (writes and flushes never interleave). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
