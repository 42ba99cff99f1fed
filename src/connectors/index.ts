/**
 * Connector entry point: sinks for IoTDB (native RPC and REST), TDengine (SQL and line protocol)
 * and StarRocks (Stream Load and Transaction Stream Load), and `createSink` that builds the right
 * one from a connection URL and a flat option set (what `tsfile load` passes).
 */
import { parseTarget, httpBase, type Target } from './core/connection-url.js';
import type { BatchingOptions, Sink, TlsOptions } from './core/sink.js';
import type { Precision } from './core/time-format.js';
import { IoTDBRestSink } from './iotdb/rest-sink.js';
import { IoTDBSessionSink } from './iotdb/session-sink.js';
import type { ThriftProtocol } from './iotdb/thrift.js';
import { StreamLoadSink } from './starrocks/stream-load-sink.js';
import { TransactionStreamLoadSink } from './starrocks/transaction-sink.js';
import type { StarRocksFormat, TimeFormat } from './starrocks/rows.js';
import { TDengineLineSink, TDengineSqlSink } from './tdengine/sink.js';
import { IoTDBSource as IoTDBSourceClass } from './iotdb/source.js';
import { TDengineSource as TDengineSourceClass } from './tdengine/source.js';
import { ConnectorError } from './core/errors.js';

type IoTDBSourceType = IoTDBSourceClass;
type TDengineSourceType = TDengineSourceClass;

export type { Sink, TransactionalSink, DeliveryGuarantee, BatchingOptions } from './core/sink.js';
export { isTransactional } from './core/sink.js';
export { ConnectorError };
export type { SinkMetrics } from './core/metrics.js';
export type { DeviceBatch } from './core/columns.js';
export { parseTarget, type Target } from './core/connection-url.js';
export { IoTDBRestSink, IoTDBSessionSink, StreamLoadSink, TransactionStreamLoadSink, TDengineLineSink, TDengineSqlSink };

export interface SinkOptions extends BatchingOptions {
  user?: string;
  password?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  tls?: TlsOptions;
  // IoTDB
  protocol?: ThriftProtocol;
  sessions?: number;
  redirection?: boolean;
  createSchema?: boolean;
  aligned?: 'auto' | boolean;
  tableDatabase?: string;
  tagColumns?: string[];
  // TDengine
  stable?: string;
  tableTemplate?: string;
  precision?: Precision;
  textWidth?: number;
  lineProtocol?: boolean;
  timeColumn?: string;
  /** TDengine and StarRocks: NaN/±Infinity refused (default) or written as NULL. */
  nonFinite?: 'error' | 'null';
  createDatabase?: boolean;
  keepDays?: number;
  /** IoTDB REST: BLOB columns refused (default) or stored as their 0x-hex text. */
  restBlob?: 'refuse' | 'hex-text';
  // StarRocks
  format?: StarRocksFormat;
  timeFormat?: TimeFormat;
  columnSeparator?: string;
  rowDelimiter?: string;
  exactlyOnce?: boolean;
  labelPrefix?: string;
  properties?: Record<string, string>;
}

function batching(o: SinkOptions): BatchingOptions {
  const b: BatchingOptions = {};
  if (o.maxRows !== undefined) b.maxRows = o.maxRows;
  if (o.maxBytes !== undefined) b.maxBytes = o.maxBytes;
  if (o.flushIntervalMs !== undefined) b.flushIntervalMs = o.flushIntervalMs;
  if (o.retry !== undefined) b.retry = o.retry;
  if (o.onRetry !== undefined) b.onRetry = o.onRetry;
  return b;
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Builds the sink a connection URL names. */
export function createSink(url: string | Target, o: SinkOptions = {}): Sink {
  const t = typeof url === 'string' ? parseTarget(url) : url;
  const user = o.user ?? t.user;
  const password = o.password ?? t.password;
  const common = defined({ ...batching(o), user, password, connectTimeoutMs: o.connectTimeoutMs, requestTimeoutMs: o.requestTimeoutMs });
  switch (t.kind) {
    case 'iotdb-rpc':
    case 'iotdb-rest': {
      const io = defined({ ...common, host: t.host, port: t.port, tls: t.tls, createSchema: o.createSchema, aligned: o.aligned,
        tableDatabase: o.tableDatabase, tagColumns: o.tagColumns, tlsOptions: o.tls, restBlob: o.restBlob });
      if (t.kind === 'iotdb-rest') return new IoTDBRestSink(io);
      return new IoTDBSessionSink(defined({ ...io, protocol: o.protocol ?? (t.params.get('protocol') as ThriftProtocol | null) ?? undefined, sessions: o.sessions, redirection: o.redirection }));
    }
    case 'tdengine': {
      const td = defined({ ...common, url: httpBase(t), database: t.path[0]!, stable: o.stable, tableTemplate: o.tableTemplate, tagColumns: o.tagColumns,
        precision: o.precision, textWidth: o.textWidth, timeColumn: o.timeColumn, nonFinite: o.nonFinite, createDatabase: o.createDatabase, keepDays: o.keepDays, tls: o.tls });
      return o.lineProtocol === true || t.params.get('protocol') === 'line' ? new TDengineLineSink(td) : new TDengineSqlSink(td);
    }
    case 'starrocks': {
      const sr = defined({ ...common, url: httpBase(t), database: t.path[0]!, table: t.path[1]!, format: o.format, timeFormat: o.timeFormat,
        columnSeparator: o.columnSeparator, rowDelimiter: o.rowDelimiter, labelPrefix: o.labelPrefix, properties: o.properties, tls: o.tls, nonFinite: o.nonFinite });
      return o.exactlyOnce === true ? new TransactionStreamLoadSink(sr) : new StreamLoadSink(sr);
    }
  }
}

export { IoTDBSource, type IoTDBSourceOptions } from './iotdb/source.js';
export { TDengineSource, type TDengineSourceOptions } from './tdengine/source.js';

export interface SourceOptions {
  user?: string;
  password?: string;
  /** Device path patterns (IoTDB syntax; TDengine: `*` globs over device / table names). */
  devices?: string[];
  measurements?: string[];
  startTime?: bigint;
  endTime?: bigint;
  pageRows?: number;
  parallel?: number;
  /** TDengine: width of a split's time window in the database precision. */
  window?: bigint;
  /** IoTDB REST: the server's timestamp precision. */
  precision?: Precision;
  protocol?: ThriftProtocol;
  retry?: BatchingOptions['retry'];
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  tls?: TlsOptions;
}

/** Builds the database source a connection URL names (iotdb://, iotdb+http://, tdengine+http://). */
export function createSource(url: string | Target, o: SourceOptions = {}): IoTDBSourceType | TDengineSourceType {
  const t = typeof url === 'string' ? parseTarget(url) : url;
  const common = defined({ user: o.user ?? t.user, password: o.password ?? t.password, devices: o.devices, measurements: o.measurements,
    startTime: o.startTime, endTime: o.endTime, pageRows: o.pageRows, parallel: o.parallel, retry: o.retry,
    connectTimeoutMs: o.connectTimeoutMs, requestTimeoutMs: o.requestTimeoutMs });
  switch (t.kind) {
    case 'iotdb-rpc': case 'iotdb-rest':
      return new IoTDBSourceClass(defined({ ...common, host: t.host, port: t.port, tls: t.tls, tlsOptions: o.tls, transport: t.kind === 'iotdb-rest' ? 'rest' as const : 'rpc' as const,
        protocol: o.protocol ?? (t.params.get('protocol') as ThriftProtocol | null) ?? undefined, precision: o.precision }));
    case 'tdengine':
      return new TDengineSourceClass(defined({ ...common, url: httpBase(t), database: t.path[0]!, window: o.window, tls: o.tls }));
    default:
      throw new ConnectorError(`${t.display} cannot be read from (sources: iotdb://, iotdb+http://, tdengine+http://)`, { sink: 'source', failure: 'invalid', retryable: false });
  }
}
