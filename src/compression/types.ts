/** The shape every codec has, native or pure-TypeScript (tsfile-format.md §11). */
import type { Compression } from '../format/codes.js';

export interface Codec {
  readonly compression: Compression;
  /** 'native' when backed by an addon or node:zlib, 'pure' when implemented in TypeScript/WASM. */
  readonly kind: 'native' | 'pure';
  /**
   * Decompresses one page body to exactly `uncompressedSize` bytes; a result of any other size, or a
   * corrupt stream, throws TsFileError(DECOMPRESSION_FAILED). May return a promise (WASM/async codecs).
   */
  decompress(src: Uint8Array, uncompressedSize: number): Uint8Array | Promise<Uint8Array>;
  /** Compresses one page body in the exact stream format the reference writer uses (§11). */
  compress(src: Uint8Array): Uint8Array | Promise<Uint8Array>;
}
