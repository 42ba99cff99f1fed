/**
 * Streaming Parquet writing on parquet-wasm (Arrow-native, Rust/WASM): Arrow record batches in,
 * Parquet bytes out, one row group buffered at a time (so memory is bounded by `rowGroupRows`, not by
 * the input). Each batch crosses into WASM as an Arrow IPC message, keeping every Arrow type as is
 * (Timestamp with unit, DateDay, Binary, Float32, dictionaries). The library is loaded on first use.
 */
import { RecordBatch, RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TextSink } from './text-sink.js';

export type ParquetCompression = 'zstd' | 'snappy' | 'uncompressed';

export interface ParquetWriteOptions {
  /** Page compression (default zstd). */
  compression?: ParquetCompression;
  /** Most rows per row group (default 524 288): the unit of memory while writing and of parallelism for readers. */
  rowGroupRows?: number;
  /** Columns to dictionary-encode (e.g. `device`); the others are written plain, which is several times faster. */
  dictionaryColumns?: readonly string[];
  signal?: AbortSignal;
}

type ParquetWasm = typeof import('parquet-wasm');
let loaded: Promise<ParquetWasm> | undefined;

/** parquet-wasm's Node build (it instantiates its WASM module synchronously on import). */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loaded ??= import('parquet-wasm').catch((cause: unknown) => {
    loaded = undefined;
    throw new TsFileError(ErrorCode.UNSUPPORTED, `the Parquet library (parquet-wasm) did not load: ${(cause as Error).message}`, { cause });
  });
  return loaded;
}

export const PARQUET_COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'uncompressed'];

export function parseParquetCompression(name: string): ParquetCompression {
  const n = name.toLowerCase() as ParquetCompression;
  if (!PARQUET_COMPRESSIONS.includes(n)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'unknown Parquet compression', { expected: PARQUET_COMPRESSIONS.join(', '), actual: name });
  }
  return n;
}

/** One batch as an Arrow IPC stream (schema, dictionaries, the batch). */
function batchToIpc(schema: Schema, batch: RecordBatch): Uint8Array {
  const w = new RecordBatchStreamWriter();
  w.reset(undefined, schema);
  w.write(batch);
  w.finish();
  return w.toUint8Array(true);
}

/**
 * Writes `batches` (all of `schema`) to `out` as one Parquet file; returns the rows written. The
 * batches are pulled only as fast as parquet-wasm asks for them and its output is written before
 * the next is taken, so a slow sink slows the scan rather than filling memory.
 */
export async function writeParquetStream(schema: Schema, batches: AsyncIterable<RecordBatch>, out: TextSink, options: ParquetWriteOptions = {}): Promise<number> {
  const pw = await loadParquetWasm();
  const codec = { zstd: pw.Compression.ZSTD, snappy: pw.Compression.SNAPPY, uncompressed: pw.Compression.UNCOMPRESSED }[options.compression ?? 'zstd'];
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setDictionaryEnabled(false)
    .setMaxRowGroupSize(Math.max(1, options.rowGroupRows ?? 524_288))
    .setCreatedBy('tsfile-arrow');
  for (const c of options.dictionaryColumns ?? []) builder = builder.setColumnDictionaryEnabled(c, true);
  const props = builder.build();
  const it = batches[Symbol.asyncIterator]();
  let rows = 0;
  let failure: unknown;
  // An empty input still makes a valid file with the schema: one empty batch carries it.
  let sentAny = false;
  const input = new ReadableStream<unknown>({
    async pull(controller) {
      try {
        throwIfAborted(options.signal);
        const next = await it.next();
        if (next.done) {
          if (!sentAny) {
            sentAny = true;
            enqueueIpc(pw, controller, batchToIpc(schema, new RecordBatch(schema)));
          }
          controller.close();
          return;
        }
        const batch = next.value;
        if (batch.numRows === 0) return;
        sentAny = true;
        rows += batch.numRows;
        enqueueIpc(pw, controller, batchToIpc(schema, batch));
      } catch (e) {
        failure = e;
        controller.error(e);
      }
    },
    async cancel() {
      await it.return?.();
    },
  }, { highWaterMark: 1 });
  let output: ReadableStream<Uint8Array>;
  try {
    output = (await pw.transformParquetStream(input as ReadableStream, props)) as ReadableStream<Uint8Array>;
  } catch (e) {
    throw failure ?? parquetError(e);
  }
  const reader = output.getReader();
  try {
    for (;;) {
      let r: { done: boolean; value?: Uint8Array };
      try {
        r = await reader.read();
      } catch (e) {
        throw failure ?? parquetError(e);
      }
      if (r.done) break;
      await out.write(r.value!);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    reader.releaseLock();
  }
  if (failure !== undefined) throw failure;
  return rows;
}

function enqueueIpc(pw: ParquetWasm, controller: ReadableStreamDefaultController<unknown>, ipc: Uint8Array): void {
  const table = pw.Table.fromIPCStream(ipc);
  try {
    for (const b of table.recordBatches()) controller.enqueue(b);
  } finally {
    table.free();
  }
}

function parquetError(e: unknown): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, `Parquet writing failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
