/**
 * Shapes of the pipeline (after IoTDB's extract → process → connect): what a sink must offer (the connectors' sinks and the file sinks fit it structurally), the
 * processing hook, and the status the API reports.
 */
import type { RecordBatch } from 'apache-arrow';

export interface PipeBatch {
  device: string;
  batch: RecordBatch;
}

export type DeliveryGuarantee = 'at-least-once-idempotent' | 'at-least-once' | 'exactly-once';

export interface PipeSinkMetrics {
  rows: number; bytes: number; batches: number; retries: number; failedBatches: number; latencyTotalMs: number; latencyMaxMs: number;
  /** Wire requests (HTTP requests, RPC calls) and bytes really sent, where the sink counts them. */
  requests?: number; bytesSent?: number;
}

export interface PipeSink {
  readonly name: string;
  readonly guarantee: DeliveryGuarantee;
  readonly metrics: PipeSinkMetrics;
  write(item: PipeBatch, signal?: AbortSignal): Promise<void>;
  /** Everything written so far is durable when this resolves. */
  flush(signal?: AbortSignal): Promise<void>;
  close(signal?: AbortSignal): Promise<void>;
}

/** One resumable part of a database source (e.g. a table × a time window), read in a fixed batch order. */
export interface SourceSplit {
  /** Stable name of the split: the checkpoint records progress under it. */
  readonly id: string;
  /** Starts reading (a source may begin fetching right away, so a few opened splits read in parallel). */
  open(signal?: AbortSignal): Promise<{ scan(o: { signal?: AbortSignal }): AsyncIterable<PipeBatch>; close(): Promise<void> }>;
}

/** A source other than TsFiles: a database query split into resumable parts. */
export interface SplitSource {
  readonly name: string;
  splits(signal?: AbortSignal): Promise<SourceSplit[]>;
  /** Splits opened ahead of the one being written (parallel reads; default 1 = none ahead). */
  readonly parallel?: number;
  close?(): Promise<void>;
}

export function isSplitSource(s: unknown): s is SplitSource {
  return typeof (s as Partial<SplitSource>).splits === 'function';
}

export interface TransactionalPipeSink extends PipeSink {
  useLabel(label: string): void;
  settle(label: string, signal?: AbortSignal): Promise<'committed' | 'absent'>;
  abort(): Promise<void>;
}

export function isTransactionalSink(s: PipeSink): s is TransactionalPipeSink {
  const t = s as Partial<TransactionalPipeSink>;
  return typeof t.useLabel === 'function' && typeof t.settle === 'function' && typeof t.abort === 'function';
}

/** Filter (return null), map, rename or split batches; may be async. */
export type Processor = (item: PipeBatch) => PipeBatch | PipeBatch[] | null | Promise<PipeBatch | PipeBatch[] | null>;

export type PipeState = 'idle' | 'running' | 'stopping' | 'stopped' | 'done' | 'failed';

export interface PipeStatus {
  state: PipeState;
  /** Files finished, files known. */
  filesDone: number;
  filesTotal: number;
  currentFile: string | undefined;
  /** Source batches and rows read (this run). */
  batchesRead: number;
  rowsRead: number;
  /** Rows skipped because the checkpoint says they were already written. */
  rowsSkipped: number;
  sink: PipeSinkMetrics;
  startedAt: number | undefined;
  error: unknown;
}
