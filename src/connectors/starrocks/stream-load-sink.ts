/**
 * StarRocks plain Stream Load sink (connectors.md §3.1, §3.3 at-least-once labels): one label per
 * request, reused on every retry of that request, so a retry after a lost answer finds its own
 * finished label instead of loading the rows twice. Across a crash and resume rows may load again
 * (at-least-once); use the transaction sink for exactly-once.
 */
import { randomBytes } from 'node:crypto';
import type { BatchView } from '../core/columns.js';
import { ConnectorError } from '../core/errors.js';
import { BatchingSink, type DeliveryGuarantee, type RequestSender } from '../core/sink.js';
import { streamLoad, type StarRocksEndpoint } from './client.js';
import { StreamLoadBody } from './body.js';
import { checkLabel, endpointFrom, layoutFrom, type StarRocksOptions } from './options.js';

export class StreamLoadSink extends BatchingSink {
  readonly name = 'starrocks';
  readonly guarantee: DeliveryGuarantee = 'at-least-once';
  readonly endpoint: StarRocksEndpoint;
  private readonly body: StreamLoadBody;
  private readonly labelBase: string;
  private readonly properties: Record<string, string>;
  private readonly labelWaitMs: number;
  /** Labels of completed requests, in order (tests and logs). */
  readonly labels: string[] = [];

  constructor(opts: StarRocksOptions) {
    super({ maxRows: 500_000, maxBytes: 64 * 1024 * 1024, ...opts });
    this.endpoint = { ...endpointFrom(opts, this.name), wire: this.metrics };
    this.body = new StreamLoadBody(layoutFrom(opts), this.name);
    this.labelBase = `${opts.labelPrefix ?? 'tsfile'}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    if (!checkLabel(`${this.labelBase}-0`)) {
      throw new ConnectorError(`label prefix ${JSON.stringify(opts.labelPrefix)} is not [-_A-Za-z0-9]`, { sink: this.name, failure: 'invalid', retryable: false });
    }
    this.properties = { timeout: '600', ...opts.properties };
    this.labelWaitMs = opts.labelWaitMs ?? 60_000;
  }

  protected override encode(view: BatchView, from: number, to: number): void {
    this.body.append(view, from, to);
  }

  protected override splitBefore(view: BatchView): boolean {
    return this.body.conflicts(view);
  }

  protected override pendingBytes(): number { return this.body.size; }

  protected override take(seq: number): RequestSender {
    const label = `${this.labelBase}-${seq}`;
    const headers = this.body.headers(this.properties);
    const body = this.body.bytes();
    this.body.clear();
    return async (_attempt, signal) => {
      await streamLoad(this.endpoint, label, headers, body, this.labelWaitMs, signal);
      this.labels.push(label);
    };
  }

  protected override async release(): Promise<void> { this.endpoint.agent?.destroy(); }
}
