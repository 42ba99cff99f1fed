/**
 * The pure codecs of tsfile-format.md §11 — TypeScript and WebAssembly only, no Node built-ins and
 * no addons — and `pureCodecs()`, the table the codec registry starts from (and what browsers and
 * edge runtimes use). Each codec reads and writes exactly the stream format the Java writer uses:
 *
 * | code | decode                       | encode                                          |
 * |------|------------------------------|-------------------------------------------------|
 * | 0    | the bytes as they are        | the bytes as they are                           |
 * | 1    | raw Snappy block (ours)      | raw Snappy block (ours)                         |
 * | 2    | gzip member (fflate + CRC)   | gzip member (fflate, level 6)                   |
 * | 7    | raw LZ4 block (ours)         | raw LZ4 block (ours)                            |
 * | 8    | zstd frames (zstd WASM)      | one zstd frame with content size (zstd WASM)    |
 * | 9    | .xz stream (xz-embedded WASM)| .xz stream of LZMA2 uncompressed chunks (ours)  |
 *
 * The zstd and xz libraries are imported with their first page, so a process that meets none pays
 * nothing for them at start-up.
 */
import { Compression } from '../format/codes.js';
import type { Codec } from './types.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { asDecompressionError, corruptStream } from './codec-error.js';
import { decodeGzipMember, encodeGzipMember } from './gzip-member.js';
import { decodeLz4Block, encodeLz4Block } from './lz4-block.js';
import { decodeSnappyRaw, encodeSnappyRaw } from './snappy-raw.js';
import { encodeXzStored, xzDeclaredSize } from './xz-container.js';
import { ZSTD_WASM_BASE64 } from './zstd-wasm-bytes.js';
import { MAX_UNDECLARED_WINDOW, inspectZstdFrames, type ZstdFrameSpan } from './zstd-frame.js';

/** Level the pure ZSTD encoder uses unless told otherwise (zstd's own default). */
export const DEFAULT_ZSTD_LEVEL = 3;

export const uncompressedCodec: Codec = {
  compression: Compression.UNCOMPRESSED,
  kind: 'pure',
  decompress(src, uncompressedSize) {
    if (src.length !== uncompressedSize) {
      throw corruptStream('uncompressed page', 'compressed and uncompressed sizes differ', undefined, `${uncompressedSize} bytes`, `${src.length} bytes`);
    }
    return src;
  },
  // A copy, so a writer may reuse its page buffer once the body is handed over.
  compress: (src) => src.slice(),
};

export const snappyPureCodec: Codec = {
  compression: Compression.SNAPPY,
  kind: 'pure',
  decompress: decodeSnappyRaw,
  compress: encodeSnappyRaw,
};

export const gzipPureCodec: Codec = {
  compression: Compression.GZIP,
  kind: 'pure',
  decompress: decodeGzipMember,
  compress: encodeGzipMember,
};

export const lz4PureCodec: Codec = {
  compression: Compression.LZ4,
  kind: 'pure',
  decompress: decodeLz4Block,
  compress: encodeLz4Block,
};

/**
 * Decodes zstd frames with the reference zstd library (WebAssembly), frame by frame, each into a
 * buffer no larger than what the page header still expects, after checking from the frame headers
 * alone that they declare `uncompressedSize` (or, for frames that do not declare a size, a window
 * of at most 128 MiB). The reference decoder validates every table and offset, so a corrupt frame
 * is refused in time proportional to its size (a pure-JS decoder was seen to spin on some).
 * Returns a promise only until the module has loaded in this realm.
 */
export function decodeZstdFrames(src: Uint8Array, uncompressedSize: number): Uint8Array | Promise<Uint8Array> {
  const spans: ZstdFrameSpan[] = [];
  const info = inspectZstdFrames(src, spans);
  if (info.declaredSize !== undefined && info.declaredSize !== uncompressedSize) {
    throw corruptStream('Zstandard frame', 'declared content size disagrees with the page header', 0, `${uncompressedSize} bytes`, `${info.declaredSize} bytes`);
  }
  if (info.largestUndeclaredWindow > MAX_UNDECLARED_WINDOW) {
    throw corruptStream('Zstandard frame', 'window too large for a frame without a content size', 0, `at most ${MAX_UNDECLARED_WINDOW} bytes`, `${info.largestUndeclaredWindow} bytes`);
  }
  if (zstdWasmReady) return decodeSpans(src, spans, uncompressedSize);
  return loadZstdWasm().then(() => decodeSpans(src, spans, uncompressedSize));
}

/** zstd's error codes of interest (zstd_errors.h), as the WebAssembly build reports them. */
const ZSTD_DST_SIZE_TOO_SMALL = 70;

/** The library throws "… with code -N": name the one that means "more output than expected". */
function zstdError(e: unknown, at: number, uncompressedSize: number): Error {
  const code = /code (-?\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
  if (code !== undefined && Math.abs(Number(code)) === ZSTD_DST_SIZE_TOO_SMALL) {
    return corruptStream('Zstandard frame', 'frames decode to the wrong size', at, `${uncompressedSize} bytes`, 'more');
  }
  return corruptStream('Zstandard frame', `the decoder rejected the stream (zstd error ${code ?? String(e)})`, at);
}

function decodeSpans(src: Uint8Array, spans: ZstdFrameSpan[], uncompressedSize: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const s of spans) {
    const room = uncompressedSize - total;
    if (s.size !== undefined && s.size > room) {
      throw corruptStream('Zstandard frame', 'frames declare more bytes than the page header', s.start, `${uncompressedSize} bytes`, `more than ${total + s.size} bytes`);
    }
    let part: Uint8Array;
    try {
      // The library sizes its output from the declared content size, or else from defaultHeapSize.
      part = zstd!.decompress(src.subarray(s.start, s.end), { defaultHeapSize: Math.max(1, room) });
    } catch (e) {
      throw zstdError(e, s.start, uncompressedSize);
    }
    if (part.length > room) throw corruptStream('Zstandard frame', 'frames decode to the wrong size', s.start, `${uncompressedSize} bytes`, `more than ${total + part.length} bytes`);
    parts.push(part);
    total += part.length;
  }
  if (total !== uncompressedSize) {
    throw corruptStream('Zstandard frame', 'frames decode to the wrong size', undefined, `${uncompressedSize} bytes`, `${total} bytes`);
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

type ZstdLibrary = typeof import('@bokuweb/zstd-wasm');
/** The zstd library once its module is instantiated in this realm. */
let zstd: ZstdLibrary | undefined;
let zstdWasmReady = false;
let zstdWasmLoading: Promise<void> | undefined;

/**
 * Instantiates the zstd WebAssembly module once per realm (worker), when the first ZSTD page is
 * decoded or encoded, and remembers failure. Its bytes come with our code (base64), so a bundle
 * needs no asset configuration; the Node build of the library reads its own copy instead.
 */
export function loadZstdWasm(): Promise<void> {
  zstdWasmLoading ??= (async () => {
    try {
      const lib = await import('@bokuweb/zstd-wasm');
      await (lib.init as (wasm?: Uint8Array) => Promise<void>)(base64Bytes(ZSTD_WASM_BASE64));
      zstd = lib;
      zstdWasmReady = true;
    } catch (e) {
      throw new TsFileError(ErrorCode.UNSUPPORTED, 'the ZSTD codec (WebAssembly) could not be loaded', { cause: e });
    }
  })();
  return zstdWasmLoading;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The pure ZSTD codec. Encoding runs the reference zstd library compiled to WebAssembly, which
 * writes one frame with the content size, as zstd-jni does; the module is loaded on the first
 * `compress` call, which therefore returns a promise (later calls return bytes directly).
 */
export function createZstdPureCodec(level = DEFAULT_ZSTD_LEVEL): Codec {
  const encode = (src: Uint8Array): Uint8Array => zstd!.compress(src, level);
  return {
    compression: Compression.ZSTD,
    kind: 'pure',
    decompress: decodeZstdFrames,
    compress: (src) => (zstdWasmReady ? encode(src) : loadZstdWasm().then(() => encode(src))),
  };
}

/**
 * Decodes .xz streams with xz-embedded (WebAssembly, streaming) after checking that their indexes
 * declare `uncompressedSize`; output beyond that size stops the decoder.
 */
export async function decodeXzStreams(src: Uint8Array, uncompressedSize: number): Promise<Uint8Array> {
  const declared = xzDeclaredSize(src);
  if (declared !== uncompressedSize) {
    throw corruptStream('.xz stream', 'index declares a size other than the page header', undefined, `${uncompressedSize} bytes`, `${declared} bytes`);
  }
  const out = new Uint8Array(uncompressedSize);
  let op = 0;
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(src);
      controller.close();
    },
  });
  try {
    const { default: xzDecompress } = await import('xz-decompress');
    const reader = new xzDecompress.XzReadableStream(input).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length > uncompressedSize - op) {
        await reader.cancel();
        throw corruptStream('.xz stream', 'decodes to more bytes than its index declares', undefined, `${uncompressedSize} bytes`, `more than ${op + value.length} bytes`);
      }
      out.set(value, op);
      op += value.length;
    }
  } catch (e) {
    throw asDecompressionError('.xz stream', e);
  }
  if (op !== uncompressedSize) {
    throw corruptStream('.xz stream', 'decodes to the wrong size', undefined, `${uncompressedSize} bytes`, `${op} bytes`);
  }
  return out;
}

export const lzma2PureCodec: Codec = {
  compression: Compression.LZMA2,
  kind: 'pure',
  decompress: decodeXzStreams,
  compress: encodeXzStored,
};

/** A fresh list of every pure codec: the initial contents of the codec registry. */
export function pureCodecs(): Codec[] {
  return [uncompressedCodec, snappyPureCodec, gzipPureCodec, lz4PureCodec, createZstdPureCodec(), lzma2PureCodec];
}
