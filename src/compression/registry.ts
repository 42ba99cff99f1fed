/**
 * The codec registry of tsfile-format.md §11: which implementation decompresses and compresses a
 * page body of each compression code. It starts with the pure codecs of `./pure-codecs.js` (so
 * browsers and edge runtimes work as they are); the Node entry point loads `./native.js`, which
 * registers faster native codecs where their addons load. Nothing here imports Node.
 *
 * Codes 3 (LZO) to 6 and 10 (AUTO) are defined by the format but never written by the Java
 * writer: they are UNSUPPORTED unless a codec for them is registered.
 */
import { pureCodecs } from './pure-codecs.js';
import { Compression, checkCompression, compressionName } from '../format/codes.js';
import { ErrorCode, TsFileError, isTsFileError } from '../io/errors.js';
import type { Codec } from './types.js';

/** Where a page body lives, for error messages. */
export interface CodecWhere {
  file?: string | undefined;
  offset?: number | undefined;
}

const pure = new Map<number, Codec>();
const native = new Map<number, Codec>();
/** Native codecs not loaded yet: each loader runs once, on the first page of its compression. */
const nativeLoaders = new Map<number, () => Codec | undefined>();
let preferred: 'native' | 'pure' = 'native';

for (const codec of pureCodecs()) pure.set(codec.compression, codec);

/**
 * Adds or replaces the codec of `codec.compression`: a 'native' codec takes precedence over the
 * pure one while native codecs are in use; a 'pure' codec replaces the pure one.
 */
export function registerCodec(codec: Codec): void {
  if (codec.kind === 'native') nativeLoaders.delete(codec.compression);
  (codec.kind === 'native' ? native : pure).set(codec.compression, codec);
}

/**
 * Registers a native codec that is built only when `getCodec` is first asked for `compression`
 * with native codecs in use (so an addon is opened only by a process that meets such a page).
 * A loader that returns undefined (the addon does not load here) leaves the pure codec in place.
 */
export function registerNativeCodecLoader(compression: Compression, load: () => Codec | undefined): void {
  if (!native.has(compression)) nativeLoaders.set(compression, load);
}

function nativeCodec(code: number): Codec | undefined {
  const load = nativeLoaders.get(code);
  if (load !== undefined) {
    nativeLoaders.delete(code);
    const codec = load();
    if (codec !== undefined) native.set(code, codec);
  }
  return native.get(code);
}

/**
 * Chooses the implementations `getCodec` hands out: 'native' (the default) uses a registered
 * native codec where there is one and the pure codec otherwise; 'pure' uses pure codecs only.
 */
export function useCodecs(kind: 'native' | 'pure'): void {
  if (kind !== 'native' && kind !== 'pure') {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'unknown codec kind', { expected: "'native' or 'pure'", actual: String(kind) });
  }
  preferred = kind;
}

/** The kind of codecs currently in use. */
export function codecsInUse(): 'native' | 'pure' {
  return preferred;
}

/**
 * The codec for a compression code. Unknown codes throw UNKNOWN_CODE; defined codes without a
 * codec (LZO, SDT, PAA, PLA, AUTO) throw UNSUPPORTED naming the code.
 */
export function getCodec(compression: Compression | number, where: CodecWhere = {}): Codec {
  const code = checkCompression(compression, where);
  const codec = (preferred === 'native' ? nativeCodec(code) : undefined) ?? pure.get(code);
  if (codec === undefined) {
    throw new TsFileError(ErrorCode.UNSUPPORTED, `compression ${compressionName(code)} (code ${code}) is not supported`, {
      ...where,
      expected: 'UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD or LZMA2',
      actual: `${compressionName(code)} (${code})`,
    });
  }
  return codec;
}

/**
 * Decompresses one page body with `codec` to exactly `uncompressedSize` bytes. Whatever the
 * codec or its library throws becomes TsFileError(DECOMPRESSION_FAILED) naming the file and the
 * body's offset; a result of another length is refused. Returns a promise only when the codec
 * does (xz). The result may be a view into a larger buffer.
 */
export function decompressPage(codec: Codec, src: Uint8Array, uncompressedSize: number, where: CodecWhere = {}): Uint8Array | Promise<Uint8Array> {
  if (!Number.isSafeInteger(uncompressedSize) || uncompressedSize < 0) {
    throw failure(codec, where, 'invalid uncompressed size', undefined, 'a non-negative integer', String(uncompressedSize));
  }
  let result: Uint8Array | Promise<Uint8Array>;
  try {
    result = codec.decompress(src, uncompressedSize);
  } catch (e) {
    throw rethrow(codec, where, e);
  }
  if (result instanceof Uint8Array) return checkLength(codec, where, result, uncompressedSize);
  return result.then(
    (bytes) => checkLength(codec, where, bytes, uncompressedSize),
    (e: unknown) => {
      throw rethrow(codec, where, e);
    },
  );
}

function checkLength(codec: Codec, where: CodecWhere, bytes: Uint8Array, uncompressedSize: number): Uint8Array {
  if (bytes.length !== uncompressedSize) {
    throw failure(codec, where, 'page body decompressed to the wrong size', undefined, `${uncompressedSize} bytes`, `${bytes.length} bytes`);
  }
  return bytes;
}

function failure(codec: Codec, where: CodecWhere, problem: string, cause?: unknown, expected?: string, actual?: string): TsFileError {
  return new TsFileError(ErrorCode.DECOMPRESSION_FAILED, `${compressionName(codec.compression)} (${codec.kind}): ${problem}`, {
    ...where,
    expected,
    actual,
    cause,
  });
}

/** Adds file and offset to a codec's error; foreign exceptions become DECOMPRESSION_FAILED too. */
function rethrow(codec: Codec, where: CodecWhere, e: unknown): TsFileError {
  if (isTsFileError(e)) {
    if (e.code !== ErrorCode.DECOMPRESSION_FAILED || e.file !== undefined) return e;
    return failure(codec, where, problemOf(e), e, e.expected, e.actual);
  }
  const reason = e instanceof Error ? e.message : String(e);
  return failure(codec, where, `the decoder rejected the stream (${reason})`, e);
}

/** A codec error's message without the "; expected …; got …" suffix the error class appended. */
function problemOf(e: TsFileError): string {
  const cuts = ['; expected ', '; got '].map((t) => e.message.indexOf(t)).filter((i) => i >= 0);
  return cuts.length > 0 ? e.message.slice(0, Math.min(...cuts)) : e.message;
}

/** Codes the registry can decompress right now (for `tsfile info` and tests). */
export function supportedCompressions(): Compression[] {
  const all = Object.values(Compression) as Compression[];
  return all.filter((c) => pure.has(c) || (preferred === 'native' && nativeCodec(c) !== undefined));
}
