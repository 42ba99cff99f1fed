/**
 * IoTDB sink options, after IoTDB's own Flink sink (connectors.md §1.6): batch size, sessions per
 * sink, optional schema creation, aligned devices, table model (IoTDB 2.x).
 */
import type { BatchingOptions, TlsOptions } from '../core/sink.js';
import type { SchemaOptions } from './schema.js';
import type { ThriftProtocol } from './thrift.js';

export interface IoTDBOptions extends BatchingOptions {
  host: string;
  /** 6667 for the native RPC, 18080 for REST. */
  port: number;
  user?: string;
  password?: string;
  tls?: boolean;
  /** Trusted CA / verification for TLS. */
  tlsOptions?: TlsOptions;
  /** Register timeseries / tables before the first write of each device. */
  createSchema?: boolean | SchemaOptions;
  /** 'auto' (default) writes each device as its batch's `tsfile.aligned` says. */
  aligned?: 'auto' | boolean;
  /** Table-model batches (with `tsfile.table`) go to this IoTDB 2.x database; without it they are written as tree devices. */
  tableDatabase?: string;
  /** Tag column names for table-model writes (default tag1..n). */
  tagColumns?: string[];
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** REST only: BLOB columns are refused (default) or stored as their `0x`-hex text. */
  restBlob?: 'refuse' | 'hex-text';
}

export interface IoTDBSessionOptions extends IoTDBOptions {
  /** Thrift protocol; must match the server's `dn_rpc_thrift_compression_enable` (compact = true). */
  protocol?: ThriftProtocol;
  /** Sessions (connections) per sink, also the number of requests in flight (default 2). */
  sessions?: number;
  zoneId?: string;
  /** Follow redirect hints to the node leading each device (default true, as IoTDB's Java session). */
  redirection?: boolean;
}
