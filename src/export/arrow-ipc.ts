/**
 * Arrow IPC export of one or more files: the IPC file format (`.arrow`, `.feather`) or the stream
 * format, against one union schema over every selected device of every file:
 * - `device`: dictionary-encoded Utf8 (the paths once, a 4-byte index per row);
 * - `time`: Timestamp in the file's unit;
 * - the tag columns of table-model tables (dictionary Utf8, `tsfile.category` TAG; null for tree
 *   devices and for null tags);
 * - one nullable column per (measurement, type), named as `unionColumnNames` rules, with
 *   `tsfile.type` and, when every device agrees, `tsfile.encoding` / `tsfile.compression`.
 * The schema's `tsfile.layout` metadata (see arrow/layout.ts) records aligned devices, each tree
 * device's series, table schemas and tag values, so that import rebuilds the same layout. Device
 * batches are gathered into batches of about `batchRows` rows, so many small devices cost rows,
 * not messages.
 */
import { type Data, type Dictionary, Field, type Int32, type RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, type Utf8, type Vector } from 'apache-arrow';
import { BatchCoalescer } from '../arrow/coalesce.js';
import { MEASUREMENT_KEY, seriesKey, unionColumnNames } from '../arrow/column-names.js';
import { constantDictionaryData, utf8Dictionary, utf8DictionaryType } from '../arrow/dictionary.js';
import { type ArrowLayout, COMPRESSION_KEY, ENCODING_KEY, type LayoutTableColumn, TSFILE_LAYOUT_KEY } from '../arrow/layout.js';
import { TIME_UNIT_KEY } from '../arrow/time-unit.js';
import { measurementField, timeField, TSFILE_TYPE_KEY } from '../arrow/types.js';
import { parseDataTypeName } from '../format/codes.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import { compilePathPatterns } from '../reader/path-pattern.js';
import { CATEGORY_KEY } from '../reader/table-scan.js';
import type { ScanOptions, TsFileReader } from '../reader/tsfile-reader.js';
import type { TextSink } from './text-sink.js';

export { TSFILE_LAYOUT_KEY, type ArrowLayout } from '../arrow/layout.js';

export type ArrowIpcFormat = 'file' | 'stream';

export interface ArrowExportOptions extends Omit<ScanOptions, 'table' | 'columns' | 'tags'> {
  /** IPC file format (random access, a footer) or stream format (default 'stream'). */
  format?: ArrowIpcFormat;
  onProgress?: (rows: number) => void;
}

/** The IPC format an output name asks for: `.arrow`, `.feather` and `.ipc` are files, anything else a stream. */
export function ipcFormatOfName(name: string | undefined): ArrowIpcFormat {
  return name !== undefined && /\.(arrow|feather|ipc)$/i.test(name) ? 'file' : 'stream';
}

/** What a device contributes to every batch: its dictionary index, tag indices and column positions. */
interface DevicePlace {
  index: number;
  /** Dictionary index of each tag column (undefined: the device has no such tag → null). */
  tags: (number | null | undefined)[];
}

export interface ArrowExportPlan {
  schema: Schema;
  layout: ArrowLayout;
  /** Rows of one scanned device batch as columns of `schema` (absent columns undefined). */
  columnsOf(device: string, batch: RecordBatch): (Data | undefined)[];
}

interface UnionSeries {
  name: string;
  type: string;
  codecs: Map<string, [string, string]>;
}

/** The union schema and layout of the selected devices of every reader, checked for contradictions. */
export async function planArrowExport(readers: readonly TsFileReader[], options: { devices?: readonly string[]; measurements?: readonly string[] } = {}): Promise<ArrowExportPlan> {
  const match = options.devices === undefined ? () => true : compilePathPatterns(options.devices);
  const wanted = options.measurements === undefined ? undefined : new Set(options.measurements);
  const layout: ArrowLayout = { devices: {}, tables: {} };
  const union: UnionSeries[] = [];
  const byKey = new Map<string, UnionSeries>();
  const seriesOfDevice = new Map<string, string[]>();
  const tagNames: string[] = [];
  const tagValues = new Map<string, Set<string>>();
  const tagsOfTable = new Map<string, string[]>();
  const time = readers[0]?.timeTyping ?? { unit: 'ms' as const, int64: false };
  for (const reader of readers) {
    const tables = new Map(reader.tables().map((t) => [t.name, t]));
    const where = reader.name === undefined ? '' : ` (in ${reader.name})`;
    if (reader.timeTyping.unit !== time.unit) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `the files are read in different time units (${time.unit}, ${reader.timeTyping.unit})`);
    for (const d of await reader.devices()) {
      if (!match(d.path)) continue;
      const seen = layout.devices[d.path];
      if (d.model === 'table') {
        const info = tables.get(d.table);
        if (info === undefined) throw new TsFileError(ErrorCode.CORRUPT, `device ${d.path} belongs to table ${d.table}, which the file does not describe${where}`);
        const columns: LayoutTableColumn[] = info.columns.map((c) => ({ ...c }));
        const known = layout.tables[d.table];
        if (known === undefined) layout.tables[d.table] = { columns };
        else if (JSON.stringify(known.columns) !== JSON.stringify(columns)) {
          throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `table ${d.table} has different columns in different files${where}: export the files separately`);
        }
        const tags = columns.filter((c) => c.category === 'TAG').map((c) => c.name);
        tagsOfTable.set(d.table, tags);
        for (const t of tags) if (!tagNames.includes(t)) tagNames.push(t);
        const values = tags.map((_, i) => d.segments[i + 1] ?? null);
        values.forEach((v, i) => {
          if (v === null) return;
          let s = tagValues.get(tags[i]!);
          if (s === undefined) tagValues.set(tags[i]!, (s = new Set()));
          s.add(v);
        });
        if (seen !== undefined && (seen.table !== d.table || JSON.stringify(seen.tags) !== JSON.stringify(values))) {
          throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${d.path} is a different table device in different files${where}`);
        }
        layout.devices[d.path] = { aligned: true, table: d.table, tags: values };
      } else {
        if (seen !== undefined && (seen.table !== undefined || seen.aligned !== d.aligned)) {
          throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${d.path} is ${d.aligned ? '' : 'not '}aligned here but not in an earlier file${where}: export the files separately`);
        }
        layout.devices[d.path] ??= { aligned: d.aligned };
      }
      let keys = seriesOfDevice.get(d.path);
      if (keys === undefined) seriesOfDevice.set(d.path, (keys = []));
      for (const s of await reader.timeseries(d.path)) {
        if (wanted !== undefined && !wanted.has(s.measurement)) continue;
        const key = seriesKey(s.measurement, s.dataType);
        let u = byKey.get(key);
        if (u === undefined) {
          u = { name: s.measurement, type: s.dataType, codecs: new Map() };
          byKey.set(key, u);
          union.push(u);
        }
        const codec: [string, string] = [s.encoding, s.compression];
        const before = u.codecs.get(d.path);
        if (before !== undefined && (before[0] !== codec[0] || before[1] !== codec[1])) {
          throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `series ${d.path}.${s.measurement} has different encodings in different files${where}: export the files separately`);
        }
        u.codecs.set(d.path, codec);
        if (!keys.includes(key)) keys.push(key);
      }
    }
  }

  // Tag columns keep their names unless that is `device` or `time`.
  const tagColumn = new Map(tagNames.map((t) => [t, t === 'device' || t === 'time' ? `${t}:TAG` : t]));
  const names = unionColumnNames(['device', 'time', ...tagColumn.values()], union);
  const deviceType = utf8DictionaryType();
  const paths = Object.keys(layout.devices);
  const deviceDictionary = utf8Dictionary(paths);
  const deviceIndex = new Map(paths.map((p, i) => [p, i]));
  const fields: Field[] = [new Field('device', deviceType, false), timeField(time)];
  const tagDictionaries: { type: Dictionary<Utf8, Int32>; values: Vector<Utf8>; index: Map<string, number> }[] = [];
  for (const t of tagNames) {
    const values = [...(tagValues.get(t) ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const type = utf8DictionaryType();
    tagDictionaries.push({ type, values: utf8Dictionary(values), index: new Map(values.map((v, i) => [v, i])) });
    const meta = new Map([[TSFILE_TYPE_KEY, 'STRING'], [CATEGORY_KEY, 'TAG']]);
    if (tagColumn.get(t) !== t) meta.set(MEASUREMENT_KEY, t);
    fields.push(new Field(tagColumn.get(t)!, type, true, meta));
  }
  const position = new Map<string, number>();
  for (const u of union) {
    const key = seriesKey(u.name, u.type);
    const column = names.get(key)!;
    const codecs = [...u.codecs.values()];
    const encodings = new Set(codecs.map((c) => c[0]));
    const compressions = new Set(codecs.map((c) => c[1]));
    const extra: Record<string, string> = {};
    if (column !== u.name) extra[MEASUREMENT_KEY] = u.name;
    const shared = encodings.size === 1 && compressions.size === 1;
    if (shared) {
      extra[ENCODING_KEY] = codecs[0]![0];
      extra[COMPRESSION_KEY] = codecs[0]![1];
    } else {
      for (const [path, codec] of u.codecs) (layout.devices[path]!.codecs ??= {})[column] = codec;
    }
    if ([...u.codecs.keys()].every((p) => layout.devices[p]!.table !== undefined)) extra[CATEGORY_KEY] = 'FIELD';
    position.set(key, fields.length);
    fields.push(measurementField(column, parseDataTypeName(u.type), extra, time));
  }
  for (const [path, keys] of seriesOfDevice) {
    const entry = layout.devices[path]!;
    if (entry.table === undefined) entry.series = keys.map((k) => names.get(k)!);
  }
  const places = new Map<string, DevicePlace>();
  for (const path of paths) {
    const entry = layout.devices[path]!;
    const tags: DevicePlace['tags'] = tagNames.map(() => undefined);
    if (entry.table !== undefined) {
      const own = tagsOfTable.get(entry.table)!;
      own.forEach((t, i) => {
        const v = entry.tags![i] ?? null;
        const k = tagNames.indexOf(t);
        tags[k] = v === null ? null : tagDictionaries[k]!.index.get(v)!;
      });
    }
    places.set(path, { index: deviceIndex.get(path)!, tags });
  }
  const schema = new Schema(fields, new Map([[TSFILE_LAYOUT_KEY, JSON.stringify(layout)], [TIME_UNIT_KEY, time.unit]]));
  const firstMeasurement = 2 + tagNames.length;
  const columnsOf = (device: string, batch: RecordBatch): (Data | undefined)[] => {
    const place = places.get(device)!;
    const n = batch.numRows;
    const columns: (Data | undefined)[] = new Array(fields.length);
    columns[0] = constantDictionaryData(deviceType, deviceDictionary, place.index, n);
    columns[1] = batch.getChildAt(0)!.data[0]!;
    place.tags.forEach((t, k) => {
      if (t !== undefined) columns[2 + k] = constantDictionaryData(tagDictionaries[k]!.type, tagDictionaries[k]!.values, t, n);
    });
    batch.schema.fields.forEach((f, k) => {
      if (k === 0) return;
      const name = f.metadata.get(MEASUREMENT_KEY) ?? f.name;
      const at = position.get(seriesKey(name, f.metadata.get(TSFILE_TYPE_KEY)!));
      if (at !== undefined && at >= firstMeasurement) columns[at] = batch.getChildAt(k)!.data[0]!;
    });
    return columns;
  };
  return { schema, layout, columnsOf };
}

/** Bytes the IPC writer may hold ahead of the sink before the export waits for it. */
const MAX_QUEUED_BYTES = 8 << 20;

/** Writes the selected rows of every reader as one Arrow IPC file or stream; returns the rows written. */
export async function exportArrowIpc(source: TsFileReader | readonly TsFileReader[], out: TextSink, options: ArrowExportOptions = {}): Promise<number> {
  const readers = Array.isArray(source) ? (source as readonly TsFileReader[]) : [source as TsFileReader];
  const plan = await planArrowExport(readers, options);
  const { format = 'stream', onProgress, ...scan } = options;
  const batchRows = scan.batchRows ?? 65_536;
  const writer = format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  const queued = (): number => (writer as unknown as { _position?: number })._position ?? 0;
  let written = 0;
  let wake: (() => void) | undefined;
  const pump = (async () => {
    for await (const chunk of writer) {
      await out.write(chunk);
      written += chunk.byteLength;
      wake?.();
    }
  })();
  // If the sink fails, the pump ends early: surface that error instead of waiting on it forever.
  let failed: unknown;
  pump.catch((e: unknown) => {
    failed = e;
    wake?.();
  });
  const coalescer = new BatchCoalescer(plan.schema, batchRows);
  let rows = 0;
  const emit = async (batch: RecordBatch | undefined): Promise<void> => {
    if (batch === undefined) return;
    writer.write(batch);
    rows += batch.numRows;
    onProgress?.(rows);
    while (failed === undefined && queued() - written > MAX_QUEUED_BYTES) await new Promise<void>((resolve) => (wake = resolve));
    if (failed !== undefined) throw failed;
  };
  try {
    writer.reset(undefined, plan.schema);
    for (const reader of readers) {
      for await (const { device, batch } of reader.scan(scan)) {
        throwIfAborted(scan.signal);
        for (const b of coalescer.add({ length: batch.numRows, columns: plan.columnsOf(device, batch) })) await emit(b);
      }
    }
    await emit(coalescer.flush());
  } finally {
    writer.close();
    await pump.catch(() => undefined);
  }
  if (failed !== undefined) throw failed;
  return rows;
}
