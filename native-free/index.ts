/**
 * tsfile-arrow for browsers and edge runtimes: the same reader and exporters, with the pure
 * TypeScript/WASM codecs and inline decoding — nothing here imports a Node built-in or an addon.
 * Open files from bytes or from any `{ byteLength, read(offset, length) }` source (e.g. HTTP ranges).
 */
export { TsFileReader } from '../src/reader/tsfile-reader.js';
export { readTable, type ReadTableOptions } from '../src/reader/read-table.js';
export { where, type QueryFilter, type FilterValue, type CompareOp } from '../src/reader/query-filter.js';
export { parseFilter } from '../src/reader/query-filter-text.js';
export type { QueryOptions } from '../src/reader/query.js';
export { parseInstant } from '../src/arrow/instant-text.js';
export type { TableInfo, TableColumnInfo } from '../src/reader/table-scan.js';
export { epochNumber, epochValues, epochVector, epochWords } from '../src/arrow/epoch-values.js';
export type { TimeUnitName } from '../src/arrow/time-unit.js';
export type { DeviceBatch, DeviceInfo, PageSummary, ReaderSource, ScanOptions, SeriesInfo } from '../src/reader/tsfile-reader.js';
export type { ReaderOptions } from '../src/reader/options.js';
export type { ReadStats } from '../src/reader/read-context.js';
export { inlineRunner, type TaskRunner } from '../src/reader/task-runner.js';
export { BufferSource, type ByteSource } from '../src/io/byte-source.js';
export { HttpSource, type HttpSourceOptions, type HttpStats, type FetchLike, type FetchResponse } from '../src/io/http-source.js';
export { openUrl, type OpenUrlOptions } from '../src/reader/open-url.js';
export { AbortError, ErrorCode, isTsFileError, TsFileError } from '../src/io/errors.js';
export { Compression, DataType, Encoding, compressionName, dataTypeName, encodingName } from '../src/format/codes.js';
export { arrowTypeOf, measurementField, timeField, TSFILE_TYPE_KEY } from '../src/arrow/types.js';
export { getCodec, registerCodec, useCodecs } from '../src/compression/registry.js';
export type { Codec } from '../src/compression/types.js';
export { exportCsv } from '../src/export/csv.js';
export { exportJsonLines } from '../src/export/jsonl.js';
export { exportArrowIpc } from '../src/export/arrow-ipc.js';
export { StringSink, type TextSink } from '../src/export/text-sink.js';
