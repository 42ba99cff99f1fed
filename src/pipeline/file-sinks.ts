/**
 * File sinks of the pipeline, beside the database adapters. `CsvFileSink` appends points in the fixtures' canonical layout (`device,measurement,time,value`, one line per
 * non-null point) to one file and fsyncs on flush. `ArrowIpcDirectorySink` writes, per device and
 * per flush, one Arrow IPC stream file (a stream has one schema, and devices differ), renamed into
 * place only once complete. Both are at-least-once: rows re-sent after a crash are appended again.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { epochWords } from '../arrow/epoch-values.js';
import { formatInt64 } from '../export/value-format.js';
import type { DeliveryGuarantee, PipeBatch, PipeSink, PipeSinkMetrics } from './types.js';

function emptyMetrics(): PipeSinkMetrics {
  return { rows: 0, bytes: 0, batches: 0, retries: 0, failedBatches: 0, latencyTotalMs: 0, latencyMaxMs: 0, requests: 0, bytesSent: 0 };
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function pad(n: number, w: number): string { return String(n).padStart(w, '0'); }

/** Canonical text of one cell (fixtures/README.md "Canonical CSV layout"). */
export function canonicalValue(type: string, v: unknown): string {
  switch (type) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'FLOAT': case 'DOUBLE': return Object.is(v, -0) ? '-0' : String(v);
    case 'DATE': {
      // Arrow DateDay values come back as epoch ms (number) from the row getter.
      const d = new Date(typeof v === 'number' ? v : (v as Date).getTime());
      return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
    }
    case 'BLOB': return `0x${Buffer.from(v as Uint8Array).toString('hex')}`;
    default: return String(v);
  }
}

export class CsvFileSink implements PipeSink {
  readonly name = 'csv-file';
  readonly guarantee: DeliveryGuarantee = 'at-least-once';
  readonly metrics = emptyMetrics();
  private handle: fs.FileHandle | undefined;
  private pending: string[] = [];
  private pendingRows = 0;

  constructor(readonly file: string, private readonly header = true) {}

  private async open(): Promise<fs.FileHandle> {
    if (this.handle !== undefined) return this.handle;
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    let exists = true;
    try { await fs.access(this.file); } catch { exists = false; }
    this.handle = await fs.open(this.file, 'a');
    if (!exists && this.header) await this.handle.write('device,measurement,time,value\n');
    return this.handle;
  }

  async write(item: PipeBatch): Promise<void> {
    const b = item.batch;
    const fields = b.schema.fields;
    const timeIndex = Math.max(0, fields.findIndex((f) => f.name === 'time'));
    // Times (and TIMESTAMP values) read as stored int64: the Timestamp getter would round to a Number.
    const times = epochWords(b.getChildAt(timeIndex)!.data[0]!);
    const device = csvField(item.device);
    for (let k = 0; k < fields.length; k++) {
      if (k === timeIndex) continue;
      const f = fields[k]!;
      const type = f.metadata.get('tsfile.type') ?? 'TEXT';
      const col = b.getChildAt(k)!;
      const name = csvField(f.name);
      const stamps = type === 'TIMESTAMP' ? epochWords(col.data[0]!) : undefined;
      for (let r = 0; r < b.numRows; r++) {
        const v = col.get(r);
        if (v === null) continue;
        const text = stamps !== undefined ? formatInt64(stamps, r) : canonicalValue(type, v);
        this.pending.push(`${device},${name},${formatInt64(times, r)},${csvField(text)}\n`);
      }
    }
    this.pendingRows += b.numRows;
    if (this.pending.length > 10_000) await this.writeOut();
  }

  private async writeOut(): Promise<void> {
    if (this.pending.length === 0) return;
    const h = await this.open();
    const text = this.pending.join('');
    this.pending = [];
    const started = performance.now();
    await h.write(text);
    this.metrics.bytes += Buffer.byteLength(text);
    this.metrics.rows += this.pendingRows;
    this.metrics.batches++;
    this.metrics.latencyTotalMs += performance.now() - started;
    this.pendingRows = 0;
  }

  async flush(): Promise<void> {
    await this.writeOut();
    await this.handle?.sync();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}

export class ArrowIpcDirectorySink implements PipeSink {
  readonly name = 'arrow-ipc';
  readonly guarantee: DeliveryGuarantee = 'at-least-once';
  readonly metrics = emptyMetrics();
  private writers = new Map<string, { writer: RecordBatchStreamWriter; rows: number; schema: RecordBatch['schema'] }>();
  private seq = 0;
  /** Files written, in order. */
  readonly files: string[] = [];

  constructor(readonly dir: string) {}

  async write(item: PipeBatch): Promise<void> {
    let w = this.writers.get(item.device);
    if (w !== undefined && w.schema !== item.batch.schema && !sameFields(w.schema, item.batch.schema)) {
      await this.flush();
      w = undefined;
    }
    if (w === undefined) { w = { writer: new RecordBatchStreamWriter(), rows: 0, schema: item.batch.schema }; this.writers.set(item.device, w); }
    w.writer.write(item.batch as RecordBatch);
    w.rows += item.batch.numRows;
  }

  async flush(): Promise<void> {
    const writers = this.writers;
    this.writers = new Map();
    await fs.mkdir(this.dir, { recursive: true });
    for (const [device, w] of writers) {
      w.writer.finish();
      const bytes = w.writer.toUint8Array(true);
      const name = `${device.replace(/[^\w.-]/g, '_')}.${pad(this.seq++, 6)}.arrows`;
      const final = path.join(this.dir, name);
      const tmp = `${final}.tmp`;
      const h = await fs.open(tmp, 'w');
      try { await h.write(bytes); await h.sync(); } finally { await h.close(); }
      await fs.rename(tmp, final);
      this.files.push(final);
      this.metrics.rows += w.rows;
      this.metrics.bytes += bytes.length;
      this.metrics.batches++;
    }
  }

  async close(): Promise<void> { await this.flush(); }
}

function sameFields(a: RecordBatch['schema'], b: RecordBatch['schema']): boolean {
  if (a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => f.name === b.fields[i]!.name && String(f.type) === String(b.fields[i]!.type));
}
