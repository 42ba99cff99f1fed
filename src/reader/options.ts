import type { RunnerOptions } from './task-runner.js';

/** Limits and knobs of the reader; every size read from a file is checked against these before allocating. */
export interface ReaderOptions extends RunnerOptions {
  /** Estimated bytes of decoded data that may be in flight ahead of the consumer (default 64 MiB). */
  maxBytesInFlight?: number;
  /** Largest page body accepted after decompression (default 64 MiB). */
  maxPageBytes?: number;
  /** Most points accepted in one page (default 4 Mi). */
  maxPagePoints?: number;
  /** The index area is read in one piece when at most this large, otherwise node by node (default 64 MiB). */
  maxIndexBytes?: number;
  /** Label used in error messages instead of the path. */
  name?: string;
}

export interface ResolvedReaderOptions {
  maxBytesInFlight: number;
  maxPageBytes: number;
  maxPagePoints: number;
  maxIndexBytes: number;
}

export function resolveReaderOptions(o: ReaderOptions = {}): ResolvedReaderOptions {
  return {
    maxBytesInFlight: o.maxBytesInFlight ?? 64 * 1024 * 1024,
    maxPageBytes: o.maxPageBytes ?? 64 * 1024 * 1024,
    maxPagePoints: o.maxPagePoints ?? 4 * 1024 * 1024,
    maxIndexBytes: o.maxIndexBytes ?? 64 * 1024 * 1024,
  };
}
