/** What every chunk and page read needs: the byte source, limits, cancellation and counters. */
import type { ByteSource } from '../io/byte-source.js';
import { throwIfAborted } from '../io/errors.js';
import type { ResolvedReaderOptions } from './options.js';

/** Counters that show how much work a scan did (and prove what statistics let it skip). */
export interface ReadStats {
  chunksRead: number;
  chunksSkipped: number;
  pagesDecoded: number;
  pagesSkipped: number;
  bytesRead: number;
  bytesDecompressed: number;
}

export function newReadStats(): ReadStats {
  return { chunksRead: 0, chunksSkipped: 0, pagesDecoded: 0, pagesSkipped: 0, bytesRead: 0, bytesDecompressed: 0 };
}

export interface ReadContext {
  source: ByteSource;
  file: string | undefined;
  /** Offset of the separator: every chunk lies before it. */
  dataEnd: number;
  options: ResolvedReaderOptions;
  stats: ReadStats;
  signal: AbortSignal | undefined;
}

export function checkAbort(ctx: ReadContext): void {
  throwIfAborted(ctx.signal);
}
