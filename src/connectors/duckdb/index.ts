/** The embedded DuckDB target: a sink that loads Arrow batches into a DuckDB file, and its target syntax. */
export { DuckDBSink, LABELS_TABLE, loadDuckDB, type DuckDBSinkOptions } from './sink.js';
export { isDuckDBTarget, parseDuckDBTarget } from './target.js';
