/**
 * A pipeline sink that writes the batches into one new TsFile (what `tsfile import --from URL`
 * uses): each device is registered from its first batch's schema (every column, typed by
 * `tsfile.type`, aligned when `tsfile.aligned` says so; the writer's default encoding and compression). The file
 * is written beside its target and appears there only on `commit()`, after `close()`; `discard()`
 * removes it, so a failed or interrupted import leaves the target as it was.
 */
import { makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { parseDataTypeName } from '../format/codes.js';
import { AtomicFile } from '../io/atomic-file.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { TsFileWriterOptions } from '../writer/options.js';
import { TsFileWriter } from '../writer/tsfile-writer.js';
import type { DeliveryGuarantee, PipeBatch, PipeSink, PipeSinkMetrics } from './types.js';

export interface TsFilePipeSinkOptions extends TsFileWriterOptions {
  /** Replace an existing target on commit (default: refuse). */
  overwrite?: boolean;
}

export class TsFilePipeSink implements PipeSink {
  readonly name = 'tsfile';
  readonly guarantee: DeliveryGuarantee = 'at-least-once';
  readonly metrics: PipeSinkMetrics = { rows: 0, bytes: 0, batches: 0, retries: 0, failedBatches: 0, latencyTotalMs: 0, latencyMaxMs: 0 };
  private out: AtomicFile | undefined;
  private writer: TsFileWriter | undefined;
  private readonly devices = new Map<string, string[]>();
  private closed = false;

  constructor(readonly target: string, private readonly options: TsFilePipeSinkOptions = {}) {}

  private async open(): Promise<TsFileWriter> {
    if (this.writer !== undefined) return this.writer;
    this.out = await AtomicFile.create(this.target, { overwrite: this.options.overwrite === true });
    const { overwrite: _o, ...writerOptions } = this.options;
    this.writer = await TsFileWriter.open(this.out.tempPath, writerOptions);
    return this.writer;
  }

  async write(item: PipeBatch): Promise<void> {
    const w = await this.open();
    const b = item.batch;
    if (b.schema.metadata.get('tsfile.table') !== undefined) {
      throw new TsFileError(ErrorCode.UNSUPPORTED, `${item.device}: table-model batches cannot be written by this sink yet`, { file: this.target });
    }
    const fields = b.schema.fields.filter((f) => f.name !== 'time');
    let known = this.devices.get(item.device);
    if (known === undefined) {
      const specs = fields.map((f) => {
        // The writer's default encoding and compression per type.
        return { measurement: f.name, dataType: parseDataTypeName(f.metadata.get('tsfile.type') ?? 'TEXT') };
      });
      if (b.schema.metadata.get('tsfile.aligned') === 'true') w.registerAlignedDevice(item.device, specs);
      else w.registerTimeseries(item.device, specs);
      known = fields.map((f) => f.name);
      this.devices.set(item.device, known);
    } else if (fields.some((f) => !known!.includes(f.name))) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${item.device}: a later batch has columns the first one did not`, { file: this.target });
    }
    // The writer reads plain fields: the batch's own schema metadata is not carried over.
    const all = b.schema.fields;
    const schema = new Schema(all);
    const data = makeData({ type: new Struct(all), length: b.numRows, nullCount: 0, children: all.map((f) => b.getChild(f.name)!.data[0]!) });
    await w.write(item.device, new RecordBatch(schema, data));
    this.metrics.rows += b.numRows;
    this.metrics.batches++;
  }

  /** Nothing is durable before the file is complete: progress of a file target is not checkpointed. */
  async flush(): Promise<void> {}

  /** Finishes the TsFile (still at its temporary place). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const w = await this.open();
    await w.close();
    this.metrics.bytes = w.bytesWritten;
  }

  /** Moves the finished file to its target. */
  async commit(): Promise<void> {
    await this.close();
    await this.out!.commit();
  }

  /** Drops the temporary file; the target is untouched. */
  async discard(): Promise<void> {
    this.closed = true;
    await this.writer?.close().catch(() => undefined);
    await this.out?.discard();
  }
}
