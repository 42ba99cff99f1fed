/**
 * The local server of `tsfile view` (Node only): serves the built viewer page and, for a local
 * file, that one file with HTTP range requests — on 127.0.0.1 only, read-only, nothing else.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { ErrorCode, TsFileError } from '../io/errors.js';

export interface ViewerServerOptions {
  /** A local TsFile to serve at /data/<name>. */
  file?: string;
  /** A remote TsFile the page opens itself (its server must allow CORS and Range). */
  url?: string;
  /** Folder of the built page (default: dist/viewer of this package). */
  assets?: string;
  /** Port (default 0: any free port). */
  port?: number;
}

export interface ViewerServer {
  /** The page's address, with the file to open in `?url=`. */
  pageUrl: string;
  port: number;
  close(): Promise<void>;
}

const ASSETS: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/viewer.js': 'viewer.js', '/viewer.css': 'viewer.css' };
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The built page's folder: dist/viewer beside this package's package.json. */
export function defaultViewerAssets(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist/viewer');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '../../viewer');
}

export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
  const assets = options.assets ?? defaultViewerAssets();
  if (!existsSync(join(assets, 'viewer.js'))) {
    throw new TsFileError(ErrorCode.NOT_FOUND, 'the viewer page is not built (run `npm run build`)', { file: join(assets, 'viewer.js') });
  }
  const file = options.file === undefined ? undefined : resolve(options.file);
  let size = 0;
  if (file !== undefined) {
    try {
      size = (await stat(file)).size;
    } catch (cause) {
      throw new TsFileError(ErrorCode.IO, `cannot open file: ${(cause as Error).message}`, { file: options.file, cause });
    }
  }
  const dataPath = file === undefined ? undefined : `/data/${encodeURIComponent(basename(file))}`;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    const asset = ASSETS[path];
    if (asset !== undefined) {
      const body = readFileSync(join(assets, asset));
      res.writeHead(200, { 'Content-Type': TYPES[asset.split('.').pop()!]!, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    if (file === undefined || path !== dataPath) return void res.writeHead(404).end();
    const base = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' };
    const range = req.headers.range;
    let start = 0;
    let end = size;
    let status = 200;
    if (range !== undefined) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (m === null || (m[1] === '' && m[2] === '')) return void res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      if (m[1] === '') start = Math.max(0, size - Number(m[2]));
      else {
        start = Number(m[1]);
        end = m[2] === '' ? size : Math.min(size, Number(m[2]) + 1);
      }
      if (start >= end) return void res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      status = 206;
    }
    const headers: Record<string, string | number> = { ...base, 'Content-Length': end - start };
    if (status === 206) headers['Content-Range'] = `bytes ${start}-${end - 1}/${size}`;
    if (req.method === 'HEAD') return void res.writeHead(status, headers).end();
    const buf = Buffer.alloc(end - start);
    const fh = await open(file, 'r');
    try {
      let done = 0;
      while (done < buf.length) {
        const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
    } finally {
      await fh.close();
    }
    res.writeHead(status, headers).end(buf);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  const target = dataPath ?? options.url;
  return {
    port,
    pageUrl: `http://127.0.0.1:${port}/${target === undefined ? '' : `?url=${encodeURIComponent(target)}`}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
