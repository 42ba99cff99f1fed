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
