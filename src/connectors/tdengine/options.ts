/**
 * TDengine sink options (connectors.md §2.5 Flink options, adapted) and the naming of tables.
 */
import type { BatchingOptions, TlsOptions } from '../core/sink.js';
import type { Precision } from '../core/time-format.js';

export interface TDengineOptions extends BatchingOptions {
  /** taosAdapter base URL, http(s)://host:6041 */
  url: string;
  database: string;
  user?: string;
  password?: string;
  /** Devices become subtables of this supertable, tagged `device` = the original path. */
  stable?: string;
  /** Table name template; `{device}` is the device path with '.' replaced by '_' (default "{device}"). */
  tableTemplate?: string;
  /** Tag column names for table-model batches (default tag1..n). */
  tagColumns?: string[];
  /** Name of the timestamp column (default "ts"); must differ from every measurement name. */
  timeColumn?: string;
  /** Database timestamp precision (default ms); times are converted to it. */
  precision?: Precision;
  /** Column type for TEXT/STRING (default NCHAR) and its width (default 256). */
  textType?: 'NCHAR' | 'VARCHAR';
  textWidth?: number;
  /** Width of VARBINARY columns for BLOB (default 1024). */
  binaryWidth?: number;
  /** Largest SQL statement in UTF-8 bytes (default 1,000,000, under the 1 MiB maxSQLLength). */
  maxSqlBytes?: number;
  /** NaN/±Infinity have no SQL literal: fail (default) or write NULL. */
  nonFinite?: 'error' | 'null';
  /** Run CREATE DATABASE IF NOT EXISTS first. */
  createDatabase?: boolean;
  tls?: TlsOptions;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** TDengine table name of a device: template applied to the path with '.' → '_'. */
export function tableName(device: string, template = '{device}'): string {
  return template.split('{device}').join(device.replace(/\./g, '_'));
}

/** Backquoted identifier (keeps case and unusual characters; '.' is not allowed in table names). */
export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
