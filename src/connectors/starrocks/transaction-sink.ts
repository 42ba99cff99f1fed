/**
 * StarRocks Transaction Stream Load sink (connectors.md §3.2, §3.3). The rows written between two
 * flushes (a segment) go into transactions named after one base label: the base itself for the
 * first `columns` layout, `<base>_1`, `<base>_2`... for further layouts, since every load of one
 * transaction must carry identical headers. Flush runs two phases: prepare every transaction, then
 * commit every one — so after a crash `settle()` can tell from the label states alone whether the
 * commit phase had begun (any committed, or all prepared: commit the rest) or not (roll all back).
 * A commit whose answer is lost or says "publish/commit timeout" is settled by the label state.
 * Loads are never retried in place: a failed load rolls the segment back and the caller replays it
 * under a new base label.
 */
import { randomBytes } from 'node:crypto';
import type { BatchView } from '../core/columns.js';
import { ConnectorError } from '../core/errors.js';
import { withRetry, type RetryPolicy } from '../core/retry.js';
import { BatchingSink, type DeliveryGuarantee, type RequestSender } from '../core/sink.js';
import { awaitLabelState, getLabelState, transactionCall, txnFailure, type LabelState, type StarRocksEndpoint } from './client.js';
import { StreamLoadBody } from './body.js';
import { checkLabel, endpointFrom, layoutFrom, type StarRocksOptions } from './options.js';

export type SettledOutcome = 'committed' | 'absent';

export class TransactionStreamLoadSink extends BatchingSink {
  readonly name = 'starrocks-txn';
  readonly guarantee: DeliveryGuarantee = 'exactly-once';
  readonly endpoint: StarRocksEndpoint;
  private readonly body: StreamLoadBody;
  private readonly properties: Record<string, string>;
  private readonly callRetry: RetryPolicy;
  private readonly labelWaitMs: number;
  private readonly autoLabelBase: string;
  private autoSeq = 0;
  private nextLabel: string | undefined;
  /** Base label of the open segment, and its transactions by header set (in creation order). */
  private base: string | undefined;
  private readonly open = new Map<string, string>();
  /** Set once the first commit of the open segment was sent: from then on nothing may be rolled back. */
  private committing = false;
  /** Labels committed by this sink, in order. */
  readonly committed: string[] = [];

  constructor(opts: StarRocksOptions) {
    super({ maxRows: 500_000, maxBytes: 64 * 1024 * 1024, ...opts, concurrency: 1, retry: { ...opts.retry, maxRetries: 0 } });
    this.callRetry = { maxRetries: 3, initialBackoffMs: 200, maxBackoffMs: 5000, ...opts.retry };
    this.endpoint = { ...endpointFrom(opts, this.name), wire: this.metrics };
    this.body = new StreamLoadBody(layoutFrom(opts), this.name);
    this.properties = { ...opts.properties };
    this.labelWaitMs = opts.labelWaitMs ?? 60_000;
    this.autoLabelBase = `${opts.labelPrefix ?? 'tsfile'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /** Names the segment the next written rows open (the pipeline derives it from its checkpoint). */
  useLabel(label: string): void {
    if (!checkLabel(label) || label.length > 120) throw new ConnectorError(`label ${JSON.stringify(label)} is not [-_A-Za-z0-9]{1,120}`, { sink: this.name, failure: 'invalid', retryable: false });
    if (this.base !== undefined) throw new ConnectorError(`segment ${this.base} is still open`, { sink: this.name, failure: 'invalid', retryable: false });
    this.nextLabel = label;
  }

  /** Base label of the open segment, if any. */
  get currentLabel(): string | undefined { return this.base; }

  protected override encode(view: BatchView, from: number, to: number): void { this.body.append(view, from, to); }
  protected override splitBefore(view: BatchView): boolean { return this.body.conflicts(view); }
  protected override pendingBytes(): number { return this.body.size; }
  protected override take(_seq: number): RequestSender {
    const headers = this.body.headers(this.properties);
    const body = this.body.bytes();
    this.body.clear();
    return (_attempt, signal) => this.load(headers, body, signal);
  }

  private async load(headers: Record<string, string>, body: Uint8Array, signal?: AbortSignal): Promise<void> {
    const key = JSON.stringify(headers);
    let label = this.open.get(key);
    if (label === undefined) {
      if (this.base === undefined) {
        this.base = this.nextLabel ?? `${this.autoLabelBase}-${this.autoSeq++}`;
        this.nextLabel = undefined;
      }
      label = subLabel(this.base, this.open.size);
      await this.begin(label, signal);
      this.open.set(key, label);
    }
    let r;
    try {
      r = await transactionCall(this.endpoint, 'load', label, headers, body, signal);
    } catch (e) {
      await this.rollbackOpen();
      throw e;
    }
    if (r.status !== 'OK') {
      await this.rollbackOpen();
      throw txnFailure(this.endpoint, 'load', r, !r.message.toLowerCase().includes('too many filtered rows'));
    }
  }

  private async begin(label: string, signal?: AbortSignal): Promise<void> {
    const r = await withRetry(async () => {
      const res = await transactionCall(this.endpoint, 'begin', label, { ...pick(this.properties, ['timeout', 'idle_transaction_timeout']) }, undefined, signal);
      if (res.status === 'TXN_IN_PROCESSING') throw txnFailure(this.endpoint, 'begin', res, true);
      return res;
    }, this.callRetry, { signal, onRetry: () => { this.metrics.retries++; } }).catch(async (e: unknown) => {
      await this.rollbackOpen();
      throw e;
    });
    if (r.status !== 'OK') {
      await this.rollbackOpen();
      throw txnFailure(this.endpoint, 'begin', r, false);
    }
  }

  protected override async afterFlush(signal?: AbortSignal): Promise<void> {
    const labels = [...this.open.values()];
    if (labels.length === 0) { this.base = undefined; this.nextLabel = undefined; return; }
    // Phase 1: prepare all. Any failure rolls the whole segment back.
    try {
      for (const label of labels) await this.prepare(label, signal);
    } catch (e) {
      await this.rollbackOpen();
      throw e;
    }
    // Phase 2: commit all (each settled by its label state when the answer is unclear). If this
    // fails part-way the transactions stay PREPARED for settle() to finish.
    this.committing = true;
    for (const label of labels) { await this.commitPrepared(label, signal); this.committed.push(label); }
    this.open.clear();
    this.base = undefined;
    this.committing = false;
  }

  private async prepare(label: string, signal?: AbortSignal): Promise<void> {
    await withRetry(async () => {
      const r = await transactionCall(this.endpoint, 'prepare', label, pick(this.properties, ['prepared_timeout']), undefined, signal);
      if (r.status === 'OK') return;
      if (r.status === 'TXN_NOT_EXISTS' || r.status === 'TXN_IN_PROCESSING') {
        const s = await awaitLabelState(this.endpoint, label, this.labelWaitMs, signal);
        if (s === 'PREPARED') return;
      }
      throw txnFailure(this.endpoint, 'prepare', r, r.status === 'TXN_IN_PROCESSING');
    }, this.callRetry, { signal, onRetry: () => { this.metrics.retries++; } });
  }

  /** Commits a PREPARED transaction; a lost or timed-out answer is settled by the label state. */
  private async commitPrepared(label: string, signal?: AbortSignal): Promise<void> {
    await withRetry(async () => {
      let r: Awaited<ReturnType<typeof transactionCall>> | undefined;
      try {
        r = await transactionCall(this.endpoint, 'commit', label, pick(this.properties, ['timeout']), undefined, signal);
        if (r.status === 'OK') return;
      } catch (e) {
        if (!(e instanceof ConnectorError) || !e.retryable) throw e;
      }
      const s = await awaitLabelState(this.endpoint, label, this.labelWaitMs, signal);
      if (s === 'COMMITTED' || s === 'VISIBLE') return;
      if (s === 'PREPARED') {
        throw new ConnectorError(`commit of ${label} not confirmed (state PREPARED)`, { sink: this.name, failure: 'rejected', retryable: true, ...(r ? { status: r.status, serverMessage: r.message } : {}) });
      }
      throw new ConnectorError(`transaction ${label} ended ${s}; check prepared_timeout`, { sink: this.name, failure: 'rejected', retryable: false, ...(r ? { status: r.status, serverMessage: r.message } : {}) });
    }, this.callRetry, { signal, onRetry: () => { this.metrics.retries++; } });
  }

  /**
   * Settles the segment an earlier run left under base label `label`: its transactions are found
   * by probing `label`, `label_1`, ... until one is unknown. If the commit phase had begun (one is
   * committed, or all are prepared) the rest are committed; otherwise all are rolled back.
   */
  async settle(label: string, signal?: AbortSignal): Promise<SettledOutcome> {
    const found: [string, LabelState][] = [];
    for (let i = 0; i < 10_000; i++) {
      const l = subLabel(label, i);
      const s = await getLabelState(this.endpoint, l, signal);
      if (s === 'UNKNOWN') break;
      found.push([l, s]);
    }
    if (found.length === 0) return 'absent';
    const done = (s: LabelState): boolean => s === 'COMMITTED' || s === 'VISIBLE';
    const commitPhase = found.some(([, s]) => done(s)) || found.every(([, s]) => s === 'PREPARED' || done(s));
    if (commitPhase) {
      const stray = found.filter(([, s]) => s !== 'PREPARED' && !done(s));
      if (stray.length > 0) {
        throw new ConnectorError(`segment ${label} is partly committed and ${stray.map(([l, s]) => `${l} is ${s}`).join(', ')}; it cannot be completed`, { sink: this.name, failure: 'rejected', retryable: false });
      }
      for (const [l, s] of found) if (s === 'PREPARED') await this.commitPrepared(l, signal);
      return 'committed';
    }
    for (const [l, s] of found) if (s === 'PREPARE' || s === 'PREPARED') await this.rollbackQuietly(l);
    return 'absent';
  }

  /**
   * Drops pending rows and rolls back the open segment (the caller will replay it) — unless its
   * commit phase has begun: then its transactions are left PREPARED for `settle()` to commit.
   */
  async abort(): Promise<void> {
    this.body.clear();
    this.pendingRows = 0;
    this.pendingDevices.clear();
    if (this.committing) { this.open.clear(); this.base = undefined; this.committing = false; } else await this.rollbackOpen();
    this.nextLabel = undefined;
  }

  private async rollbackOpen(): Promise<void> {
    const labels = [...this.open.values()];
    this.open.clear();
    this.base = undefined;
    for (const l of labels) await this.rollbackQuietly(l);
  }

  private async rollbackQuietly(label: string): Promise<void> {
    try { await transactionCall(this.endpoint, 'rollback', label, {}, undefined); } catch { /* the server times it out */ }
  }

  protected override async release(): Promise<void> { this.endpoint.agent?.destroy(); }
}

/** Transaction `n` of a segment: the base label itself, then `<base>_1`, `<base>_2`... */
function subLabel(base: string, n: number): string {
  return n === 0 ? base : `${base}_${n}`;
}

function pick(o: Record<string, string>, keys: string[]): Record<string, string> {
  const r: Record<string, string> = {};
  for (const k of keys) if (o[k] !== undefined) r[k] = o[k];
  return r;
}
