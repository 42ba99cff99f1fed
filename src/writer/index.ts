/**
 * The TsFile writer (tsfile-format.md §2–§7, §9, §13, §16–§17) and recovery (§15): the public
 * surface of `src/writer/`.
 */
export { TsFileWriter } from './tsfile-writer.js';
export type { TsFileWriterOptions } from './options.js';
export type { TableColumnSpec, TimeseriesSpec } from './schema.js';
export type { ColumnBatch, ColumnInput, WriteInput } from './input.js';
export type { AppendValue } from './row-buffer.js';
export { MemorySink, type TsFileSink } from './sink.js';
export { FileSink } from './file-sink.js';
export { planRecovery, recoverTsFile, scanDataSection, type RecoveryPlan, type RecoverOptions, type RecoveryResult, type ScanResult } from './recover.js';
export type { TableColumn, TableSchema } from './table-schema.js';
export { inlineEncodeRunner, setEncodeRunnerFactory, type EncodeRunner, type EncodeRunnerOptions } from './encode-runner.js';
export { runEncodeTask, type EncodeResult, type EncodeTask } from './page-task.js';
