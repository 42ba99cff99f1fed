/**
 * Native codecs for Node (tsfile-format.md §11): registers, over the pure codecs, the ones whose
 * addon loads — snappy (raw block format), lz4-napi (raw LZ4 blocks), node:zlib (gzip members)
 * and lzma-native (liblzma, .xz streams). Each addon is opened when the first page of its
 * compression is met, not at import (opening all of them costs a CLI start ~20 ms and more under
 * load); a missing or broken addon leaves the pure codec in place. ZSTD stays pure (the reference library as WebAssembly, for decoding and encoding): the
 * zstd addons either fetch their binary from outside the npm registry at install time or, like
 * @toondepauw/node-zstd, write frames without the content size the Java reader relies on.
 *
 * Every native decoder is handed only sizes checked first against the stream's own size fields
 * (snappy preamble, gzip ISIZE, xz index, LZ4 ratio), because the addons allocate from them.
 * Addon results are Node Buffers; napi frees their memory only when the event loop turns.
 */
import { createRequire } from 'node:module';
import { asDecompressionError, corruptStream } from './codec-error.js';
import { checkGzipMember } from './gzip-member.js';
import { checkLz4BlockSize } from './lz4-block.js';
import { checkSnappyPreamble } from './snappy-raw.js';
import { xzDeclaredSize } from './xz-container.js';
import { Compression } from '../format/codes.js';
import { registerNativeCodecLoader } from './registry.js';
import type { Codec } from './types.js';

const require = createRequire(import.meta.url);

interface SnappyAddon {
  uncompressSync(input: Uint8Array, options: { asBuffer: true }): Buffer;
  compressSync(input: Uint8Array): Buffer;
}
interface Lz4Addon {
  uncompressSync(data: Uint8Array): Buffer;
  compressSync(data: Buffer): Buffer;
}
interface LzmaAddon {
  compress(input: Buffer, options: { preset: number; check: number }): Promise<Buffer>;
  decompress(input: Buffer, options: Record<string, never>): Promise<Buffer>;
  CHECK_CRC64: number;
}

/** The XZ for Java default (`LZMA2Options` preset 6), which the Java writer uses. */
const XZ_PRESET = 6;

function tryRequire<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}

function asBuffer(src: Uint8Array): Buffer {
  return Buffer.isBuffer(src) ? src : Buffer.from(src.buffer, src.byteOffset, src.byteLength);
}

function snappyCodec(addon: SnappyAddon): Codec {
  return {
    compression: Compression.SNAPPY,
    kind: 'native',
    decompress(src, uncompressedSize) {
      checkSnappyPreamble(src, uncompressedSize);
      try {
        return addon.uncompressSync(src, { asBuffer: true });
      } catch (e) {
        throw asDecompressionError('Snappy block', e);
      }
    },
    compress: (src) => addon.compressSync(src),
  };
}

/**
 * lz4-napi reads blocks prefixed with their size as 4 little-endian bytes, which TsFile's raw
 * blocks lack: decoding copies the block behind such a prefix; encoding drops it (a view).
 */
function lz4Codec(addon: Lz4Addon): Codec {
  return {
    compression: Compression.LZ4,
    kind: 'native',
    decompress(src, uncompressedSize) {
      checkLz4BlockSize(src.length, uncompressedSize);
      const prefixed = Buffer.allocUnsafe(src.length + 4);
      prefixed.writeUInt32LE(uncompressedSize, 0);
      prefixed.set(src, 4);
      try {
        return addon.uncompressSync(prefixed);
      } catch (e) {
        throw asDecompressionError('LZ4 block', e);
      }
    },
    compress: (src) => addon.compressSync(asBuffer(src)).subarray(4),
  };
}

interface ZlibModule {
  gunzipSync(src: Uint8Array, options: { maxOutputLength: number }): Buffer;
  gzipSync(src: Uint8Array, options: { level: number }): Buffer;
}

function zlibGzipCodec({ gunzipSync, gzipSync }: ZlibModule): Codec {
  return {
    compression: Compression.GZIP,
    kind: 'native',
    decompress(src, uncompressedSize) {
      checkGzipMember(src, uncompressedSize);
      try {
        return gunzipSync(src, { maxOutputLength: Math.max(1, uncompressedSize) });
      } catch (e) {
        throw asDecompressionError('gzip member', e);
      }
    },
    compress: (src) => gzipSync(src, { level: 6 }),
  };
}

function lzmaCodec(addon: LzmaAddon): Codec {
  return {
    compression: Compression.LZMA2,
    kind: 'native',
    async decompress(src, uncompressedSize) {
      const declared = xzDeclaredSize(src);
      if (declared !== uncompressedSize) {
        throw corruptStream('.xz stream', 'index declares a size other than the page header', undefined, `${uncompressedSize} bytes`, `${declared} bytes`);
      }
      try {
        return await addon.decompress(asBuffer(src), {});
      } catch (e) {
        throw asDecompressionError('.xz stream', e);
      }
    },
    compress: (src) => addon.compress(asBuffer(src), { preset: XZ_PRESET, check: addon.CHECK_CRC64 }),
  };
}

/** How each native codec is built, by compression: undefined where its addon does not load. */
const LOADERS: readonly [Compression, () => Codec | undefined][] = [
  [Compression.GZIP, () => zlibGzipCodec(require('node:zlib') as ZlibModule)],
  [Compression.SNAPPY, () => mapDefined(tryRequire<SnappyAddon>('snappy'), snappyCodec)],
  [Compression.LZ4, () => mapDefined(tryRequire<Lz4Addon>('lz4-napi'), lz4Codec)],
  [Compression.LZMA2, () => mapDefined(tryRequire<LzmaAddon>('lzma-native'), lzmaCodec)],
];

function mapDefined<A, B>(a: A | undefined, f: (a: A) => B): B | undefined {
  return a === undefined ? undefined : f(a);
}

/** Builds, now, the native codecs whose addons load on this machine. */
export function loadNativeCodecs(): Codec[] {
  return LOADERS.map(([, load]) => load()).filter((c): c is Codec => c !== undefined);
}

for (const [compression, load] of LOADERS) registerNativeCodecLoader(compression, load);
