/**
 * Arrow IPC (file or stream) → TsFile. A `device` column (as `tsfile export --format arrow`
 * writes) splits rows by device; otherwise every row belongs to `device`. Each other column except
 * `time` is a measurement; its TsFile type comes from the field's `tsfile.type` metadata, else from
 * its Arrow type. A device's series are the columns with values in its first rows.
 */
import { type Field, makeData, RecordBatch, RecordBatchReader, Schema, Struct, Type, type Vector } from 'apache-arrow';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { DataType, parseDataTypeName, type Compression, type Encoding } from '../format/codes.js';
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

export async function importArrow(bytes: Uint8Array, writer: TsFileWriter, options: ArrowImportOptions = {}): Promise<ImportResult> {
  const reader = RecordBatchReader.from(bytes);
  const registered = new Map<string, Set<string>>();
  let points = 0;
  let series = 0;
  for (const batch of reader) {
    throwIfAborted(options.signal);
    const deviceCol = batch.getChild('device');
    if (batch.getChild('time') === null) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "time" column');
    const measureFields = batch.schema.fields.filter((f) => f.name !== 'time' && f.name !== 'device');
    const runs =
      deviceCol !== null ? deviceRuns(deviceCol, batch.numRows) : options.device !== undefined ? [{ device: options.device, start: 0, end: batch.numRows }] : undefined;
    if (runs === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Arrow data has no "device" column: give the device with --device');
    for (const run of runs) {
      const part = run.start === 0 && run.end === batch.numRows ? batch : batch.slice(run.start, run.end);
      let known = registered.get(run.device);
      const present = measureFields.filter((f) => part.getChild(f.name)!.nullCount < part.numRows || known?.has(f.name));
      if (known === undefined) {
        const specs = present.map((f) => {
          const t = tsTypeOfField(f);
          return { measurement: f.name, dataType: t, encoding: options.encoding ?? defaultEncoding(t), compression: options.compression ?? DEFAULT_IMPORT_COMPRESSION };
        });
        if (options.aligned) writer.registerAlignedDevice(run.device, specs);
        else writer.registerTimeseries(run.device, specs);
        registered.set(run.device, (known = new Set(present.map((f) => f.name))));
        series += specs.length;
      }
      const extra = present.filter((f) => !known!.has(f.name));
      if (extra.length > 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `device ${run.device} gains columns after its first rows: ${extra.map((f) => f.name).join(', ')}`);
      const fields = [part.schema.fields.find((f) => f.name === 'time')!, ...measureFields.filter((f) => known!.has(f.name))];
      const schema = new Schema(fields);
      const children = fields.map((f) => part.getChild(f.name)!.data[0]!);
      await writer.write(run.device, new RecordBatch(schema, makeData({ type: new Struct(fields), length: part.numRows, nullCount: 0, children })));
      for (const f of fields.slice(1)) points += part.numRows - part.getChild(f.name)!.nullCount;
      options.onProgress?.(points);
    }
  }
  return { devices: registered.size, series, points };
}
