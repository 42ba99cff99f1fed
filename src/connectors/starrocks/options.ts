/**
 * StarRocks sink options (connectors.md §3.4 defaults, adapted to a batch loader) and the endpoint
 * they describe.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { BatchingOptions, TlsOptions } from '../core/sink.js';
import { registerSecret } from '../core/errors.js';
import { DEFAULT_LAYOUT, type RowLayout } from './rows.js';
import type { StarRocksEndpoint } from './client.js';

export interface StarRocksOptions extends BatchingOptions, Partial<RowLayout> {
  /** FE URL, http(s)://host:8030 */
  url: string;
  database: string;
  table: string;
  user?: string;
  password?: string;
  /** Label prefix, `[-_A-Za-z0-9]` (default "tsfile"). */
  labelPrefix?: string;
  /** Extra Stream Load headers (`timeout`, `max_filter_ratio`, `partial_update`...). */
  properties?: Record<string, string>;
  connectTimeoutMs?: number;
  continueTimeoutMs?: number;
  requestTimeoutMs?: number;
  tls?: TlsOptions;
  /** How long to poll the state of a label whose outcome is unknown (default 60 s). */
  labelWaitMs?: number;
}

export function endpointFrom(o: StarRocksOptions, sink: string): StarRocksEndpoint {
  const base = new URL(o.url);
  registerSecret(o.password, o.user ?? 'root');
  return {
    baseUrl: new URL(`${base.protocol}//${base.host}`), database: o.database, table: o.table,
    user: o.user ?? 'root', password: o.password ?? '', sink,
    connectTimeoutMs: o.connectTimeoutMs ?? 30_000, continueTimeoutMs: o.continueTimeoutMs ?? 30_000,
    requestTimeoutMs: o.requestTimeoutMs ?? 600_000,
    agent: base.protocol === 'https:' ? new https.Agent({ keepAlive: false, ...o.tls }) : new http.Agent({ keepAlive: false }),
    ...(o.tls !== undefined ? { tls: o.tls } : {}),
  };
}

export function layoutFrom(o: StarRocksOptions): RowLayout {
  return {
    format: o.format ?? DEFAULT_LAYOUT.format, timeFormat: o.timeFormat ?? DEFAULT_LAYOUT.timeFormat,
    columnSeparator: o.columnSeparator ?? DEFAULT_LAYOUT.columnSeparator, rowDelimiter: o.rowDelimiter ?? DEFAULT_LAYOUT.rowDelimiter,
    deviceColumn: o.deviceColumn ?? DEFAULT_LAYOUT.deviceColumn, timeColumn: o.timeColumn ?? DEFAULT_LAYOUT.timeColumn,
    nonFinite: o.nonFinite ?? 'error',
  };
}

const LABEL = /^[-\w]{1,128}$/;

export function checkLabel(label: string): boolean {
  return LABEL.test(label);
}
