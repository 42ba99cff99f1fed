/**
 * Arrow IPC (file or stream) → TsFile. A `device` column (Utf8 or dictionary, as `tsfile export
 * --format arrow` writes it) splits rows by device; otherwise every row belongs to `device`. Each
 * other column except `time` and TAG columns is a measurement; its TsFile type comes from the
 * field's `tsfile.type` metadata, else from its Arrow type. The schema's `tsfile.layout` metadata
 * (arrow/layout.ts) gives aligned devices, each device's series and codecs, and table-model tables
 * with every column and the devices' tag values; without it a device's series are the columns with
 * values in its first rows. Encodings: the caller's option, else the layout's, else the defaults.
 */
import { type Data, DataType as ArrowDataType, Field, makeData, RecordBatch, RecordBatchReader, Schema, Struct, Type, Utf8, type Vector } from 'apache-arrow';
import { constantUtf8 } from '../arrow/constant.js';
import { MEASUREMENT_KEY, seriesKey } from '../arrow/column-names.js';
import { type ArrowLayout, COMPRESSION_KEY, ENCODING_KEY, layoutOf, TSFILE_LAYOUT_KEY } from '../arrow/layout.js';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { compressionName, DataType, dataTypeName, encodingName, parseCompressionName, parseDataTypeName, parseEncodingName, type Compression, type Encoding } from '../format/codes.js';
import { CATEGORY_KEY } from '../reader/table-scan.js';
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

/** The measurement a column holds: `tsfile.measurement` when the export renamed it, else its name without a `:TYPE` suffix. */
function measurementOf(f: Field): string {
  const named = f.metadata.get(MEASUREMENT_KEY);
  if (named !== undefined) return named;
  const t = f.metadata.get(TSFILE_TYPE_KEY);
  return t !== undefined && f.name.endsWith(`:${t}`) ? f.name.slice(0, -t.length - 1) : f.name;
}

interface DeviceRun {
  device: string;
  start: number;
  end: number;
}

/** Row ranges [start, end) of equal device values (rows of one device are usually contiguous). */
function deviceRuns(devices: Vector, rows: number): DeviceRun[] {
  const runs: DeviceRun[] = [];
  const data = devices.data[0];
  if (devices.data.length === 1 && data !== undefined && ArrowDataType.isDictionary(data.type) && data.dictionary !== undefined) {
    // Dictionary-encoded (as our export writes it): compare indices, look names up once per run.
    const indices = data.values as Int32Array;
    const names = data.dictionary;
    let last = -1;
    for (let i = 0; i < rows; i++) {
      if (!data.getValid(i)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `row ${i} has a null device`);
      const k = indices[i]!;
      if (k === last) runs[runs.length - 1]!.end = i + 1;
      else {
        const name = names.get(k) as string | null;
        if (name === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `row ${i} has a null device`);
        const prev = runs[runs.length - 1];
        if (prev !== undefined && prev.device === name) prev.end = i + 1;
        else runs.push({ device: name, start: i, end: i + 1 });
        last = k;
      }
    }
    return runs;
  }
  for (let i = 0; i < rows; i++) {
    const d = devices.get(i) as string | null;
    if (d === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `row ${i} has a null device`);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.device === d) last.end = i + 1;
    else runs.push({ device: d, start: i, end: i + 1 });
  }
  return runs;
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


/** What one schema says, worked out once per schema rather than once per batch. */
interface SchemaFacts {
  schema: Schema;
  layout: ArrowLayout | undefined;
  byName: Map<string, Field>;
  /** Column of each (measurement, type), for table fields. */
  bySeries: Map<string, Field>;
  measureFields: Field[];
}

function factsOf(schema: Schema, layout = layoutOf(schema)): SchemaFacts {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const bySeries = new Map<string, Field>();
  const measureFields: Field[] = [];
  for (const f of schema.fields) {
    if (f.name === 'time' || f.name === 'device' || f.metadata.get(CATEGORY_KEY) === 'TAG') continue;
    measureFields.push(f);
    bySeries.set(seriesKey(measurementOf(f), dataTypeName(tsTypeOfField(f))), f);
  }
  return { schema, layout, byName, bySeries, measureFields };
}

/** A batch of `columns` (renamed to their measurement names) over the rows of `part`, plus extra columns. */
function batchOf(part: RecordBatch, columns: readonly Field[], extra: { field: Field; data: Data }[] = []): RecordBatch {
  const fields = columns.map((f, i) => (i === 0 || measurementOf(f) === f.name ? f : new Field(measurementOf(f), f.type, f.nullable, f.metadata)));
  const children = columns.map((f) => part.getChild(f.name)!.data[0]!);
  for (const e of extra) {
    fields.push(e.field);
    children.push(e.data);
  }
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: part.numRows, nullCount: 0, children }));
}

function countPoints(part: RecordBatch, columns: readonly Field[]): number {
  let points = 0;
  for (const f of columns) points += part.numRows - part.getChild(f.name)!.nullCount;
  return points;
}

/** Encoding and compression of a column: the user's option, else what the layout or field says, else the default. */
function codecOf(f: Field, type: DataType, options: ArrowImportOptions, own?: readonly [string, string]): { encoding: Encoding; compression: Compression } {
  const enc = own?.[0] ?? f.metadata.get(ENCODING_KEY);
  const comp = own?.[1] ?? f.metadata.get(COMPRESSION_KEY);
  return {
    encoding: options.encoding ?? (enc !== undefined ? parseEncodingName(enc) : defaultEncoding(type)),
    compression: options.compression ?? (comp !== undefined ? parseCompressionName(comp) : DEFAULT_IMPORT_COMPRESSION),
  };
}

type DescribedColumn = { name: string; category: 'TAG' | 'FIELD' | 'ATTRIBUTE'; dataType?: string; encoding?: string; compression?: string };

/** The columns of a table as the layout describes them (older exports: tag and field names only). */
function tableColumns(facts: SchemaFacts, table: string, options: ArrowImportOptions): { specs: TableColumnSpec[]; tags: string[]; fields: Field[] } {
  const t = facts.layout!.tables[table];
  if (t === undefined) throw new TsFileError(ErrorCode.CORRUPT, `the Arrow layout names table ${table} but does not describe it`);
  const described: DescribedColumn[] = t.columns ?? [
    ...(t.tags ?? []).map((name) => ({ name, category: 'TAG' as const })),
    ...(t.fields ?? []).map((name) => ({ name, category: 'FIELD' as const })),
  ];
  const specs: TableColumnSpec[] = [];
  const tags: string[] = [];
  const fields: Field[] = [];
  for (const c of described) {
    if (c.category !== 'FIELD') {
      if (c.category === 'TAG') tags.push(c.name);
      specs.push({ name: c.name, category: c.category, ...(c.dataType !== undefined ? { dataType: c.dataType as TableColumnSpec['dataType'] } : {}) } as TableColumnSpec);
      continue;
    }
    const f = c.dataType !== undefined ? facts.bySeries.get(seriesKey(c.name, c.dataType)) : facts.byName.get(c.name);
    if (f === undefined) throw new TsFileError(ErrorCode.CORRUPT, `the Arrow data has no column ${c.name} of table ${table}`);
    const type = tsTypeOfField(f);
    const codec = codecOf(f, type, options, c.encoding !== undefined && c.compression !== undefined ? [c.encoding, c.compression] : undefined);
    specs.push({ name: c.name, category: 'FIELD', dataType: dataTypeName(type), encoding: encodingName(codec.encoding), compression: compressionName(codec.compression) } as TableColumnSpec);
    fields.push(f);
  }
  return { specs, tags, fields };
}

export async function importArrow(bytes: Uint8Array, writer: TsFileWriter, options: ArrowImportOptions = {}): Promise<ImportResult> {
  return importArrowBatches(batchesOf(bytes), writer, options);
}

/** The import of Arrow batches from any source (IPC, Parquet): see the header. */
export async function importArrowBatches(batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>, writer: TsFileWriter, options: ArrowImportOptions = {}): Promise<ImportResult> {
  /** Each device's columns once registered. */
  const registered = new Map<string, Field[]>();
  const tables = new Map<string, { tags: string[]; fields: Field[] }>();
  let facts: SchemaFacts | undefined;
  let points = 0;
  let series = 0;
  for await (const batch of batches) {
    throwIfAborted(options.signal);
    if (facts?.schema !== batch.schema) {
      // The layout JSON is parsed once per distinct text, not once per batch.
      const same = facts !== undefined && facts.schema.metadata.get(TSFILE_LAYOUT_KEY) === batch.schema.metadata.get(TSFILE_LAYOUT_KEY);
      facts = same ? factsOf(batch.schema, facts!.layout) : factsOf(batch.schema);
    }
    const { layout } = facts;
    const deviceCol = batch.getChild('device');
    if (batch.getChild('time') === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "time" column');
    const runs =
      deviceCol !== null ? deviceRuns(deviceCol, batch.numRows) : options.device !== undefined ? [{ device: options.device, start: 0, end: batch.numRows }] : undefined;
    if (runs === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "device" column: give the device with --device');
    const time = facts.byName.get('time')!;
    for (const run of runs) {
      const part = run.start === 0 && run.end === batch.numRows ? batch : batch.slice(run.start, run.end);
      const place = layout?.devices[run.device];
      if (place?.table !== undefined) {
        let t = tables.get(place.table);
        if (t === undefined) {
          const c = tableColumns(facts, place.table, options);
          writer.registerTable(place.table, c.specs);
          tables.set(place.table, (t = { tags: c.tags, fields: c.fields }));
          series += c.fields.length;
        }
        if (!registered.has(run.device)) registered.set(run.device, t.fields);
        const tagData = t.tags.map((name, i) => ({ field: new Field(name, new Utf8(), true), data: constantUtf8(place.tags?.[i] ?? null, part.numRows) as Data }));
        await writer.write(place.table, batchOf(part, [time, ...t.fields], tagData));
        points += countPoints(part, t.fields);
        options.onProgress?.(points);
        continue;
      }
      let known = registered.get(run.device);
      if (known === undefined) {
        // The layout lists the device's series; without one, its columns with values in its first rows.
        const columns =
          place?.series !== undefined
            ? place.series.map((name) => {
              const f = facts!.byName.get(name);
              if (f === undefined) throw new TsFileError(ErrorCode.CORRUPT, `the Arrow layout gives device ${run.device} a column ${name} the data does not have`);
              return f;
            })
            : facts.measureFields.filter((f) => part.getChild(f.name)!.nullCount < part.numRows);
        const specs = columns.map((f) => {
          const type = tsTypeOfField(f);
          return { measurement: measurementOf(f), dataType: type, ...codecOf(f, type, options, place?.codecs?.[f.name]) };
        });
        if (options.aligned ?? place?.aligned) writer.registerAlignedDevice(run.device, specs);
        else writer.registerTimeseries(run.device, specs);
        registered.set(run.device, (known = columns));
        series += specs.length;
      }
      const names = new Set(known.map((f) => f.name));
      const extra = facts.measureFields.filter((f) => !names.has(f.name) && part.getChild(f.name)!.nullCount < part.numRows);
      if (extra.length > 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${run.device} gains columns after its first rows: ${extra.map((f) => f.name).join(', ')}`);
      await writer.write(run.device, batchOf(part, [time, ...known]));
      points += countPoints(part, known);
      options.onProgress?.(points);
    }
  }
  return { devices: registered.size, series, points };
}
