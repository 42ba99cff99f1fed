/**
 * A ByteSource over HTTP(S) range requests, for browsers, Node and edge runtimes (only `fetch`).
 *
 * - The size comes from the first request, a suffix range (`bytes=-N`) that also brings the footer and
 *   usually the whole index; a HEAD request is the fallback when `Content-Range` is not readable.
 *   Pre-signed object-store URLs work: only GET (and that fallback HEAD) with a `Range` header is sent.
 * - Files of at most `wholeFileBytes` are fetched whole, in at most two requests.
 * - `prefetch(ranges)` takes the reader's plan (chunk extents from the index and statistics) and
 *   coalesces adjacent or nearby ranges into one GET each, up to `maxRequestBytes`.
 * - Recently fetched blocks are kept in a small cache (`cacheBytes`), so the probe of a chunk header
 *   and the chunk's data, or repeated index reads, do not cost a request each.
 * - Transient failures (network errors, 408, 429, 5xx) are retried with backoff; a server that
 *   answers a range request with the whole body (200) is refused with a clear message.
 * - A file that changes while it is read (another ETag or size) is refused rather than mixed.
 */
import { checkRange, type ByteSource } from './byte-source.js';
import { AbortError, ErrorCode, TsFileError } from './errors.js';

/** The part of a fetch Response the source uses. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body?: { cancel(reason?: unknown): Promise<void> } | null;
}

/** The part of `fetch` the source uses (the global one by default). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; signal?: AbortSignal }) => Promise<FetchResponse>;

export interface HttpSourceOptions {
  /** Extra request headers (authorization, …); sent with every request. */
  headers?: Record<string, string>;
  /** The fetch implementation (default: the global `fetch`). */
  fetch?: FetchLike;
  /** Aborts every pending and later request. */
  signal?: AbortSignal;
  /** Bytes of the first (suffix) request (default 32 KiB). */
  tailBytes?: number;
  /** Files of at most this size are fetched whole (default 1 MiB). */
  wholeFileBytes?: number;
  /** Ranges closer than this are fetched in one request (default 64 KiB). */
  coalesceGap?: number;
  /** Largest request `prefetch` makes (default 8 MiB). */
  maxRequestBytes?: number;
  /** Bytes of fetched blocks kept for later reads (default 16 MiB). */
  cacheBytes?: number;
  /** Retries of a transient failure (default 3). */
  retries?: number;
  /** First retry delay in milliseconds, doubled per retry (default 200). */
  retryDelayMs?: number;
  /** Label for error messages (default: the URL without its query string, which may hold a signature). */
  name?: string;
}

/** Requests and bytes a source has fetched. */
export interface HttpStats {
  requests: number;
  bytes: number;
}

interface Block {
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
  /** Resolved length known (for cache accounting). */
  size: number;
}

const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

export class HttpSource implements ByteSource {
  readonly stats: HttpStats = { requests: 0, bytes: 0 };
  private blocks: Block[] = [];
  private cached = 0;
  private whole: Uint8Array | undefined;
  private closed = false;

  private constructor(
    readonly url: string,
    readonly byteLength: number,
    readonly name: string,
    private readonly opts: Required<Omit<HttpSourceOptions, 'signal' | 'name' | 'headers'>> & Pick<HttpSourceOptions, 'signal'> & { headers: Record<string, string> },
    private readonly etag: string | null,
  ) {}

  /** Opens `url`: one suffix request learns the size and keeps the file's tail (footer and index). */
  static async open(url: string, options: HttpSourceOptions = {}): Promise<HttpSource> {
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    const fetchFn = options.fetch ?? globalFetch?.bind(globalThis);
    if (fetchFn === undefined) throw new TsFileError(ErrorCode.UNSUPPORTED, 'no fetch function in this runtime; pass options.fetch', { file: url });
    const opts = {
      fetch: fetchFn,
      headers: options.headers ?? {},
      signal: options.signal,
      tailBytes: positive(options.tailBytes, 32 * 1024, 'tailBytes'),
      wholeFileBytes: positive(options.wholeFileBytes, 1024 * 1024, 'wholeFileBytes'),
      coalesceGap: positive(options.coalesceGap, 64 * 1024, 'coalesceGap', true),
      maxRequestBytes: positive(options.maxRequestBytes, 8 * 1024 * 1024, 'maxRequestBytes'),
      cacheBytes: positive(options.cacheBytes, 16 * 1024 * 1024, 'cacheBytes', true),
      retries: positive(options.retries, 3, 'retries', true),
      retryDelayMs: positive(options.retryDelayMs, 200, 'retryDelayMs', true),
    };
    const name = options.name ?? url.replace(/[?#].*$/, '');
    const probe = new Prober(url, name, opts);
    const first = await probe.request('GET', { Range: `bytes=-${opts.tailBytes}` });
    let size: number;
    let tail: Uint8Array;
    if (first.status === 200) {
      // The server ignored Range: acceptable only for a small file, which we then hold whole.
      const declared = Number(first.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > opts.wholeFileBytes) {
        await first.body?.cancel().catch(() => undefined);
        throw ignoresRange(name, declared);
      }
      tail = await probe.body(first, opts.wholeFileBytes);
      size = tail.length;
      const src = new HttpSource(url, size, name, opts, first.headers.get('etag'));
      src.stats.requests = probe.requests;
      src.stats.bytes = tail.length;
      src.whole = tail;
      return src;
    }
    if (first.status === 416) {
      // An empty file has no suffix to return.
      await first.body?.cancel().catch(() => undefined);
      size = await probe.head();
      tail = new Uint8Array(0);
    } else {
      if (first.status !== 206) throw await probe.statusError(first);
      const range = parseContentRange(first.headers.get('content-range'));
      tail = await probe.body(first, opts.tailBytes);
      size = range?.total ?? (await probe.head());
      if (range !== undefined && (range.end - range.start + 1 !== tail.length || range.end !== size - 1)) {
        throw new TsFileError(ErrorCode.IO, 'the server answered the suffix request with another range', { file: name, expected: `the last ${tail.length} bytes`, actual: `bytes ${range.start}-${range.end}/${size}` });
      }
      if (range === undefined && tail.length > size) throw new TsFileError(ErrorCode.IO, 'the server sent more bytes than the file holds', { file: name });
    }
    const src = new HttpSource(url, size, name, opts, first.headers.get('etag'));
    src.stats.requests = probe.requests;
    src.stats.bytes = tail.length;
    if (tail.length > 0) src.remember({ start: size - tail.length, end: size, bytes: Promise.resolve(tail), size: tail.length });
    if (size <= opts.wholeFileBytes && tail.length < size) {
      const head = await src.fetchRange(0, size - tail.length);
      const all = new Uint8Array(size);
      all.set(head, 0);
      all.set(tail, size - tail.length);
      src.whole = all;
    } else if (tail.length === size) {
      src.whole = tail;
    }
    return src;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this, offset, length);
    if (this.closed) throw new TsFileError(ErrorCode.CLOSED, 'source is closed', { file: this.name, offset });
    if (this.whole !== undefined) return this.whole.subarray(offset, offset + length);
    if (length === 0) return new Uint8Array(0);
    const hit = this.blocks.find((b) => b.start <= offset && offset + length <= b.end);
    if (hit !== undefined) {
      // Most recently used last.
      this.blocks.splice(this.blocks.indexOf(hit), 1);
      this.blocks.push(hit);
      const bytes = await hit.bytes;
      return bytes.subarray(offset - hit.start, offset - hit.start + length);
    }
    const block: Block = { start: offset, end: offset + length, bytes: this.fetchRange(offset, length), size: length };
    this.remember(block);
    return block.bytes;
  }

  /**
   * Announces ranges the reader will read soon: they are fetched now, nearby ones in one request
   * each, and kept until read (or pushed out of the cache by later blocks).
   */
  prefetch(ranges: ReadonlyArray<readonly [offset: number, length: number]>): void {
    if (this.whole !== undefined || this.closed) return;
    const wanted = ranges
      .map(([o, l]) => [Math.max(0, o), Math.min(this.byteLength, o + l)] as [number, number])
      .filter(([s, e]) => e > s && !this.blocks.some((b) => b.start <= s && e <= b.end))
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [s, e] of wanted) {
      const last = merged[merged.length - 1];
      if (last !== undefined && s - last[1] <= this.opts.coalesceGap && Math.max(e, last[1]) - last[0] <= this.opts.maxRequestBytes) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    for (const [s, e] of merged) {
      const block: Block = { start: s, end: e, bytes: this.fetchRange(s, e - s), size: e - s };
      // Marked handled: a failure surfaces when the range is read.
      block.bytes.catch(() => undefined);
      this.remember(block);
    }
  }

  close(): void {
    this.closed = true;
    this.blocks = [];
    this.cached = 0;
    this.whole = undefined;
  }

  private remember(block: Block): void {
    this.blocks.push(block);
    this.cached += block.size;
    // Evict least recently used blocks, but never the one just added.
    while (this.cached > this.opts.cacheBytes && this.blocks.length > 1) {
      const old = this.blocks.shift()!;
      this.cached -= old.size;
    }
    block.bytes.catch(() => {
      const i = this.blocks.indexOf(block);
      if (i >= 0) {
        this.blocks.splice(i, 1);
        this.cached -= block.size;
      }
    });
  }

  /** One range GET (with retries), checked to be exactly the bytes asked for. */
  private async fetchRange(offset: number, length: number): Promise<Uint8Array> {
    const probe = new Prober(this.url, this.name, this.opts);
    const end = offset + length - 1;
    try {
      const res = await probe.request('GET', { Range: `bytes=${offset}-${end}` });
      if (res.status === 200) {
        await res.body?.cancel().catch(() => undefined);
        throw ignoresRange(this.name, this.byteLength);
      }
      if (res.status !== 206) throw await probe.statusError(res, offset);
      const etag = res.headers.get('etag');
      const range = parseContentRange(res.headers.get('content-range'));
      if ((this.etag !== null && etag !== null && etag !== this.etag) || (range?.total !== undefined && range.total !== this.byteLength)) {
        await res.body?.cancel().catch(() => undefined);
        throw new TsFileError(ErrorCode.IO, 'the remote file changed while it was read', { file: this.name, offset, expected: `ETag ${this.etag ?? '?'}, ${this.byteLength} bytes`, actual: `ETag ${etag ?? '?'}, ${range?.total ?? '?'} bytes` });
      }
      if (range !== undefined && (range.start !== offset || range.end !== end)) {
        await res.body?.cancel().catch(() => undefined);
        throw new TsFileError(ErrorCode.IO, 'the server answered with another range', { file: this.name, offset, expected: `bytes ${offset}-${end}`, actual: `bytes ${range.start}-${range.end}` });
      }
      const bytes = await probe.body(res, length);
      if (bytes.length !== length) {
        throw new TsFileError(ErrorCode.IO, 'the server sent a short range', { file: this.name, offset, expected: `${length} bytes`, actual: `${bytes.length} bytes` });
      }
      return bytes;
    } finally {
      this.stats.requests += probe.requests;
      this.stats.bytes += probe.bytes;
    }
  }
}

/** One logical request with its retries; counts what it sent and received. */
class Prober {
  requests = 0;
  bytes = 0;
  constructor(
    private readonly url: string,
    private readonly name: string,
    private readonly opts: { fetch: FetchLike; headers: Record<string, string>; signal?: AbortSignal | undefined; retries: number; retryDelayMs: number },
  ) {}

  async request(method: string, headers: Record<string, string>): Promise<FetchResponse> {
    for (let attempt = 0; ; attempt++) {
      aborted(this.opts.signal);
      let res: FetchResponse | undefined;
      let failure: unknown;
      this.requests++;
      try {
        const init: { method: string; headers: Record<string, string>; signal?: AbortSignal } = { method, headers: { ...this.opts.headers, ...headers } };
        if (this.opts.signal !== undefined) init.signal = this.opts.signal;
        res = await this.opts.fetch(this.url, init);
      } catch (e) {
        aborted(this.opts.signal);
        failure = e;
      }
      if (res !== undefined && !TRANSIENT.has(res.status)) return res;
      if (attempt >= this.opts.retries) {
        if (res !== undefined) throw await this.statusError(res);
        throw new TsFileError(ErrorCode.IO, `request failed: ${(failure as Error)?.message ?? String(failure)}`, { file: this.name, cause: failure });
      }
      await res?.body?.cancel().catch(() => undefined);
      await sleep(this.opts.retryDelayMs * 2 ** attempt, this.opts.signal);
    }
  }

  /** The size from a HEAD request (when the suffix answer did not say). */
  async head(): Promise<number> {
    const res = await this.request('HEAD', {});
    if (res.status !== 200) throw await this.statusError(res);
    const n = Number(res.headers.get('content-length') ?? NaN);
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new TsFileError(ErrorCode.IO, 'cannot learn the file size: no readable Content-Range or Content-Length (a cross-origin server must expose Content-Range)', { file: this.name });
    }
    return n;
  }

  /** The body, refusing more than `limit` bytes when the length is declared. */
  async body(res: FetchResponse, limit: number): Promise<Uint8Array> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      await res.body?.cancel().catch(() => undefined);
      throw new TsFileError(ErrorCode.IO, 'the server sent more bytes than asked for', { file: this.name, expected: `at most ${limit} bytes`, actual: `${declared} bytes` });
    }
    let buf: ArrayBuffer;
    try {
      buf = await res.arrayBuffer();
    } catch (e) {
      aborted(this.opts.signal);
      throw new TsFileError(ErrorCode.IO, `reading the response failed: ${(e as Error).message}`, { file: this.name, cause: e });
    }
    this.bytes += buf.byteLength;
    if (buf.byteLength > limit) throw new TsFileError(ErrorCode.IO, 'the server sent more bytes than asked for', { file: this.name, expected: `at most ${limit} bytes`, actual: `${buf.byteLength} bytes` });
    return new Uint8Array(buf);
  }

  async statusError(res: FetchResponse, offset?: number): Promise<TsFileError> {
    await res.body?.cancel().catch(() => undefined);
    const code = res.status === 404 || res.status === 410 ? ErrorCode.NOT_FOUND : ErrorCode.IO;
    const hint = res.status === 403 ? ' (an expired pre-signed URL, or missing credentials?)' : '';
    return new TsFileError(code, `HTTP ${res.status}${hint}`, { file: this.name, offset, expected: '206 Partial Content' });
  }
}

function ignoresRange(name: string, size: number): TsFileError {
  return new TsFileError(ErrorCode.UNSUPPORTED, 'the server ignores Range requests (it answered 200 with the whole file)', {
    file: name,
    expected: '206 Partial Content',
    actual: `200 OK with ${size} bytes`,
  });
}

/** Parses `bytes start-end/total` (total may be `*`). */
export function parseContentRange(v: string | null): { start: number; end: number; total: number | undefined } | undefined {
  if (v === null) return undefined;
  const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(v);
  if (m === null) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

function positive(v: number | undefined, dflt: number, what: string, zeroOk = false): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v < (zeroOk ? 0 : 1)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${what} must be a ${zeroOk ? 'non-negative' : 'positive'} integer`, { actual: String(v) });
  return v;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortError(undefined, { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
