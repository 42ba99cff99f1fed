/**
 * The HTTP transport every REST adapter shares (connectors.md §3.1 Expect/redirect handshake,
 * §1.2 and §2.1 REST calls). Built on `node:http`/`node:https` because the StarRocks handshake needs
 * `Expect: 100-continue` and redirects that resend the Authorization header to another host, which
 * `fetch` does not do. Connect, 100-continue and whole-request timeouts; TLS for https URLs.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { ConnectorError } from './errors.js';
import type { WireCounter } from './metrics.js';

export interface HttpRequest {
  url: URL;
  method: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Send headers first, the body only after `100 Continue` (StarRocks Stream Load). */
  expectContinue?: boolean;
  /** Follow 307/308 this many times, resending every header (credentials included). */
  maxRedirects?: number;
  connectTimeoutMs?: number;
  continueTimeoutMs?: number;
  /** Whole request, from connect to the last response byte. */
  requestTimeoutMs?: number;
  /** Hard cap on response body size (responses are small JSON documents). */
  maxResponseBytes?: number;
  agent?: http.Agent;
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer };
  signal?: AbortSignal | undefined;
  /** Sink name used in errors. */
  sink: string;
  /** Counts every request sent (each redirect hop and retry) and its header + body bytes. */
  wire?: WireCounter;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that produced this response (after redirects), without credentials. */
  url: string;
  redirects: number;
}

/** The URL as text without user-info, safe for messages. */
export function displayUrl(u: URL): string {
  return `${u.protocol}//${u.host}${u.pathname}${u.search}`;
}

export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  let url = req.url;
  const max = req.maxRedirects ?? 0;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(req, url);
    if ((res.status === 307 || res.status === 308) && req.maxRedirects !== undefined) {
      const loc = res.headers.location;
      if (hop >= max || loc === undefined) {
        throw new ConnectorError(loc === undefined ? 'redirect without Location' : `still redirected after ${max} redirects`, {
          sink: req.sink, failure: 'protocol', retryable: false, status: res.status, endpoint: displayUrl(url),
        });
      }
      url = new URL(loc, url);
      continue;
    }
    return { ...res, redirects: hop };
  }
}

function requestOnce(req: HttpRequest, url: URL): Promise<Omit<HttpResponse, 'redirects'>> {
  const endpoint = displayUrl(url);
  const transportError = (message: string, cause?: unknown): ConnectorError =>
    new ConnectorError(message, { sink: req.sink, failure: 'transport', retryable: true, endpoint, cause });
  return new Promise((resolve, reject) => {
    const body = req.body;
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    if (req.expectContinue === true) headers.Expect = '100-continue';
    const isHttps = url.protocol === 'https:';
    const options: https.RequestOptions = {
      method: req.method,
      host: url.hostname,
      port: url.port === '' ? (isHttps ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: req.agent ?? false,
      ...(isHttps && req.tls !== undefined ? req.tls : {}),
    };
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | null, value?: Omit<HttpResponse, 'redirects'>): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      req.signal?.removeEventListener('abort', onAbort);
      if (err !== null) { r.destroy(); reject(err); } else resolve(value!);
    };
    const r = (isHttps ? https : http).request(options);
    if (req.wire !== undefined) {
      req.wire.requests++;
      let headerBytes = 0;
      for (const [k, v] of Object.entries(headers)) headerBytes += k.length + v.length + 4;
      req.wire.bytesSent += headerBytes + options.path!.length + 16 + (body?.length ?? 0);
    }
    const onAbort = (): void => finish(new ConnectorError('aborted', { sink: req.sink, failure: 'transport', retryable: false, endpoint }));
    if (req.signal?.aborted) { queueMicrotask(onAbort); } else req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.requestTimeoutMs !== undefined) {
      timers.push(setTimeout(() => finish(transportError(`no complete response within ${req.requestTimeoutMs} ms`)), req.requestTimeoutMs));
    }
    r.on('socket', (s) => {
      if (req.connectTimeoutMs === undefined || !s.connecting) return;
      const t = setTimeout(() => finish(transportError(`connect timeout after ${req.connectTimeoutMs} ms`)), req.connectTimeoutMs);
      timers.push(t);
      s.once(isHttps ? 'secureConnect' : 'connect', () => clearTimeout(t));
    });
    r.on('error', (e) => finish(transportError(`request failed: ${e.message}`, e)));
    let bodySent = false;
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const cap = req.maxResponseBytes ?? 16 * 1024 * 1024;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > cap) {
          finish(new ConnectorError(`response larger than ${cap} bytes`, { sink: req.sink, failure: 'protocol', retryable: false, endpoint }));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => finish(transportError(`response failed: ${e.message}`, e)));
      res.on('aborted', () => finish(transportError('response aborted')));
      res.on('end', () => {
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: endpoint });
        // A final answer before 100 Continue leaves the request half-written: drop the socket.
        if (!bodySent && body !== undefined) r.destroy();
      });
    });
    if (req.expectContinue === true && body !== undefined) {
      if (req.continueTimeoutMs !== undefined) {
        const t = setTimeout(() => { if (!bodySent) finish(transportError(`no 100 Continue within ${req.continueTimeoutMs} ms`)); }, req.continueTimeoutMs);
        timers.push(t);
      }
      r.on('continue', () => { bodySent = true; r.end(body); });
      r.flushHeaders();
    } else {
      bodySent = true;
      r.end(body);
    }
  });
}

/** Basic authorization header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Parses a JSON response body, or throws a protocol ConnectorError quoting the start of it. */
export function parseJsonBody(res: HttpResponse, sink: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch (e) {
    throw new ConnectorError('response is not JSON', {
      sink, failure: 'protocol', retryable: res.status >= 500, status: res.status,
      serverMessage: res.body.toString('utf8').slice(0, 200), endpoint: res.url, cause: e,
    });
  }
}
