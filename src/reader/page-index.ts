/**
 * Page statistics without decompression (§6): the page headers of a chunk, read by hopping from
 * header to header with small bounded reads, so a remote reader fetches a few hundred bytes per
 * page instead of the page bodies. What a chart draws as a min/max envelope before decoding.
 */
import { type ByteSource, readRange } from '../io/byte-source.js';
import { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ChunkHeader } from '../format/chunk-header.js';
import { readStatistics, type Statistics } from '../format/statistics.js';

export interface PageHeaderAt {
  /** Position of the page in its chunk. */
  index: number;
  /** Absolute offset of the page header. */
  offset: number;
  uncompressedSize: number;
  compressedSize: number;
  /** Absolute offset of the body. */
  bodyOffset: number;
  statistics: Statistics | undefined;
}

const PROBE = 128;
const MAX_PROBE = 1 << 20;

/** The page headers of a chunk whose header is `header`, data at `dataOffset` (nothing is decompressed). */
export async function readPageHeaders(source: ByteSource, header: ChunkHeader, maxPageBytes: number): Promise<PageHeaderAt[]> {
  const file = source.name;
  const dataOffset = header.offset + header.headerSize;
  const dataEnd = dataOffset + header.dataSize;
  const out: PageHeaderAt[] = [];
  let at = dataOffset;
  while (at < dataEnd) {
    if (!header.multiPage && out.length > 0) throw new TsFileError(ErrorCode.CORRUPT, 'single-page chunk holds more than one page', { file, offset: at });
    let probe = Math.min(PROBE, dataEnd - at);
    for (;;) {
      const c = new Cursor(await readRange(source, at, probe), 0, probe, at, file);
      try {
        const uncompressedSize = c.uvarint('page uncompressed size');
        if (uncompressedSize > maxPageBytes) throw c.error(ErrorCode.SIZE_LIMIT, 'page uncompressed size exceeds the configured limit', `<= ${maxPageBytes} bytes`, `${uncompressedSize}`, at);
        const compressedSize = uncompressedSize === 0 ? 0 : c.uvarint('page compressed size');
        const statistics = uncompressedSize !== 0 && header.multiPage ? readStatistics(c, header.dataType) : undefined;
        const bodyOffset = c.offset;
        if (bodyOffset + compressedSize > dataEnd) {
          throw new TsFileError(ErrorCode.TRUNCATED, 'page body runs past the end of its chunk', { file, offset: bodyOffset, expected: `${compressedSize} bytes`, actual: `${dataEnd - bodyOffset} left` });
        }
        out.push({ index: out.length, offset: at, uncompressedSize, compressedSize, bodyOffset, statistics });
        at = bodyOffset + compressedSize;
        break;
      } catch (e) {
        // A header longer than the probe (long text statistics): read more, up to the chunk's end.
        const more = Math.min(probe * 16, MAX_PROBE, dataEnd - at);
        if (e instanceof TsFileError && e.code === ErrorCode.TRUNCATED && e.what !== 'page body runs past the end of its chunk' && more > probe) {
          probe = more;
          continue;
        }
        throw e;
      }
    }
  }
  return out;
}
