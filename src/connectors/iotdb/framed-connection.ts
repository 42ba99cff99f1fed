/**
 * A framed Thrift connection (connectors.md §1.3 "Transport: framed"): every message is preceded by
 * its 4-byte big-endian length. One call at a time per connection, as IoTDB binds a session to its
 * connection. Connect and per-call timeouts; TLS when asked; frames larger than `maxFrameBytes`
 * are refused before they are buffered.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { ByteBuffer } from '../core/byte-buffer.js';
import { ConnectorError } from '../core/errors.js';
import type { WireCounter } from '../core/metrics.js';
import { decodeMessage, encodeMessage, MessageType, text, type TField, type ThriftMessage, type ThriftProtocol } from './thrift.js';

export interface ConnectionOptions {
  host: string;
  port: number;
  protocol: ThriftProtocol;
  tls?: boolean | tls.ConnectionOptions;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Largest response frame accepted (default 64 MiB, the Java client's default). */
  maxFrameBytes?: number;
  sink: string;
  /** Counts every call sent and its frame bytes. */
  wire?: WireCounter;
}

export class FramedConnection {
  private socket: net.Socket | undefined;
  private seq = 0;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private waiter: { resolve: (m: Buffer) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  readonly endpoint: string;

  constructor(readonly opts: ConnectionOptions) {
    this.endpoint = `${opts.tls ? 'iotdbs' : 'iotdb'}://${opts.host}:${opts.port}`;
  }

  private error(message: string, cause?: unknown, retryable = true): ConnectorError {
    return new ConnectorError(message, { sink: this.opts.sink, failure: 'transport', retryable, endpoint: this.endpoint, cause });
  }

  async connect(): Promise<void> {
    const o = this.opts;
    await new Promise<void>((resolve, reject) => {
      const tlsOpts = typeof o.tls === 'object' ? o.tls : {};
      const s = o.tls ? tls.connect({ host: o.host, port: o.port, servername: o.host, ...tlsOpts }) : net.connect({ host: o.host, port: o.port });
      const timer = setTimeout(() => { s.destroy(); reject(this.error(`connect timeout after ${o.connectTimeoutMs} ms`)); }, o.connectTimeoutMs);
      s.once(o.tls ? 'secureConnect' : 'connect', () => { clearTimeout(timer); s.setNoDelay(true); resolve(); });
      s.once('error', (e) => { clearTimeout(timer); reject(this.error(`connect failed: ${e.message}`, e)); });
      this.socket = s;
    });
    const s = this.socket!;
    s.on('data', (d: Buffer) => this.onData(d));
    s.on('error', (e) => this.fail(this.error(`connection error: ${e.message}`, e)));
    s.on('close', () => this.fail(this.error('connection closed by the server')));
  }

  get open(): boolean { return this.socket !== undefined && !this.socket.destroyed && this.failure === undefined; }

  private fail(e: Error): void {
    if (this.failure === undefined) this.failure = e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  private onData(d: Buffer): void {
    this.buffered.push(d);
    this.bufferedBytes += d.length;
    if (this.bufferedBytes < 4) return;
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    this.buffered = [all];
    const n = all.readInt32BE(0);
    const max = this.opts.maxFrameBytes ?? 64 * 1024 * 1024;
    if (n < 0 || n > max) {
      this.fail(this.error(`response frame of ${n} bytes exceeds ${max}`, undefined, false));
      this.socket?.destroy();
      return;
    }
    if (all.length < 4 + n) return;
    if (all.length > 4 + n) {
      this.fail(this.error('server sent bytes after the reply', undefined, false));
      this.socket?.destroy();
      return;
    }
    this.buffered = [];
    this.bufferedBytes = 0;
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve(all.subarray(4));
  }

  /** Sends one CALL and returns the decoded REPLY body (field 0 = result). */
  async call(method: string, args: TField[]): Promise<ThriftMessage> {
    if (this.failure !== undefined) throw this.failure;
    const s = this.socket;
    if (s === undefined || s.destroyed) throw this.error('not connected');
    const seqid = ++this.seq;
    const out = new ByteBuffer(256);
    out.int32BE(0);
    encodeMessage(this.opts.protocol, method, MessageType.CALL, seqid, args, out);
    const frame = out.contents();
    new DataView(frame.buffer, frame.byteOffset, 4).setInt32(0, frame.length - 4);
    const reply = new Promise<Buffer>((resolve, reject) => { this.waiter = { resolve, reject }; });
    const timer = setTimeout(() => {
      this.fail(this.error(`${method}: no reply within ${this.opts.requestTimeoutMs} ms`));
      s.destroy();
    }, this.opts.requestTimeoutMs);
    try {
      s.write(frame);
      if (this.opts.wire !== undefined) { this.opts.wire.requests++; this.opts.wire.bytesSent += frame.length; }
      const payload = await reply;
      let m: ThriftMessage;
      try { m = decodeMessage(this.opts.protocol, payload); } catch (e) {
        throw new ConnectorError(`${method}: undecodable reply`, { sink: this.opts.sink, failure: 'protocol', retryable: false, endpoint: this.endpoint, cause: e });
      }
      if (m.type === MessageType.EXCEPTION) {
        throw new ConnectorError(`${method}: server exception`, { sink: this.opts.sink, failure: 'rejected', retryable: false, endpoint: this.endpoint, serverMessage: text(m.body, 1) ?? '' });
      }
      if (m.type !== MessageType.REPLY || m.seqid !== seqid || m.name !== method) {
        throw new ConnectorError(`${method}: unexpected reply ${m.name}/${m.type}/${m.seqid}`, { sink: this.opts.sink, failure: 'protocol', retryable: false, endpoint: this.endpoint });
      }
      return m;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.failure ??= this.error('closed', undefined, false);
    this.socket?.destroy();
  }
}
