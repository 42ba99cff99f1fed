/**
 * Helpers shared by the strict protocol test servers: loopback listening on port 0, a lifetime
 * bound so a forgotten server never keeps the test process alive, Basic auth parsing, body reading.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as net from 'node:net';

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0 and closes itself after `lifetimeMs` (default 60 s). */
export async function listen(server: net.Server, lifetimeMs = 60_000): Promise<Listening> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const timer = setTimeout(() => { void close(); }, lifetimeMs);
  timer.unref();
  return { port, url: `http://127.0.0.1:${port}`, close };
}

/** Decodes `Authorization: Basic ...` into user and password, or explains why not. */
export function parseBasic(header: string | undefined): { user: string; password: string } | 'missing' | 'malformed' | 'other-scheme' {
  if (header === undefined || header === '') return 'missing';
  if (!header.startsWith('Basic ')) return 'other-scheme';
  const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const parts = text.split(':');
  if (parts.length !== 2) return 'malformed';
  return { user: parts[0]!, password: parts[1]! };
}

/** Reads a request body up to `limit` bytes (rejects beyond it). */
export function readBody(req: http.IncomingMessage, limit = 256 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('aborted')));
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

/** A queue of one-shot faults keyed by where they fire. */
export class FaultQueue<F extends { at: string }> {
  private readonly items: F[] = [];
  push(...f: F[]): void { this.items.push(...f); }
  /** Removes and returns the first fault for `at` (that `accept` accepts), if any. */
  take(at: F['at'], accept: (f: F) => boolean = () => true): F | undefined {
    const i = this.items.findIndex((f) => f.at === at && accept(f));
    return i < 0 ? undefined : this.items.splice(i, 1)[0];
  }
  get size(): number { return this.items.length; }
}

/** A throw-away self-signed certificate for 127.0.0.1 (undefined when openssl is not installed). */
export function selfSignedCertificate(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'),
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore', timeout: 10_000 });
    return { key: readFileSync(path.join(dir, 'k.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'c.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
