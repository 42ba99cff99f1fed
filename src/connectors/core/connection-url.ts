/**
 * Connection URLs of `tsfile load --to`: `iotdb://user:pass@host:6667` (native RPC),
 * `iotdbs://` (RPC over TLS), `iotdb+http(s)://host:18080` (REST), `tdengine+http(s)://host:6041/db`,
 * `starrocks(+https)://host:8030/db/table`. Credentials come out of the URL so that nothing
 * downstream ever prints them.
 */
import { ErrorCode, TsFileError } from '../../io/errors.js';
import { registerSecret } from './errors.js';

export type TargetKind = 'iotdb-rpc' | 'iotdb-rest' | 'tdengine' | 'starrocks';

export interface Target {
  kind: TargetKind;
  host: string;
  port: number;
  tls: boolean;
  user: string | undefined;
  password: string | undefined;
  /** Path segments after the host (database, table). */
  path: string[];
  params: URLSearchParams;
  /** The URL without credentials, for messages. */
  display: string;
}

const SCHEMES: Record<string, { kind: TargetKind; tls: boolean; port: number }> = {
  'iotdb:': { kind: 'iotdb-rpc', tls: false, port: 6667 },
  'iotdbs:': { kind: 'iotdb-rpc', tls: true, port: 6667 },
  'iotdb+http:': { kind: 'iotdb-rest', tls: false, port: 18080 },
  'iotdb+https:': { kind: 'iotdb-rest', tls: true, port: 18080 },
  'tdengine:': { kind: 'tdengine', tls: false, port: 6041 },
  'tdengine+http:': { kind: 'tdengine', tls: false, port: 6041 },
  'tdengine+https:': { kind: 'tdengine', tls: true, port: 6041 },
  'starrocks:': { kind: 'starrocks', tls: false, port: 8030 },
  'starrocks+http:': { kind: 'starrocks', tls: false, port: 8030 },
  'starrocks+https:': { kind: 'starrocks', tls: true, port: 8030 },
};

export function parseTarget(text: string): Target {
  let u: URL;
  try { u = new URL(text); } catch {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'not a connection URL', { actual: text.replace(/\/\/[^@/]*@/, '//***@'), expected: 'iotdb://, iotdb+http://, tdengine+http://, starrocks://' });
  }
  const s = SCHEMES[u.protocol];
  const display = `${u.protocol}//${u.host}${u.pathname}`;
  if (s === undefined) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `unknown connection scheme ${u.protocol}`, { actual: display, expected: Object.keys(SCHEMES).join(' ') });
  }
  const user = u.username === '' ? undefined : decodeURIComponent(u.username);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  registerSecret(password, user);
  const path = u.pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  if (s.kind === 'tdengine' && path.length < 1) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'tdengine URL needs a database: tdengine+http://host:6041/db', { actual: display });
  if (s.kind === 'starrocks' && path.length < 2) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'starrocks URL needs database and table: starrocks://host:8030/db/table', { actual: display });
  return { kind: s.kind, host: u.hostname, port: u.port === '' ? s.port : Number(u.port), tls: s.tls, user, password, path, params: u.searchParams, display };
}

/** The HTTP base URL of a target. */
export function httpBase(t: Target): string {
  return `${t.tls ? 'https' : 'http'}://${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
}
