/**
 * Rewriting a TsFile: read it with our reader and write it with our writer. With no overrides
 * every series keeps its type, encoding, compression, alignment and model (tree or table), and the
 * file keeps its format version; the writer settings (page size, index degree, ...) are options.
 */
import { makeData, RecordBatch, Schema, Struct, Field, Utf8, type Data } from 'apache-arrow';
import { TsFileReader, type DeviceInfo, type SeriesInfo } from '../reader/tsfile-reader.js';
import type { ReaderOptions } from '../reader/options.js';
import { TsFileWriter } from '../writer/tsfile-writer.js';
import type { TsFileWriterOptions } from '../writer/options.js';
import type { TableColumnSpec, TimeseriesSpec } from '../writer/schema.js';
import type { TsFileSink } from '../writer/sink.js';
import { constantUtf8 } from '../arrow/constant.js';
import { ColumnCategory, type CompressionName, type DataTypeName, type EncodingName } from '../format/codes.js';
import { throwIfAborted } from '../io/errors.js';

export interface RewriteOptions {
  /** Writer settings; `version` defaults to the input's format version. */
  writer?: TsFileWriterOptions;
  /** Re-encode every series with this encoding / compression instead of its own. */
  encoding?: EncodingName;
  compression?: CompressionName;
  /** Reader options (threads, limits). */
  reader?: ReaderOptions;
  signal?: AbortSignal;
  onProgress?: (points: number) => void;
}

export interface RewriteResult {
  devices: number;
  series: number;
  points: number;
}

function specOf(s: SeriesInfo, o: RewriteOptions): TimeseriesSpec {
  return {
    measurement: s.measurement,
    dataType: s.dataType as DataTypeName,
    encoding: (o.encoding ?? s.encoding) as EncodingName,
    compression: (o.compression ?? s.compression) as CompressionName,
  };
}

/** Rewrites `input` (a path or bytes) into `target` (a path or a sink). */
export async function rewriteTsFile(input: string | Uint8Array, target: string | TsFileSink, options: RewriteOptions = {}): Promise<RewriteResult> {
  const reader = await TsFileReader.open(input, options.reader);
  try {
    const devices = await reader.devices();
    const series = new Map<string, SeriesInfo[]>();
    for (const d of devices) series.set(d.path, await reader.timeseries(d.path));
    // Values decoded from an encoding are what that encoding stores: re-encoding them with the same
    // encoding is allowed even where the writer would refuse arbitrary input (e.g. NaN under GORILLA_V1).
    const sameEncodings = options.encoding === undefined;
    // Lossy encodings (SPRINTZ, RLBE and GORILLA_V1 on floats) decode differently when pages are cut
    // elsewhere: keep the source's page size unless told otherwise.
    const pagePoints = options.writer?.maxPointsPerPage ?? (await reader.largestPage());
    const writer = await TsFileWriter.open(target, {
      version: reader.version,
      allowLossyEncoding: sameEncodings,
      ...(pagePoints > 0 ? { maxPointsPerPage: pagePoints } : {}),
      ...options.writer,
    });
    registerAll(writer, reader, devices, series, options);
    let points = 0;
    let count = 0;
    for (const d of devices) {
      throwIfAborted(options.signal);
      const names = series.get(d.path)!.map((s) => s.measurement);
      count += names.length;
      if (names.length === 0) continue;
      for await (const { batch } of reader.scan({ devices: [d.path], signal: options.signal })) {
        throwIfAborted(options.signal);
        if (d.model === 'table') await writer.write(d.table, withTags(batch, tagNames(reader, d), d.tags));
        else await writer.write(d.path, batch);
        for (let c = 1; c < batch.numCols; c++) points += batch.numRows - batch.getChildAt(c)!.nullCount;
        options.onProgress?.(points);
      }
    }
    await writer.close();
    return { devices: devices.length, series: count, points };
  } finally {
    await reader.close();
  }
}

function tagNames(reader: TsFileReader, d: DeviceInfo): string[] {
  const schema = reader.metadata.tableSchemas.get(d.table);
  const tags = schema?.columns.filter((c) => c.category === ColumnCategory.TAG).map((c) => c.name) ?? [];
  // A file without the table's schema still names its devices: call the tag columns tag1, tag2, ...
  while (tags.length < d.tags.length) tags.push(`tag${tags.length + 1}`);
  return tags;
}

function registerAll(writer: TsFileWriter, reader: TsFileReader, devices: DeviceInfo[], series: Map<string, SeriesInfo[]>, o: RewriteOptions): void {
  const tables = new Map<string, { tags: string[]; fields: Map<string, TableColumnSpec> }>();
  for (const d of devices) {
    const specs = series.get(d.path)!.map((s) => specOf(s, o));
    if (d.model === 'table') {
      let t = tables.get(d.table);
      if (t === undefined) tables.set(d.table, (t = { tags: tagNames(reader, d), fields: new Map() }));
      for (const s of specs) t.fields.set(s.measurement, { name: s.measurement, category: 'FIELD', dataType: s.dataType, encoding: s.encoding, compression: s.compression });
    } else if (specs.length > 0) {
      if (d.aligned) writer.registerAlignedDevice(d.path, specs);
      else writer.registerTimeseries(d.path, specs);
    }
  }
  for (const [name, t] of tables) {
    // Keep the column order of the table's schema where the file has one.
    const order = reader.metadata.tableSchemas.get(name)?.columns.map((c) => c.name) ?? [];
    const fields = [...t.fields.values()].sort((a, b) => rank(order, a.name) - rank(order, b.name));
    writer.registerTable(name, [...t.tags.map((n): TableColumnSpec => ({ name: n, category: 'TAG' })), ...fields]);
  }
}

function rank(order: string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/** The batch with one constant Utf8 column per tag value appended. */
function withTags(batch: RecordBatch, names: string[], values: readonly (string | null)[]): RecordBatch {
  const n = batch.numRows;
  const fields = [...batch.schema.fields];
  const children: Data[] = batch.schema.fields.map((_, i) => batch.getChildAt(i)!.data[0]!);
  names.forEach((name, i) => {
    fields.push(new Field(name, new Utf8(), true));
    children.push(constantUtf8(values[i] ?? null, n));
  });
  const schema = new Schema(fields, batch.schema.metadata);
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
}
