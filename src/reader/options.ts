/** Limits and knobs of the reader; every size read from a file is checked against these before allocating. */
export interface ReaderOptions {
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
  maxPageBytes: number;
  maxPagePoints: number;
  maxIndexBytes: number;
}

export function resolveReaderOptions(o: ReaderOptions = {}): ResolvedReaderOptions {
  return {
    maxPageBytes: o.maxPageBytes ?? 64 * 1024 * 1024,
    maxPagePoints: o.maxPagePoints ?? 4 * 1024 * 1024,
    maxIndexBytes: o.maxIndexBytes ?? 64 * 1024 * 1024,
  };
}
