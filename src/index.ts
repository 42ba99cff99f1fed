/**
 * tsfile-arrow for Node: the reader, Arrow mapping, exporters and codecs. Importing this entry
 * registers the native codecs (lz4-napi, snappy, node:zlib) where they load; the pure-TypeScript
 * codecs stay in place for everything else, and decode tasks run on a piscina worker pool. Browsers
 * and edge runtimes use `tsfile-arrow/native-free` (pure codecs, inline decoding).
 */
import './compression/native.js';
import './local-files.js';
import { installPoolRunner } from './engine/pool-runner.js';
import { installWritePoolRunner } from './engine/write-pool.js';

// `threads` (default: inline on one or two cores, else cores − 1) and `pool` options of readers and writers now run
// decode and encode tasks on workers.
installPoolRunner();
installWritePoolRunner();

export { TsFileReader } from './reader/tsfile-reader.js';
export { readTable, type ReadTableOptions } from './reader/read-table.js';
export type { TableInfo, TableColumnInfo } from './reader/table-scan.js';
export { epochNumber, epochValues, epochVector, epochWords } from './arrow/epoch-values.js';
export type { TimeUnitName } from './arrow/time-unit.js';
export type { DeviceBatch, DeviceInfo, PageSummary, ReaderSource, ScanOptions, SeriesInfo } from './reader/tsfile-reader.js';
export type { ReaderOptions } from './reader/options.js';
export type { ReadStats } from './reader/read-context.js';
export { inlineRunner, type RunnerOptions, type TaskRunner } from './reader/task-runner.js';
export { createDecodePool, destroySharedPool, PoolRunner, poolRunner, type PoolRunnerOptions } from './engine/pool-runner.js';
export { EncodePoolRunner, writePoolRunner, installWritePoolRunner, type WritePoolOptions } from './engine/write-pool.js';
export { BufferSource, type ByteSource } from './io/byte-source.js';
export { HttpSource, type HttpSourceOptions, type HttpStats, type FetchLike, type FetchResponse } from './io/http-source.js';
export { openUrl, type OpenUrlOptions } from './reader/open-url.js';
export { FileSource } from './io/file-source.js';
export { AtomicFile, writeAtomically, type AtomicFileOptions } from './io/atomic-file.js';
export { fileIdentity, findOutputConflict, sameIdentity, type FileIdentity } from './io/file-identity.js';
export { AbortError, ErrorCode, isTsFileError, TsFileError, type ErrorDetails } from './io/errors.js';
export { Compression, DataType, Encoding, compressionName, dataTypeName, encodingName } from './format/codes.js';
export type { Statistics } from './format/statistics.js';
export { arrowTypeOf, measurementField, timeField, TSFILE_TYPE_KEY } from './arrow/types.js';
export { getCodec, registerCodec, useCodecs } from './compression/registry.js';
export type { Codec } from './compression/types.js';
export { exportCsv, type CsvExportOptions } from './export/csv.js';
export { TsFileWriter, MemorySink, FileSink, planRecovery, recoverTsFile } from './writer/index.js';
export type { TsFileWriterOptions, TimeseriesSpec, TableColumnSpec, ColumnBatch, ColumnInput, WriteInput, AppendValue, TsFileSink, RecoverOptions, RecoveryResult, RecoveryPlan } from './writer/index.js';
export { inlineEncodeRunner, type EncodeRunner, type EncodeRunnerOptions } from './writer/index.js';
export { rewriteTsFile, type RewriteOptions, type RewriteResult } from './convert/rewrite.js';
export { scanFiles, queryFiles, resolveTsFiles, type FileBatch } from './engine/scan-files.js';
export { where, type QueryFilter, type FilterValue, type CompareOp } from './reader/query-filter.js';
export { parseFilter } from './reader/query-filter-text.js';
export type { QueryOptions } from './reader/query.js';
export { parseInstant } from './arrow/instant-text.js';
export { createSink, parseTarget, ConnectorError, IoTDBRestSink, IoTDBSessionSink, StreamLoadSink, TransactionStreamLoadSink, TDengineLineSink, TDengineSqlSink } from './connectors/index.js';
export type { Sink, TransactionalSink, DeliveryGuarantee, BatchingOptions, SinkMetrics, SinkOptions, Target } from './connectors/index.js';
export { pipe } from './pipeline/pipe.js';
export { exportJsonLines } from './export/jsonl.js';
export { exportArrowIpc } from './export/arrow-ipc.js';
export { StringSink, streamSink, type TextSink } from './export/text-sink.js';
export { exportParquet, type ParquetExportOptions, type ParquetExportResult, type ParquetDirectory, type ParquetFileOutput } from './export/parquet.js';
export { planParquetParts, type ParquetLayout, type ParquetPart } from './export/parquet-layout.js';
export { writeParquetStream, type ParquetCompression, type ParquetWriteOptions } from './export/parquet-writer.js';
export { atomicFile, parquetDirectory } from './export/atomic-file.js';
export { DuckDBSink, parseDuckDBTarget, type DuckDBSinkOptions } from './connectors/duckdb/index.js';
