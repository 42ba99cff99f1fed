/**
 * Writing a query's wide, time-aligned result (`time, <one column per path>`) in every export
 * format: CSV (header `time,<path>,…`, a null as an empty field, an empty text as `""`), JSON lines
 * (`{"time": …, "<path>": value}`, nulls omitted, values as in the long JSON lines), Arrow IPC (file
 * or stream format) of the batches as they are, or Parquet with the same exact types.
 */
import { type RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter } from 'apache-arrow';
import type { ArrowIpcFormat } from './arrow-ipc.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { epochWords } from '../arrow/epoch-values.js';
import { csvField } from './csv.js';
import { jsonCell } from './jsonl.js';
import { writeParquetStream, type ParquetCompression } from './parquet-writer.js';
import type { TextSink } from './text-sink.js';
import { formatInt64, formatterFor, isValid } from './value-format.js';

export type QueryExportFormat = 'csv' | 'jsonl' | 'arrow' | 'parquet';

export interface QueryExportOptions {
  /** Parquet: page compression and rows per row group. */
  compression?: ParquetCompression;
  rowGroupRows?: number;
  /** Arrow: the IPC file format or the stream format (default). */
  ipcFormat?: ArrowIpcFormat;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

/** Writes the batches of a query (the first carries the schema; a query always yields one) to `out`; returns the rows. */
export async function exportQueryResult(batches: AsyncIterable<RecordBatch>, format: QueryExportFormat, out: TextSink, options: QueryExportOptions = {}): Promise<number> {
  const it = batches[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a query result without a schema');
  const all = (async function* () {
    yield first.value;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  })();
  let rows = 0;
  const counted = (async function* () {
    for await (const b of all) {
      yield b;
      rows += b.numRows;
      options.onProgress?.(rows);
    }
  })();
  switch (format) {
    case 'csv': {
      const names = first.value.schema.fields.map((f) => csvField(f.name));
      await out.write(`${names.join(',')}\n`);
      for await (const b of counted) await out.write(csvRows(b));
      return rows;
    }
    case 'jsonl':
      for await (const b of counted) await out.write(jsonRows(b));
      return rows;
    case 'arrow': {
      const writer = options.ipcFormat === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
      writer.reset(undefined, first.value.schema);
      const pump = (async () => {
        for await (const chunk of writer) await out.write(chunk);
      })();
      try {
        for await (const b of counted) writer.write(b);
      } finally {
        writer.finish();
        await pump;
      }
      return rows;
    }
    case 'parquet':
      await writeParquetStream(first.value.schema, counted, out, { compression: options.compression, rowGroupRows: options.rowGroupRows, signal: options.signal });
      return rows;
  }
}

function cells(b: RecordBatch): { data: ReturnType<RecordBatch['getChildAt']>; fmt: (i: number) => string; type: string }[] {
  return b.schema.fields.slice(1).map((f, k) => {
    const data = b.getChildAt(k + 1)!;
    const type = f.metadata.get(TSFILE_TYPE_KEY)!;
    return { data, fmt: formatterFor(type, data.data[0]!), type };
  });
}

function csvRows(b: RecordBatch): string {
  const words = epochWords(b.getChildAt(0)!.data[0]!);
  const cols = cells(b);
  let text = '';
  for (let i = 0; i < b.numRows; i++) {
    let line = formatInt64(words, i);
    for (const c of cols) {
      if (!isValid(c.data!.data[0]!, i)) line += ',';
      else {
        const s = c.fmt(i);
        line += `,${s === '' ? '""' : csvField(s)}`;
      }
    }
    text += `${line}\n`;
  }
  return text;
}

function jsonRows(b: RecordBatch): string {
  const words = epochWords(b.getChildAt(0)!.data[0]!);
  const cols = b.schema.fields.slice(1).map((f, k) => {
    const data = b.getChildAt(k + 1)!.data[0]!;
    return { key: `,${JSON.stringify(f.name)}:`, data, cell: jsonCell(f.metadata.get(TSFILE_TYPE_KEY)!, data) };
  });
  let text = '';
  for (let i = 0; i < b.numRows; i++) {
    const t = formatInt64(words, i);
    let line = `{"time":${Number.isSafeInteger(Number(t)) ? t : JSON.stringify(t)}`;
    for (const c of cols) if (isValid(c.data, i)) line += c.key + c.cell(i);
    text += `${line}}\n`;
  }
  return text;
}
