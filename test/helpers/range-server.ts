/**
 * A loopback HTTP file server for tests of remote reads: single byte ranges (`a-b`, `a-`, `-n`),
 * HEAD, CORS headers, and a log of every request with the bytes it sent. Faults on demand: ignore
 * Range, fail the first requests with 503, refuse HEAD (as pre-signed object-store URLs do), require
 * a query token, change the ETag after some requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { openSync, readSync, closeSync, statSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  path: string;
  range: string | undefined;
  status: number;
  bytes: number;
  /** [start, end) of the body sent, for range answers. */
  span?: [number, number];
}

export interface RangeServerOptions {
  /** URL path → file on disk. */
  files: Map<string, string>;
  /** Static files (path → file) served whole, without counting toward `log`. */
  statics?: Map<string, string>;
  ignoreRange?: boolean;
  /** Answer this many requests with 503 first. */
  failFirst?: number;
  refuseHead?: boolean;
  /** A query parameter `sig` must have this value (else 403), like a pre-signed URL. */
  token?: string;
  /** After this many requests the ETag changes (the file "was replaced"). */
  changeEtagAfter?: number;
}

export interface RangeServer {
  url(path: string): string;
  log: LoggedRequest[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.map': 'application/json' };

export async function startRangeServer(options: RangeServerOptions): Promise<RangeServer> {
  const log: LoggedRequest[] = [];
  let failures = options.failFirst ?? 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'Range, Authorization');
    res.setHeader('Access-Control-Expose-Headers', 'Content-Range, Content-Length, ETag');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const stat = options.statics?.get(u.pathname);
    if (stat !== undefined) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(stat)] ?? 'application/octet-stream' });
      return void res.end(readFileSync(stat));
    }
    const entry: LoggedRequest = { method: req.method ?? '?', path: u.pathname, range: req.headers.range, status: 0, bytes: 0 };
    log.push(entry);
    const send = (status: number, headers: Record<string, string | number>, body?: Uint8Array) => {
      entry.status = status;
      entry.bytes = body?.length ?? 0;
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (failures > 0) {
      failures--;
      return send(503, {});
    }
    if (options.token !== undefined && u.searchParams.get('sig') !== options.token) return send(403, {});
    const file = options.files.get(u.pathname);
    if (file === undefined) return send(404, {});
    if (req.method === 'HEAD' && options.refuseHead) return send(403, {});
    const size = statSync(file).size;
    const etag = `"v${options.changeEtagAfter !== undefined && log.length > options.changeEtagAfter ? 2 : 1}-${size}"`;
    const base = { 'Accept-Ranges': 'bytes', ETag: etag, 'Content-Type': 'application/octet-stream' };
    if (req.method === 'HEAD') return send(200, { ...base, 'Content-Length': size });
    const range = req.headers.range;
    const read = (start: number, end: number) => {
      const buf = new Uint8Array(end - start);
      const fd = openSync(file, 'r');
      try {
        let done = 0;
        while (done < buf.length) done += readSync(fd, buf, done, buf.length - done, start + done);
      } finally {
        closeSync(fd);
      }
      return buf;
    };
    if (range === undefined || options.ignoreRange) return send(200, { ...base, 'Content-Length': size }, read(0, size));
    const m = /^bytes=(\d*)-(\d*)$/.exec(range);
    if (m === null || (m[1] === '' && m[2] === '')) return send(416, { 'Content-Range': `bytes */${size}` });
    let start: number;
    let end: number;
    if (m[1] === '') {
      start = Math.max(0, size - Number(m[2]));
      end = size;
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
    }
    if (start >= size || start >= end) return send(416, { 'Content-Range': `bytes */${size}` });
    entry.span = [start, end];
    send(206, { ...base, 'Content-Length': end - start, 'Content-Range': `bytes ${start}-${end - 1}/${size}` }, read(start, end));
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
