/**
 * TDengine sink options (connectors.md §2.5 Flink options, adapted) and the naming of tables.
 */
import { ConnectorError } from '../core/errors.js';
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
  /** Database timestamp precision (default: the data's time unit); times are converted to it. */
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
  /** Run CREATE DATABASE IF NOT EXISTS first (PRECISION from the data, KEEP covering the oldest row). */
  createDatabase?: boolean;
  /** KEEP of a created database in days (default: enough for the oldest row, at least 3650). */
  keepDays?: number;
  tls?: TlsOptions;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * TDengine table name of a device: template applied to the path with '.' → '_' (TDengine allows no
 * '.' in a table name). Two devices mapping to one name are refused by the sink (`TableNames`).
 */
export function tableName(device: string, template = '{device}'): string {
  const name = template.split('{device}').join(device.replace(/\./g, '_'));
  if (Buffer.byteLength(name) > 192) {
    throw new ConnectorError(`table name for ${device} is longer than TDengine's 192 bytes; set --table-template`, { sink: 'tdengine', failure: 'invalid', retryable: false });
  }
  return name;
}

/** Remembers which device each table name came from and refuses a second device on the same name. */
export class TableNames {
  private readonly owner = new Map<string, string>();
  check(table: string, device: string): void {
    // Backquoted names keep their case, so only an exact repeat collides.
    const had = this.owner.get(table);
    if (had === undefined) { this.owner.set(table, device); return; }
    if (had !== device) {
      throw new ConnectorError(`devices ${had} and ${device} both map to TDengine table ${table} ('.' becomes '_'); set --table-template or rename one`, { sink: 'tdengine', failure: 'invalid', retryable: false });
    }
  }
}

/**
 * Backquoted identifier: keeps case and characters other than '.'; TDengine has no escape for a
 * backtick inside one, so such names are refused.
 */
export function quoteIdent(name: string): string {
  if (name.includes('`')) {
    throw new ConnectorError(`name ${name} contains a backtick, which a TDengine identifier cannot hold`, { sink: 'tdengine', failure: 'invalid', retryable: false });
  }
  return `\`${name}\``;
}
