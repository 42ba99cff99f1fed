/**
 * StarRocks HTTP calls (connectors.md §3.1 Stream Load, label state; §3.2 transaction API): every
 * call follows the FE→BE 307 redirect with `Expect: 100-continue` and resends Authorization and the
 * label, and every response is classified strictly — anything but Success, Publish Timeout or our
 * own finished label is a failure (§3.1, the #511 lesson).
 */
import type * as http from 'node:http';
import { ConnectorError } from '../core/errors.js';
import { basicAuth, displayUrl, httpRequest, parseJsonBody, type HttpResponse } from '../core/http.js';
import type { WireCounter } from '../core/metrics.js';
import { sleep } from '../core/retry.js';
import type { TlsOptions } from '../core/sink.js';

export interface StarRocksEndpoint {
  /** FE base URL, e.g. http://host:8030 (https for TLS). */
  baseUrl: URL;
  database: string;
  table: string;
  user: string;
  password: string;
  connectTimeoutMs: number;
  continueTimeoutMs: number;
  requestTimeoutMs: number;
  agent?: http.Agent;
  tls?: TlsOptions;
  sink: string;
  wire?: WireCounter;
}

export type LabelState = 'UNKNOWN' | 'PREPARE' | 'PREPARED' | 'COMMITTED' | 'VISIBLE' | 'ABORTED';

/** Messages after which a retry cannot succeed (connectors.md §3.1, from the connector's list). */
const NON_RETRYABLE = ['too many filtered rows', 'primary key size exceed the limit', 'only primary key table support partial update',
  'access denied', 'current running txns on db'];

export interface LoadResult {
  status: string;
  message: string;
  loadedRows: number;
  body: Record<string, unknown>;
}

function path(e: StarRocksEndpoint, tail: string): URL {
  return new URL(`/api/${encodeURIComponent(e.database)}/${tail}`, e.baseUrl);
}

async function call(e: StarRocksEndpoint, url: URL, method: 'GET' | 'POST' | 'PUT', headers: Record<string, string>, body: Uint8Array | undefined, signal?: AbortSignal): Promise<{ res: HttpResponse; json: Record<string, unknown> }> {
  const res = await httpRequest({
    url, method, sink: e.sink, signal, ...(e.wire !== undefined ? { wire: e.wire } : {}),
    headers: { Authorization: basicAuth(e.user, e.password), ...headers },
    ...(body !== undefined ? { body } : {}),
    expectContinue: method !== 'GET',
    maxRedirects: 3,
    connectTimeoutMs: e.connectTimeoutMs,
    continueTimeoutMs: e.continueTimeoutMs,
    requestTimeoutMs: e.requestTimeoutMs,
    ...(e.agent !== undefined ? { agent: e.agent } : {}),
    ...(e.tls !== undefined ? { tls: e.tls } : {}),
  });
  if (res.status === 401 || res.status === 403) {
    throw new ConnectorError('access denied', { sink: e.sink, failure: 'rejected', retryable: false, status: res.status, endpoint: res.url, serverMessage: res.body.toString('utf8').slice(0, 300) });
  }
  if (res.status !== 200) {
    throw new ConnectorError(`unexpected HTTP ${res.status}`, { sink: e.sink, failure: res.status >= 500 ? 'transport' : 'rejected', retryable: res.status >= 500 || res.status === 429, status: res.status, endpoint: res.url, serverMessage: res.body.toString('utf8').slice(0, 300) });
  }
  const json = parseJsonBody(res, e.sink);
  if (json === null || typeof json !== 'object') {
    throw new ConnectorError('response is not a JSON object', { sink: e.sink, failure: 'protocol', retryable: false, endpoint: res.url });
  }
  return { res, json: json as Record<string, unknown> };
}

function failure(e: StarRocksEndpoint, res: HttpResponse, json: Record<string, unknown>, what: string): ConnectorError {
  const status = String(json.Status ?? json.status ?? 'missing');
  const message = String(json.Message ?? json.message ?? '');
  const lower = message.toLowerCase();
  const known = status === 'Fail' || status === 'FAILED' || status === 'INTERNAL_ERROR' || status === 'TXN_IN_PROCESSING' || status === 'PUBLISH_TIMEOUT';
  const retryable = known && !NON_RETRYABLE.some((m) => lower.includes(m));
  const errorUrl = typeof json.ErrorURL === 'string' ? ` (rejected rows: ${json.ErrorURL})` : '';
  return new ConnectorError(`${what} failed`, { sink: e.sink, failure: known ? 'rejected' : 'protocol', retryable, status, serverMessage: message + errorUrl, endpoint: res.url });
}

/** GET /api/{db}/get_load_state?label=... */
export async function getLabelState(e: StarRocksEndpoint, label: string, signal?: AbortSignal): Promise<LabelState> {
  const url = path(e, 'get_load_state');
  url.searchParams.set('label', label);
  const { res, json } = await call(e, url, 'GET', {}, undefined, signal);
  const state = json.state;
  const ok = String(json.status ?? json.Status ?? '').toUpperCase() === 'OK';
  if (!ok || typeof state !== 'string' || !['UNKNOWN', 'PREPARE', 'PREPARED', 'COMMITTED', 'VISIBLE', 'ABORTED'].includes(state)) {
    throw new ConnectorError('label state query failed', { sink: e.sink, failure: 'protocol', retryable: true, serverMessage: String(json.message ?? json.msg ?? ''), endpoint: res.url });
  }
  return state as LabelState;
}

/**
 * Waits while a label is still in flight (PREPARE/UNKNOWN right after a load) and returns its
 * settled state; gives up after `maxWaitMs` and returns the last state seen.
 */
export async function awaitLabelState(e: StarRocksEndpoint, label: string, maxWaitMs: number, signal?: AbortSignal): Promise<LabelState> {
  const end = performance.now() + maxWaitMs;
  for (let i = 0; ; i++) {
    const s = await getLabelState(e, label, signal);
    if (s === 'VISIBLE' || s === 'COMMITTED' || s === 'ABORTED' || s === 'PREPARED' || performance.now() >= end) return s;
    await sleep(Math.min(1000, 50 * 2 ** i), signal);
  }
}

/**
 * One plain Stream Load under `label`. Resolves when the rows are committed — including the case
 * where an earlier attempt with the same label already committed them — and throws otherwise.
 */
export async function streamLoad(e: StarRocksEndpoint, label: string, headers: Record<string, string>, body: Uint8Array, labelWaitMs: number, signal?: AbortSignal): Promise<LoadResult> {
  const url = path(e, `${encodeURIComponent(e.table)}/_stream_load`);
  const { res, json } = await call(e, url, 'PUT', { ...headers, label }, body, signal);
  const status = String(json.Status ?? '');
  const result: LoadResult = { status, message: String(json.Message ?? ''), loadedRows: Number(json.NumberLoadedRows ?? 0), body: json };
  if (status === 'Success' || status === 'Publish Timeout') return result;
  if (status === 'Label Already Exists') {
    if (json.ExistingJobStatus === 'FINISHED') return result;
    // Our own label from an earlier attempt whose answer was lost: its fate decides.
    const state = await awaitLabelState(e, label, labelWaitMs, signal);
    if (state === 'VISIBLE' || state === 'COMMITTED') return result;
    throw new ConnectorError(`label ${label} exists in state ${state}`, {
      sink: e.sink, failure: 'rejected', retryable: state === 'ABORTED' || state === 'PREPARE' || state === 'UNKNOWN', status, serverMessage: result.message, endpoint: res.url,
    });
  }
  throw failure(e, res, json, 'stream load');
}

export type TxnOp = 'begin' | 'load' | 'prepare' | 'commit' | 'rollback';

/** One transaction call; returns the parsed response (the caller interprets non-OK statuses). */
export async function transactionCall(e: StarRocksEndpoint, op: TxnOp, label: string, headers: Record<string, string>, body: Uint8Array | undefined, signal?: AbortSignal): Promise<{ status: string; message: string; json: Record<string, unknown>; url: string }> {
  const url = new URL(`/api/transaction/${op}`, e.baseUrl);
  const { res, json } = await call(e, url, op === 'load' ? 'PUT' : 'POST', { label, db: e.database, table: e.table, ...headers }, op === 'load' ? body : new Uint8Array(0), signal);
  return { status: String(json.Status ?? 'missing'), message: String(json.Message ?? ''), json, url: res.url };
}

export function txnFailure(e: StarRocksEndpoint, op: TxnOp, r: { status: string; message: string; url: string }, retryable: boolean): ConnectorError {
  return new ConnectorError(`transaction ${op} failed`, { sink: e.sink, failure: 'rejected', retryable, status: r.status, serverMessage: r.message, endpoint: r.url });
}

export function endpointText(e: StarRocksEndpoint): string {
  return displayUrl(e.baseUrl);
}
