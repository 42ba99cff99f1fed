/**
 * Writer settings and their defaults (tsfile-format.md §16.1, the Java `TSFileConfig` values):
 * page max points 10 000, page size 64 KiB, index degree 256, time column TS_2DIFF, time column
 * compression LZ4, float precision 2, bloom error rate 0.05. Chunk groups flush at 64 MiB of
 * buffered points (Java: 128 MiB), so that a writer fed by a reader stays under 256 MB in all.
 */
import { Compression, Encoding, parseCompressionName, parseEncodingName, type CompressionName, type EncodingName } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { parseTimeUnit, type TimeUnitName } from '../arrow/time-unit.js';
import type { EncodeRunnerOptions } from './encode-runner.js';

export interface TsFileWriterOptions extends EncodeRunnerOptions {
  /** Format version: 4 (TsFile 2.x, default) or 3 (IoTDB 1.x; tree model only). */
  version?: 3 | 4;
  /** A page is sealed at this many points (Java `maxNumberOfPointsInPage`). */
  maxPointsPerPage?: number;
  /** A page is sealed when its estimated encoded size passes this (Java `pageSizeInByte`). */
  pageSizeBytes?: number;
  /** Buffered data of all devices is flushed as chunk groups when it passes this many bytes. */
  chunkGroupSizeBytes?: number;
  /** Maximum children of a metadata index node (Java `maxDegreeOfIndexNode`). */
  maxIndexDegree?: number;
  /** Encoding of every time column. */
  timeEncoding?: Encoding | EncodingName;
  /** Compression of aligned time chunks (non-aligned pages use their series' compression). */
  timeCompression?: Compression | CompressionName;
  /** Default value encoding when a series names none. */
  defaultEncoding?: Encoding | EncodingName;
  /** Default value compression when a series names none. */
  defaultCompression?: Compression | CompressionName;
  /** Decimal digits kept by RLE/TS_2DIFF on FLOAT/DOUBLE (`max_point_number`). */
  floatPrecision?: number;
  /** Bloom filter false-positive rate (clamped to [0.01, 0.1]). */
  bloomFilterErrorRate?: number;
  /**
   * Accept values the chosen encoding does not store exactly (RLE/TS_2DIFF on FLOAT/DOUBLE beyond
   * `floatPrecision` decimals or the integer range, NaN under GORILLA_V1, SPRINTZ/RLBE values whose
   * deltas do not survive); by default such a write is rejected naming the row.
   */
  allowLossyEncoding?: boolean;
  /**
   * 'cpp' (version 3 only) writes the layout of the C++ writer (§19): an operation-index record
   * before the separator, no aligned column masks, the C++ bloom filter sizing. Default 'java'.
   */
  layout?: 'java' | 'cpp';
  /**
   * Page-encoding tasks (the pages a write completed, of one device) that may run on worker
   * threads while the writer buffers the next points; bounds the memory they hold. Default four
   * times the runner's concurrency. Files are identical whatever the value.
   */
  maxTasksInFlight?: number;
  /**
   * Unit of the file's times (TsFile does not record it; readers must be told the same). Arrow
   * Timestamp, Date32 and Date64 inputs are converted to it; a value that does not convert exactly
   * is refused naming its column and row. Int64 and plain-array times are taken as in this unit.
   * Default 'ms'.
   */
  timeUnit?: TimeUnitName;
  /**
   * `append`: a device's appended rows are written (as one batch) when it holds this many.
   * Default 4096.
   */
  appendBatchRows?: number;
  /**
   * `append`: when the rows appended to all devices and not yet written hold this much memory
   * (estimated), all of them are written. Default 8 MiB.
   */
  appendBufferBytes?: number;
  /**
   * `append` to an unregistered tree-model device, or of an unregistered measurement of a
   * non-aligned device, registers it as a non-aligned series whose type is inferred from the first
   * value: boolean → BOOLEAN, bigint → INT64, number → DOUBLE, string → STRING (TEXT in version 3),
   * Uint8Array → BLOB; with the default encoding and compression. Default false: such an append is
   * refused, as a batch write is.
   */
  inferSchema?: boolean;
}

export interface ResolvedWriterOptions {
  version: 3 | 4;
  maxPointsPerPage: number;
  pageSizeBytes: number;
  chunkGroupSizeBytes: number;
  maxIndexDegree: number;
  timeEncoding: Encoding;
  timeCompression: Compression;
  defaultEncoding: Encoding;
  defaultCompression: Compression;
  floatPrecision: number;
  bloomFilterErrorRate: number;
  allowLossyEncoding: boolean;
  layout: 'java' | 'cpp';
  maxTasksInFlight: number | undefined;
  timeUnit: TimeUnitName;
  appendBatchRows: number;
  appendBufferBytes: number;
  inferSchema: boolean;
}

function positiveInt(name: string, v: number | undefined, dflt: number, min = 1): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < min) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option ${name} must be an integer >= ${min}`, { expected: `>= ${min}`, actual: String(v) });
  }
  return v;
}

export function toEncoding(v: Encoding | EncodingName): Encoding {
  return typeof v === 'string' ? parseEncodingName(v) : v;
}

export function toCompression(v: Compression | CompressionName): Compression {
  return typeof v === 'string' ? parseCompressionName(v) : v;
}

export function resolveWriterOptions(o: TsFileWriterOptions = {}): ResolvedWriterOptions {
  const version = o.version ?? 4;
  if (version !== 3 && version !== 4) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'option version must be 3 or 4', { actual: String(version) });
  }
  const errorRate = o.bloomFilterErrorRate ?? 0.05;
  if (!(errorRate > 0 && errorRate < 1)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'option bloomFilterErrorRate must be in (0, 1)', { actual: String(errorRate) });
  }
  if (o.threads !== undefined && !(Number.isSafeInteger(o.threads) && o.threads >= 0)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'option threads must be an integer >= 0', { expected: '>= 0', actual: String(o.threads) });
  }
  const layout = o.layout ?? 'java';
  if ((layout !== 'java' && layout !== 'cpp') || (layout === 'cpp' && version !== 3)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, "option layout must be 'java', or 'cpp' with version 3", { actual: `${String(layout)}, version ${version}` });
  }
  return {
    layout,
    version,
    maxPointsPerPage: positiveInt('maxPointsPerPage', o.maxPointsPerPage, 10_000),
    pageSizeBytes: positiveInt('pageSizeBytes', o.pageSizeBytes, 64 * 1024),
    chunkGroupSizeBytes: positiveInt('chunkGroupSizeBytes', o.chunkGroupSizeBytes, 64 * 1024 * 1024),
    maxIndexDegree: positiveInt('maxIndexDegree', o.maxIndexDegree, 256, 2),
    timeEncoding: toEncoding(o.timeEncoding ?? Encoding.TS_2DIFF),
    timeCompression: toCompression(o.timeCompression ?? Compression.LZ4),
    defaultEncoding: toEncoding(o.defaultEncoding ?? Encoding.PLAIN),
    defaultCompression: toCompression(o.defaultCompression ?? Compression.LZ4),
    floatPrecision: positiveInt('floatPrecision', o.floatPrecision, 2, 0),
    bloomFilterErrorRate: errorRate,
    allowLossyEncoding: o.allowLossyEncoding ?? false,
    timeUnit: parseTimeUnit(o.timeUnit),
    appendBatchRows: positiveInt('appendBatchRows', o.appendBatchRows, 4096),
    appendBufferBytes: positiveInt('appendBufferBytes', o.appendBufferBytes, 8 * 1024 * 1024),
    inferSchema: o.inferSchema ?? false,
    maxTasksInFlight: o.maxTasksInFlight === undefined ? undefined : positiveInt('maxTasksInFlight', o.maxTasksInFlight, 1),
  };
}
