/**
 * Byte sources: the reader only ever asks for `[offset, offset + length)` ranges, so a file, an
 * in-memory buffer and an HTTP range reader are interchangeable. Nothing here imports Node.
 */
import { ErrorCode, TsFileError } from './errors.js';

export interface ByteSource {
  /** Total size in bytes. */
  readonly byteLength: number;
  /** Returns exactly `length` bytes starting at `offset` (the result may be a view into a shared buffer). */
  read(offset: number, length: number): Promise<Uint8Array> | Uint8Array;
  /** Releases resources (file handles); optional. */
  close?(): Promise<void> | void;
  /** A label for error messages (a path or a URL). */
  readonly name?: string;
  /**
   * Optional: the reader announces ranges it will read soon (planned from the index and
   * statistics), so a remote source can fetch them in few, coalesced requests.
   */
  prefetch?(ranges: ReadonlyArray<readonly [offset: number, length: number]>): void;
}

/** A ByteSource over bytes already in memory (reads are zero-copy views). */
export class BufferSource implements ByteSource {
  readonly byteLength: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly name = '<buffer>',
  ) {
    this.byteLength = bytes.byteLength;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange(this, offset, length);
    return this.bytes.subarray(offset, offset + length);
  }
}

/** Throws a TRUNCATED error unless the range lies inside the source. */
export function checkRange(source: { byteLength: number; name?: string | undefined }, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > source.byteLength) {
    throw new TsFileError(ErrorCode.TRUNCATED, 'read outside the file', {
      file: source.name,
      offset,
      expected: `a range within ${source.byteLength} bytes`,
      actual: `${length} bytes at ${offset}`,
    });
  }
}

/** Reads a range from any source and checks the length it returned. */
export async function readRange(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  checkRange(source, offset, length);
  const bytes = await source.read(offset, length);
  if (bytes.byteLength !== length) {
    throw new TsFileError(ErrorCode.IO, 'byte source returned a short read', {
      file: source.name,
      offset,
      expected: `${length} bytes`,
      actual: `${bytes.byteLength} bytes`,
    });
  }
  return bytes;
}
