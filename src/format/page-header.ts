/** Page header (§6): sizes, optional statistics, and the rule for empty pages. */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import type { DataType } from './codes.js';
import { readStatistics, type Statistics } from './statistics.js';

export interface PageHeader {
  /** Size of the body after decompression (0: an all-null aligned value page with no body). */
  uncompressedSize: number;
  /** Size of the body as stored. */
  compressedSize: number;
  /** Present only in multi-page chunks for non-empty pages. */
  statistics: Statistics | undefined;
  /** Absolute offset of the body. */
  bodyOffset: number;
}

/**
 * Reads a page header; `withStatistics` is the chunk's multi-page flag. `maxPageBytes` bounds the
 * uncompressed size before anything is allocated for it. The body must end by `chunkEnd` (an
 * absolute offset; default: the cursor's end — a walker that reads headers alone passes the chunk's).
 */
export function readPageHeader(c: Cursor, dataType: DataType, withStatistics: boolean, maxPageBytes: number, chunkEnd?: number): PageHeader {
  const at = c.offset;
  const uncompressedSize = c.uvarint('page uncompressed size');
  if (uncompressedSize === 0) return { uncompressedSize: 0, compressedSize: 0, statistics: undefined, bodyOffset: c.offset };
  if (uncompressedSize > maxPageBytes) {
    throw c.error(ErrorCode.SIZE_LIMIT, 'page uncompressed size exceeds the configured limit', `<= ${maxPageBytes} bytes`, `${uncompressedSize}`, at);
  }
  const compressedSize = c.uvarint('page compressed size');
  const statistics = withStatistics ? readStatistics(c, dataType) : undefined;
  const room = chunkEnd === undefined ? c.remaining : chunkEnd - c.offset;
  if (compressedSize > room) {
    throw c.error(chunkEnd === undefined ? ErrorCode.TRUNCATED : ErrorCode.CORRUPT, 'page body runs past the end of its chunk', `${compressedSize} bytes`, `${room} left`, c.offset);
  }
  return { uncompressedSize, compressedSize, statistics, bodyOffset: c.offset };
}
