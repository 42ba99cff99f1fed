/**
 * Sink metrics kept by every adapter: rows, bytes, requests, retries and request latency, as
 * plain counters a pipeline can read at any time. `requests` and `bytesSent` count what really went
 * on the wire (every HTTP request including redirects and retries, every RPC call, DDL included);
 * `batches` counts the sink's own requests (one may take several HTTP requests or RPC calls).
 */

/** Counters the transports (HTTP, framed Thrift) increment per request they send. */
export interface WireCounter { requests: number; bytesSent: number }

export interface SinkMetrics extends WireCounter {
  rows: number;
  bytes: number;
  /** Requests that completed successfully. */
  batches: number;
  retries: number;
  failedBatches: number;
  /** Sum and max of successful request latency in ms. */
  latencyTotalMs: number;
  latencyMaxMs: number;
}

export function emptyMetrics(): SinkMetrics {
  return { rows: 0, bytes: 0, batches: 0, retries: 0, failedBatches: 0, latencyTotalMs: 0, latencyMaxMs: 0, requests: 0, bytesSent: 0 };
}

export function recordBatch(m: SinkMetrics, rows: number, bytes: number, startedAt: number): void {
  const ms = performance.now() - startedAt;
  m.rows += rows;
  m.bytes += bytes;
  m.batches += 1;
  m.latencyTotalMs += ms;
  if (ms > m.latencyMaxMs) m.latencyMaxMs = ms;
}

export function addMetrics(into: SinkMetrics, from: SinkMetrics): void {
  into.rows += from.rows;
  into.bytes += from.bytes;
  into.batches += from.batches;
  into.requests += from.requests;
  into.bytesSent += from.bytesSent;
  into.retries += from.retries;
  into.failedBatches += from.failedBatches;
  into.latencyTotalMs += from.latencyTotalMs;
  into.latencyMaxMs = Math.max(into.latencyMaxMs, from.latencyMaxMs);
}
