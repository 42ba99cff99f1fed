/**
 * Reading one chunk (§5) and walking its pages (§6): the chunk header, then `dataSize` bytes of
 * page header + body pairs. Bodies stay compressed here; the caller decides, from each page's
 * statistics, which ones to decompress and decode.
 */
import { type ByteSource, readRange } from '../io/byte-source.js';
import { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { type ChunkHeader, readChunkHeader } from '../format/chunk-header.js';
import { type PageHeader, readPageHeader } from '../format/page-header.js';

/** How much to read first to parse a chunk header; re-read larger when a long measurement id needs it. */
const HEADER_PROBE = 256;
const MAX_HEADER = 1 << 20;

export interface Chunk {
  header: ChunkHeader;
  /** The `dataSize` bytes of pages. */
  data: Uint8Array;
  /** Absolute offset of data[0]. */
  dataOffset: number;
}

export interface RawPage {
  /** Position of the page in its chunk (0-based). */
  index: number;
  header: PageHeader;
  /** Compressed body (a view into the chunk's data). */
  body: Uint8Array;
}

/** A chunk header and the first bytes read with it (which hold the whole chunk when it is small). */
export interface ChunkHead {
  header: ChunkHeader;
  dataOffset: number;
  /** Bytes read from the marker on. */
  probe: Uint8Array;
}

/** Reads the chunk whose marker is at `offset`; the chunk must end before `dataEnd` (the separator). */
export async function readChunk(source: ByteSource, offset: number, dataEnd: number): Promise<Chunk> {
  return readChunkData(source, await readChunkHead(source, offset, dataEnd));
}

/** The rest of a chunk whose head was read: its `dataSize` bytes of pages. */
export async function readChunkData(source: ByteSource, head: ChunkHead): Promise<Chunk> {
  const { header, dataOffset, probe } = head;
  const data =
    header.headerSize + header.dataSize <= probe.length
      ? probe.subarray(header.headerSize, header.headerSize + header.dataSize)
      : await readRange(source, dataOffset, header.dataSize);
  return { header, data, dataOffset };
}

/** Reads a chunk header (and whatever of its data a small first read holds), checking its extent. */
export async function readChunkHead(source: ByteSource, offset: number, dataEnd: number): Promise<ChunkHead> {
  const file = source.name;
  if (offset < 7 || offset >= dataEnd) {
    throw new TsFileError(ErrorCode.CORRUPT, 'chunk offset lies outside the data section', { file, offset, expected: `7..${dataEnd - 1}` });
  }
  let probe = Math.min(HEADER_PROBE, dataEnd - offset);
  for (;;) {
    const bytes = await readRange(source, offset, probe);
    let header: ChunkHeader;
    try {
      header = readChunkHeader(new Cursor(bytes, 0, probe, offset, file));
    } catch (e) {
      const more = Math.min(probe * 16, MAX_HEADER, dataEnd - offset);
      if (e instanceof TsFileError && e.code === ErrorCode.TRUNCATED && more > probe) {
        probe = more;
        continue;
      }
      throw e;
    }
    const dataOffset = offset + header.headerSize;
    if (dataOffset + header.dataSize > dataEnd) {
      throw new TsFileError(ErrorCode.CORRUPT, 'chunk data runs past the end of the data section', {
        file,
        offset,
        expected: `at most ${dataEnd - dataOffset} bytes`,
        actual: `dataSize ${header.dataSize}`,
      });
    }
    return { header, dataOffset, probe: bytes };
  }
}

/**
 * Reads only the chunk header at `offset` (a bounded first read, grown only for a very long
 * measurement id): what `timeseries()` needs for encoding and compression, never the chunk's data.
 */
export async function readChunkHeaderOnly(source: ByteSource, offset: number, dataEnd: number): Promise<ChunkHeader> {
  const file = source.name;
  if (offset < 7 || offset >= dataEnd) {
    throw new TsFileError(ErrorCode.CORRUPT, 'chunk offset lies outside the data section', { file, offset, expected: `7..${dataEnd - 1}` });
  }
  let probe = Math.min(HEADER_PROBE, dataEnd - offset);
  for (;;) {
    const bytes = await readRange(source, offset, probe);
    try {
      return readChunkHeader(new Cursor(bytes, 0, probe, offset, file));
    } catch (e) {
      const more = Math.min(probe * 16, MAX_HEADER, dataEnd - offset);
      if (e instanceof TsFileError && e.code === ErrorCode.TRUNCATED && more > probe) {
        probe = more;
        continue;
      }
      throw e;
    }
  }
}

/** The bytes a chunk header probe reads first. */
export const CHUNK_HEADER_PROBE = HEADER_PROBE;

/** Walks the page headers of a chunk; bodies are views, nothing is decompressed. */
export function* iteratePages(chunk: Chunk, maxPageBytes: number, file?: string): Generator<RawPage> {
  const { header, data } = chunk;
  const c = new Cursor(data, 0, data.length, chunk.dataOffset, file);
  let index = 0;
  while (c.remaining > 0) {
    if (!header.multiPage && index > 0) {
      throw c.error(ErrorCode.CORRUPT, 'single-page chunk holds more than one page', 'one page', `a second page`, c.offset);
    }
    const ph = readPageHeader(c, header.dataType, header.multiPage, maxPageBytes);
    const body = c.bytesView(ph.compressedSize, 'page body');
    yield { index, header: ph, body };
    index++;
  }
}
