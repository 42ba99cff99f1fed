/**
 * `exportParquet(reader | files, out, options)`: TsFiles → Parquet with exact types (see
 * parquet-layout.ts for the tables and columns). A single table goes to a byte sink; several (tables
 * of the table model, or `layout: 'per-device'`) go to a directory, one file per table, each file
 * committed only once complete. Devices are scanned one after another and streamed through the
 * Parquet writer, so memory stays at one row group whatever the file size.
 */
import type { RecordBatch } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { TsFileReader, type ScanOptions } from '../reader/tsfile-reader.js';
import { fitBatch, planParquetParts, type LayoutOptions, type ParquetPart } from './parquet-layout.js';
import { writeParquetStream, type ParquetWriteOptions } from './parquet-writer.js';
import type { TextSink } from './text-sink.js';

export interface ParquetExportOptions extends ParquetWriteOptions, LayoutOptions {
  startTime?: bigint | number;
  endTime?: bigint | number;
  batchRows?: number;
  /** Decode threads when `files` are given (the readers' default otherwise). */
  threads?: number;
  /** Rows written so far, over all tables. */
  onProgress?: (rows: number) => void;
}

/** A file of a directory output: bytes go in, then it is committed (renamed into place) or discarded. */
export interface ParquetFileOutput extends TextSink {
  readonly path: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export interface ParquetDirectory {
  /** Opens the output of one table; `name` is the device or table name ("" for the long tree table). */
  open(name: string, kind: ParquetPart['kind']): Promise<ParquetFileOutput>;
}

export interface ParquetExportResult {
  rows: number;
  tables: { name: string; kind: ParquetPart['kind']; rows: number; columns: number; path?: string }[];
}

function isDirectory(out: TextSink | ParquetDirectory): out is ParquetDirectory {
  return typeof (out as Partial<ParquetDirectory>).open === 'function';
}

async function* partBatches(part: ParquetPart, scan: ScanOptions): AsyncGenerator<RecordBatch> {
  // Consecutive devices of one reader are scanned together (one scan, the reader's own pipelining).
  for (let i = 0; i < part.devices.length;) {
    const reader = part.devices[i]!.reader;
    const group = new Map<string, (typeof part.devices)[number]>();
    for (; i < part.devices.length && part.devices[i]!.reader === reader; i++) group.set(part.devices[i]!.device.path, part.devices[i]!);
    for await (const { device, batch } of reader.scan({ ...scan, devices: [...group.keys()] })) {
      if (batch.numRows === 0) continue;
      yield fitBatch(part, group.get(device)!.device, batch);
    }
  }
}

export async function exportParquet(source: TsFileReader | readonly TsFileReader[] | readonly string[], out: TextSink | ParquetDirectory, options: ParquetExportOptions = {}): Promise<ParquetExportResult> {
  const owned: TsFileReader[] = [];
  try {
    let readers: TsFileReader[];
    if (source instanceof TsFileReader) readers = [source];
    else {
      readers = [];
      for (const f of source) {
        if (f instanceof TsFileReader) readers.push(f);
        else {
          const r = await TsFileReader.open(f, options.threads === undefined ? {} : { threads: options.threads });
          owned.push(r);
          readers.push(r);
        }
      }
    }
    const parts = await planParquetParts(readers, options);
    if (parts.length === 0) throw new TsFileError(ErrorCode.NOT_FOUND, 'no device matches the selection');
    if (!isDirectory(out) && parts.length > 1) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `the selection makes ${parts.length} Parquet tables (${parts.slice(0, 3).map((p) => p.name || 'tree').join(', ')}${parts.length > 3 ? ', ...' : ''}): write them to a directory`);
    }
    const scan: ScanOptions = {};
    if (options.measurements !== undefined) scan.measurements = options.measurements;
    if (options.startTime !== undefined) scan.startTime = options.startTime;
    if (options.endTime !== undefined) scan.endTime = options.endTime;
    if (options.batchRows !== undefined) scan.batchRows = options.batchRows;
    if (options.signal !== undefined) scan.signal = options.signal;
    const result: ParquetExportResult = { rows: 0, tables: [] };
    for (const part of parts) {
      const target = isDirectory(out) ? await out.open(part.name, part.kind) : out;
      const before = result.rows;
      const counted = (async function* () {
        for await (const b of partBatches(part, scan)) {
          yield b;
          result.rows += b.numRows;
          options.onProgress?.(result.rows);
        }
      })();
      let rows: number;
      try {
        rows = await writeParquetStream(part.schema, counted, target, { ...options, dictionaryColumns: part.dictionaryColumns });
        if (isDirectory(out)) await (target as ParquetFileOutput).commit();
      } catch (e) {
        if (isDirectory(out)) await (target as ParquetFileOutput).discard().catch(() => undefined);
        throw e;
      }
      result.rows = before + rows;
      const entry: ParquetExportResult['tables'][number] = { name: part.name, kind: part.kind, rows, columns: part.schema.fields.length };
      if (isDirectory(out)) entry.path = (target as ParquetFileOutput).path;
      result.tables.push(entry);
    }
    return result;
  } finally {
    for (const r of owned) await r.close();
  }
}
