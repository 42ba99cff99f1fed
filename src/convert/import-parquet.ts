/**
 * Parquet → TsFile, row group by row group (parquet-wasm reads a Blob in ranges, so memory stays at
 * one row group). Long form (a `device` column, as our export writes it) or wide (one device, given
 * as `device`); with tag columns (named in the options, or marked by our export's field metadata)
 * the rows become a table-model table. Types come back from the Arrow schema: our export's
 * `tsfile.type` metadata when present (TEXT vs STRING), else the Arrow type; timestamps of any unit
 * become milliseconds when that is exact, and are refused otherwise.
 */
import { type Data, Field, Int64, makeData, RecordBatch, Schema, Struct, tableFromIPC, TimestampMillisecond, TimeUnit, Type } from 'apache-arrow';
import { TSFILE_TYPE_KEY } from '../arrow/types.js';
import { DataType, dataTypeName, type Compression, type Encoding } from '../format/codes.js';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { loadParquetWasm } from '../export/parquet-writer.js';
import { importArrowBatches, tsTypeOfField } from './import-arrow.js';
import type { ImportResult } from './import-csv.js';
import { DEFAULT_IMPORT_COMPRESSION, defaultEncoding } from './infer.js';

export interface ParquetImportOptions {
  /** Device of a wide file's rows (no `device` column). */
  device?: string;
  aligned?: boolean;
  /** Tag columns: the rows become the table-model table `table`. */
  tagColumns?: readonly string[];
  /** Table name for table-model rows (default "table"). */
  table?: string;
  encoding?: Encoding;
  compression?: Compression;
  signal?: AbortSignal;
  onProgress?: (points: number) => void;
}

export interface ParquetShape {
  schema: Schema;
  rows: number;
  /** Tag columns named in the options or marked as tags in the file. */
  tags: string[];
}

const PER_MS: Record<number, bigint> = { [TimeUnit.SECOND]: 1n, [TimeUnit.MILLISECOND]: 1n, [TimeUnit.MICROSECOND]: 1000n, [TimeUnit.NANOSECOND]: 1_000_000n };

/** The Arrow schema, row count and tag columns of a Parquet file, from its footer alone. */
export async function readParquetShape(file: Blob, options: Pick<ParquetImportOptions, 'tagColumns'> = {}): Promise<ParquetShape> {
  const pw = await loadParquetWasm();
  let pf: import('parquet-wasm').ParquetFile;
  try {
    pf = await pw.ParquetFile.fromFile(file);
  } catch (e) {
    throw new TsFileError(ErrorCode.CORRUPT, `not a readable Parquet file: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
  try {
    const schema = tableFromIPC(pf.schema().intoIPCStream()).schema;
    const rows = Number(pf.metadata().fileMetadata().numRows());
    const marked = schema.fields.filter((f) => f.metadata.get('tsfile.category') === 'TAG').map((f) => f.name);
    const tags = options.tagColumns !== undefined ? [...options.tagColumns] : marked;
    for (const t of tags) {
      const f = schema.fields.find((x) => x.name === t);
      if (f === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `tag column "${t}" is not in the file`, { expected: schema.fields.map((x) => x.name).join(', '), actual: t });
      if (f.type.typeId !== Type.Utf8 && f.type.typeId !== Type.Dictionary) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `tag column "${t}" must hold strings`, { actual: String(f.type) });
    }
    return { schema, rows, tags };
  } finally {
    pf.free();
  }
}

/** Times of any unit → int64 milliseconds (exact or refused). */
function toMillis(name: string, d: Data): Data {
  const unit = (d.type as { unit?: TimeUnit }).unit ?? TimeUnit.MILLISECOND;
  // Arrow JS may hold 64-bit timestamps as int32 pairs: view them as int64.
  const raw = d.values as unknown as BigInt64Array | Int32Array;
  const src = raw instanceof BigInt64Array ? raw : new BigInt64Array(raw.buffer, raw.byteOffset, raw.length >> 1);
  const type = name === 'time' ? new Int64() : new TimestampMillisecond();
  if (unit === TimeUnit.MILLISECOND) {
    const make = makeData as unknown as (p: Record<string, unknown>) => Data;
    return make({ type, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: src });
  }
  const out = new BigInt64Array(d.length);
  const f = PER_MS[unit]!;
  const bm = d.nullCount > 0 ? d.nullBitmap : undefined;
  for (let i = 0; i < d.length; i++) {
    const j = d.offset + i;
    if (bm !== undefined && ((bm[j >> 3]! >> (j & 7)) & 1) === 0) continue;
    const v = src[i]!;
    if (unit === TimeUnit.SECOND) {
      const ms = v * 1000n;
      if (BigInt.asIntN(64, ms) !== ms) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `column "${name}" holds ${v} s, beyond the int64 milliseconds TsFile stores`, { actual: String(v) });
      out[i] = ms;
    } else {
      if (v % f !== 0n) throw new TsFileError(ErrorCode.UNSUPPORTED, `column "${name}" holds ${v} (${unit === TimeUnit.MICROSECOND ? 'µs' : 'ns'}), finer than the milliseconds TsFile stores`, { actual: `${String(v)} at row ${i}` });
      out[i] = v / f;
    }
  }
  return makeData({ type, length: d.length, nullCount: d.nullCount, nullBitmap: bm === undefined ? undefined : copyBits(bm, d.offset, d.length), data: out } as never) as Data;
}

function copyBits(bm: Uint8Array, offset: number, n: number): Uint8Array {
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if ((bm[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** One batch with timestamps in ms and fields carrying their TsFile type. */
function normalize(batch: RecordBatch, schema: { fields: Field[]; target: Schema }): RecordBatch {
  const children = schema.fields.map((f, i) => {
    const d = batch.getChildAt(i)!.data[0]!;
    return f.type.typeId === Type.Timestamp ? toMillis(f.name, d) : d;
  });
  return new RecordBatch(schema.target, makeData({ type: new Struct(schema.target.fields), length: batch.numRows, nullCount: 0, children }));
}

function targetSchema(source: Schema, tags: readonly string[]): Schema {
  return new Schema(source.fields.map((f) => {
    let type = f.type;
    if (f.type.typeId === Type.Timestamp) type = f.name === 'time' ? new Int64() : new TimestampMillisecond();
    const meta = new Map(f.metadata);
    if (f.name !== 'time' && f.name !== 'device' && !tags.includes(f.name)) meta.set(TSFILE_TYPE_KEY, dataTypeName(tsTypeOfField(f)));
    return new Field(f.name, type, f.nullable, meta);
  }));
}

/** Rows [start, end) of a column as Data of offset 0 (value buffers sliced, null bits re-aligned). */
function rowsOf(d: Data, start: number, end: number): Data {
  const n = end - start;
  const make = makeData as unknown as (p: Record<string, unknown>) => Data;
  const bm = d.nullCount > 0 && d.nullBitmap !== undefined && d.nullBitmap.length > 0 ? copyBits(d.nullBitmap, d.offset + start, n) : undefined;
  let nulls = 0;
  if (bm !== undefined) for (let i = 0; i < n; i++) if (((bm[i >> 3]! >> (i & 7)) & 1) === 0) nulls++;
  const base = { type: d.type, length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bm : undefined };
  if (d.valueOffsets !== undefined) return make({ ...base, valueOffsets: (d.valueOffsets as Int32Array).subarray(start, end + 1), data: d.values });
  if (d.type.typeId === Type.Bool) return make({ ...base, data: copyBits(d.values as Uint8Array, d.offset + start, n) });
  const v = d.values as unknown as { subarray(a: number, b: number): unknown; length: number };
  const stride = d.stride ?? 1;
  return make({ ...base, data: v.subarray(start * stride, end * stride), ...(d.dictionary !== undefined ? { dictionary: d.dictionary } : {}) });
}

/**
 * Our export names a measurement that has several types `name:TYPE`; a device has values in one of
 * them: the others (all null here) are dropped and the one with values gets its name back.
 */
function untypedNames(batch: RecordBatch): RecordBatch {
  const typed = (f: Field) => {
    const m = /^(.*):([A-Z0-9]+)$/.exec(f.name);
    return m !== null && m[2] === f.metadata.get(TSFILE_TYPE_KEY);
  };
  if (!batch.schema.fields.some(typed)) return batch;
  const keep: Field[] = [];
  const children: Data[] = [];
  batch.schema.fields.forEach((f, i) => {
    const d = batch.getChildAt(i)!.data[0]!;
    if (!typed(f)) {
      keep.push(f);
      children.push(d);
      return;
    }
    if (d.nullCount === d.length) return;
    keep.push(new Field(f.name.slice(0, f.name.lastIndexOf(':')), f.type, f.nullable, f.metadata));
    children.push(d);
  });
  const names = keep.map((f) => f.name);
  if (new Set(names).size !== names.length) return batch;
  return new RecordBatch(new Schema(keep), makeData({ type: new Struct(keep), length: batch.numRows, nullCount: 0, children }));
}

/** A batch with rows of several devices → one batch per run of a device (the importer's unit). */
function* splitByDevice(batch: RecordBatch): Generator<RecordBatch> {
  const devices = batch.getChild('device');
  if (devices === null) {
    yield batch;
    return;
  }
  let start = 0;
  let current = devices.get(0) as string | null;
  const cut = function* (end: number): Generator<RecordBatch> {
    if (start === 0 && end === batch.numRows) {
      yield batch;
      return;
    }
    const children = batch.schema.fields.map((_, i) => rowsOf(batch.getChildAt(i)!.data[0]!, start, end));
    yield new RecordBatch(batch.schema, makeData({ type: new Struct(batch.schema.fields), length: end - start, nullCount: 0, children }));
  };
  for (let i = 1; i < batch.numRows; i++) {
    const d = devices.get(i) as string | null;
    if (d === current) continue;
    yield* cut(i);
    start = i;
    current = d;
  }
  yield* cut(batch.numRows);
}

async function* parquetBatches(file: Blob, shape: ParquetShape, signal: AbortSignal | undefined): AsyncGenerator<RecordBatch> {
  const pw = await loadParquetWasm();
  const pf = await pw.ParquetFile.fromFile(file);
  const target = targetSchema(shape.schema, shape.tags);
  const fields = shape.schema.fields;
  try {
    const stream = (await pf.stream()) as ReadableStream<import('parquet-wasm').RecordBatch>;
    const reader = stream.getReader();
    try {
      for (;;) {
        throwIfAborted(signal);
        const r = await reader.read();
        if (r.done) break;
        const table = tableFromIPC(r.value.intoIPCStream());
        for (const b of table.batches) {
          if (b.numRows === 0) continue;
          for (const part of splitByDevice(normalize(b, { fields, target }))) yield untypedNames(part);
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  } finally {
    pf.free();
  }
}

export async function importParquet(file: Blob, writer: TsFileWriter, options: ParquetImportOptions = {}): Promise<ImportResult> {
  const shape = await readParquetShape(file, options);
  if (!shape.schema.fields.some((f) => f.name === 'time')) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the Parquet file has no "time" column', { expected: 'time', actual: shape.schema.fields.map((f) => f.name).join(', ') });
  const batches = parquetBatches(file, shape, options.signal);
  if (shape.tags.length === 0) return importArrowBatches(batches, writer, options);
  // Table model: the tags identify devices, every other column except time is a field.
  const table = options.table ?? 'table';
  const fields = shape.schema.fields.filter((f) => f.name !== 'time' && f.name !== 'device' && !shape.tags.includes(f.name));
  writer.registerTable(table, [
    ...shape.tags.map((name) => ({ name, category: 'TAG' as const })),
    ...fields.map((f) => {
      const t: DataType = tsTypeOfField(f);
      return { name: f.name, category: 'FIELD' as const, dataType: t, encoding: options.encoding ?? defaultEncoding(t), compression: options.compression ?? DEFAULT_IMPORT_COMPRESSION };
    }),
  ]);
  let points = 0;
  const devices = new Set<string>();
  for await (const batch of batches) {
    const keep = batch.schema.fields.filter((f) => f.name !== 'device');
    const sub = keep.length === batch.schema.fields.length ? batch : new RecordBatch(new Schema(keep), makeData({ type: new Struct(keep), length: batch.numRows, nullCount: 0, children: keep.map((f) => batch.getChild(f.name)!.data[0]!) }));
    await writer.write(table, sub);
    for (const f of fields) points += batch.numRows - batch.getChild(f.name)!.nullCount;
    const tagCols = shape.tags.map((t) => batch.getChild(t)!);
    for (let i = 0; i < batch.numRows; i++) {
      if (i > 0 && tagCols.every((c) => c.get(i) === c.get(i - 1))) continue;
      devices.add(JSON.stringify(tagCols.map((c) => c.get(i))));
    }
    options.onProgress?.(points);
  }
  return { devices: devices.size, series: devices.size * fields.length, points };
}
