/**
 * Arrow IPC (file or stream) → TsFile. A `device` column (as `tsfile export --format arrow`
 * writes) splits rows by device; otherwise every row belongs to `device`. Each other column except
 * `time` is a measurement; its TsFile type comes from the field's `tsfile.type` metadata, else from
 * its Arrow type. A device's series are the columns with values in its first rows. The schema's
 * `tsfile.layout` metadata (as the export writes it) restores aligned devices and table-model
 * tables with their tag columns.
 */
import { Field, makeData, RecordBatch, RecordBatchReader, Schema, Struct, Type, Utf8, type Vector } from 'apache-arrow';
import { constantUtf8 } from '../arrow/constant.js';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { TSFILE_LAYOUT_KEY, type ArrowLayout } from '../export/arrow-ipc.js';
import { compressionName, DataType, dataTypeName, encodingName, parseDataTypeName, type Compression, type Encoding } from '../format/codes.js';
import type { TableColumnSpec } from '../writer/schema.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { DEFAULT_IMPORT_COMPRESSION, defaultEncoding } from './infer.js';
import type { ImportResult } from './import-csv.js';

export interface ArrowImportOptions {
  device?: string;
  aligned?: boolean;
  encoding?: Encoding;
  compression?: Compression;
  signal?: AbortSignal;
  onProgress?: (points: number) => void;
}

/** The TsFile type of an Arrow field. */
export function tsTypeOfField(f: Field): DataType {
  const named = f.metadata.get(TSFILE_TYPE_KEY);
  if (named !== undefined) return parseDataTypeName(named);
  switch (f.type.typeId) {
    case Type.Bool:
      return DataType.BOOLEAN;
    case Type.Int:
      return (f.type as { bitWidth: number }).bitWidth <= 32 ? DataType.INT32 : DataType.INT64;
    case Type.Float:
      return (f.type as { precision: number }).precision <= 1 ? DataType.FLOAT : DataType.DOUBLE;
    case Type.Utf8:
    case Type.LargeUtf8:
      return DataType.TEXT;
    case Type.Binary:
    case Type.LargeBinary:
      return DataType.BLOB;
    case Type.Date:
      return DataType.DATE;
    case Type.Timestamp:
      return DataType.TIMESTAMP;
    default:
      throw new TsFileError(ErrorCode.UNSUPPORTED, `column "${f.name}" has an Arrow type with no TsFile equivalent`, { actual: String(f.type) });
  }
}

/** The measurement a column holds: its name, without the `:TYPE` the export adds when one name has two types. */
function measurementOf(f: Field): string {
  const t = f.metadata.get(TSFILE_TYPE_KEY);
  return t !== undefined && f.name.endsWith(`:${t}`) ? f.name.slice(0, -t.length - 1) : f.name;
}

/** Row ranges [start, end) of equal device values (rows of one device are usually contiguous). */
function deviceRuns(devices: Vector, rows: number): { device: string; start: number; end: number }[] {
  const runs: { device: string; start: number; end: number }[] = [];
  for (let i = 0; i < rows; i++) {
    const d = devices.get(i) as string | null;
    if (d === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `row ${i} has a null device`);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.device === d) last.end = i + 1;
    else runs.push({ device: d, start: i, end: i + 1 });
  }
  return runs;
}

function layoutOf(schema: Schema): ArrowLayout | undefined {
  const text = schema.metadata.get(TSFILE_LAYOUT_KEY);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as ArrowLayout;
  } catch (cause) {
    throw new TsFileError(ErrorCode.CORRUPT, `the Arrow schema's ${TSFILE_LAYOUT_KEY} metadata is not JSON`, { cause });
  }
}

/** Opens the IPC bytes, refusing what is not Arrow IPC (or is cut short) with a typed error. */
function* batchesOf(bytes: Uint8Array): Generator<RecordBatch> {
  let reader: RecordBatchReader;
  try {
    reader = RecordBatchReader.from(bytes);
    reader.open();
  } catch (cause) {
    throw new TsFileError(ErrorCode.CORRUPT, `not a readable Arrow IPC file or stream: ${(cause as Error).message}`, { cause });
  }
  const it = reader[Symbol.iterator]();
  for (;;) {
    let next: IteratorResult<RecordBatch>;
    try {
      next = it.next();
    } catch (cause) {
      throw new TsFileError(ErrorCode.TRUNCATED, `the Arrow IPC data ends inside a message or is damaged: ${(cause as Error).message}`, { cause });
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Writes the rows of one table-model device: its fields, then its tag values as constant columns. */
async function writeTableRows(writer: TsFileWriter, part: RecordBatch, table: string, t: { tags: string[]; fields: string[] }, tags: readonly (string | null)[]): Promise<number> {
  const present = t.fields.filter((f) => part.getChild(f) !== null);
  const fields: Field[] = [part.schema.fields.find((f) => f.name === 'time')!, ...present.map((name) => part.schema.fields.find((f) => f.name === name)!)];
  const children = fields.map((f) => part.getChild(f.name)!.data[0]!);
  t.tags.forEach((name, i) => {
    fields.push(new Field(name, new Utf8(), true));
    children.push(constantUtf8(tags[i] ?? null, part.numRows));
  });
  const schema = new Schema(fields);
  await writer.write(table, new RecordBatch(schema, makeData({ type: new Struct(fields), length: part.numRows, nullCount: 0, children })));
  let points = 0;
  for (const name of present) points += part.numRows - part.getChild(name)!.nullCount;
  return points;
}

export async function importArrow(bytes: Uint8Array, writer: TsFileWriter, options: ArrowImportOptions = {}): Promise<ImportResult> {
  return importArrowBatches(batchesOf(bytes), writer, options);
}

/** The import of Arrow batches from any source (IPC, Parquet): see the header. */
export async function importArrowBatches(batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>, writer: TsFileWriter, options: ArrowImportOptions = {}): Promise<ImportResult> {
  const registered = new Map<string, Set<string>>();
  const tablesRegistered = new Set<string>();
  let points = 0;
  let series = 0;
  for await (const batch of batches) {
    throwIfAborted(options.signal);
    const layout = layoutOf(batch.schema);
    const deviceCol = batch.getChild('device');
    if (batch.getChild('time') === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "time" column');
    const measureFields = batch.schema.fields.filter((f) => f.name !== 'time' && f.name !== 'device');
    const runs =
      deviceCol !== null ? deviceRuns(deviceCol, batch.numRows) : options.device !== undefined ? [{ device: options.device, start: 0, end: batch.numRows }] : undefined;
    if (runs === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "device" column: give the device with --device');
    for (const run of runs) {
      const part = run.start === 0 && run.end === batch.numRows ? batch : batch.slice(run.start, run.end);
      const place = layout?.devices[run.device];
      if (place?.table !== undefined) {
        const t = layout!.tables[place.table];
        if (t === undefined) throw new TsFileError(ErrorCode.CORRUPT, `the Arrow layout names table ${place.table} of device ${run.device} but does not describe it`);
        if (!tablesRegistered.has(place.table)) {
          tablesRegistered.add(place.table);
          const columns: TableColumnSpec[] = t.tags.map((name) => ({ name, category: 'TAG' }));
          for (const name of t.fields) {
            const f = batch.schema.fields.find((x) => x.name === name);
            if (f === undefined) throw new TsFileError(ErrorCode.CORRUPT, `the Arrow data has no column ${name} of table ${place.table}`);
            const type = tsTypeOfField(f);
            columns.push({ name, category: 'FIELD', dataType: dataTypeName(type), encoding: encodingName(options.encoding ?? defaultEncoding(type)), compression: compressionName(options.compression ?? DEFAULT_IMPORT_COMPRESSION) } as TableColumnSpec);
          }
          writer.registerTable(place.table, columns);
          series += t.fields.length;
        }
        if (!registered.has(run.device)) registered.set(run.device, new Set(t.fields));
        points += await writeTableRows(writer, part, place.table, t, place.tags ?? []);
        options.onProgress?.(points);
        continue;
      }
      let known = registered.get(run.device);
      const present = measureFields.filter((f) => part.getChild(f.name)!.nullCount < part.numRows || known?.has(f.name));
      if (known === undefined) {
        const specs = present.map((f) => {
          const t = tsTypeOfField(f);
          return { measurement: measurementOf(f), dataType: t, encoding: options.encoding ?? defaultEncoding(t), compression: options.compression ?? DEFAULT_IMPORT_COMPRESSION };
        });
        if (options.aligned ?? place?.aligned) writer.registerAlignedDevice(run.device, specs);
        else writer.registerTimeseries(run.device, specs);
        registered.set(run.device, (known = new Set(present.map((f) => f.name))));
        series += specs.length;
      }
      const extra = present.filter((f) => !known!.has(f.name));
      if (extra.length > 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${run.device} gains columns after its first rows: ${extra.map((f) => f.name).join(', ')}`);
      const columns = [part.schema.fields.find((f) => f.name === 'time')!, ...measureFields.filter((f) => known!.has(f.name))];
      const children = columns.map((f) => part.getChild(f.name)!.data[0]!);
      // Columns named `name:TYPE` (one measurement name with two types in the export) are the measurement `name`.
      const fields = columns.map((f) => (measurementOf(f) === f.name ? f : new Field(measurementOf(f), f.type, f.nullable, f.metadata)));
      const schema = new Schema(fields);
      await writer.write(run.device, new RecordBatch(schema, makeData({ type: new Struct(fields), length: part.numRows, nullCount: 0, children })));
      for (const f of columns.slice(1)) points += part.numRows - part.getChild(f.name)!.nullCount;
      options.onProgress?.(points);
    }
  }
  return { devices: registered.size, series, points };
}
