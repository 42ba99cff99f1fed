/** What every chunk and page read needs: the byte source, limits, cancellation and counters. */
import type { ByteSource } from '../io/byte-source.js';
import { throwIfAborted } from '../io/errors.js';
import { YIELD_EVERY_BYTES, yieldToEventLoop } from '../io/yield.js';
import type { ResolvedReaderOptions } from './options.js';
import type { TaskCounters } from './chunk-task.js';

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
  /** Decompressed bytes since the event loop last turned. */
  sinceYield: number;
  source: ByteSource;
  file: string | undefined;
  /** Offset of the separator: every chunk lies before it. */
  dataEnd: number;
  options: ResolvedReaderOptions;
  stats: ReadStats;
  signal: AbortSignal | undefined;
  /** For sources that take read plans: the bytes from a chunk's offset to the next chunk (undefined: unknown). */
  extentOf?: ((offset: number) => number | undefined) | undefined;
}

export function checkAbort(ctx: ReadContext): void {
  throwIfAborted(ctx.signal);
}

/** Counts a task's pages and lets the event loop turn every few megabytes (native buffers are freed then). */
export async function accountTask(ctx: ReadContext, r: TaskCounters): Promise<void> {
  ctx.stats.pagesDecoded += r.pagesDecoded;
  ctx.stats.pagesSkipped += r.pagesSkipped;
  ctx.stats.bytesDecompressed += r.bytesDecompressed;
  ctx.sinceYield += r.bytesDecompressed;
  if (ctx.sinceYield >= YIELD_EVERY_BYTES) {
    ctx.sinceYield = 0;
    await yieldToEventLoop();
  }
}
