/** TimeseriesMetadata with its embedded ChunkMetadata list (§13.1, §13.2). */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import { checkDataType, type DataType, DataType as DT, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from './codes.js';
import { readStatistics, type Statistics } from './statistics.js';

export interface ChunkMetadata {
  /** Absolute offset of the chunk's marker byte. */
  offset: number;
  /** Present only when the series has more than one chunk; otherwise the series statistics apply. */
  statistics: Statistics | undefined;
}

export interface TimeseriesMetadata {
  /** Offset of this record (for error messages). */
  offset: number;
  /** Raw type byte: 0x01 more than one chunk, 0x80 aligned time column, 0x40 aligned value column. */
  typeFlags: number;
  measurementId: string;
  dataType: DataType;
  statistics: Statistics;
  chunks: ChunkMetadata[];
  isTimeColumn: boolean;
  isValueColumn: boolean;
}

/** Reads one TimeseriesMetadata record at the cursor. */
export function readTimeseriesMetadata(c: Cursor): TimeseriesMetadata {
  const offset = c.offset;
  const typeFlags = c.u8('timeseries metadata type');
  const measurementId = c.vstrNonNull('measurement id');
  const dataType = checkDataType(c.u8('timeseries data type'), { file: c.file, offset: c.offset - 1 });
  const listSize = c.uvarint('chunk metadata list size');
  const statistics = readStatistics(c, dataType);
  c.need(listSize, 'chunk metadata list');
  const listEnd = c.pos + listSize;
  const multiChunk = (typeFlags & 0x3f) !== 0;
  const chunks: ChunkMetadata[] = [];
  while (c.pos < listEnd) {
    const chunkOffset = c.offset64('chunk offset');
    const chunkStats = multiChunk ? readStatistics(c, dataType) : undefined;
    chunks.push({ offset: chunkOffset, statistics: chunkStats });
  }
  if (c.pos !== listEnd) {
    throw c.error(ErrorCode.CORRUPT, 'chunk metadata list overruns its declared size', `${listSize} bytes`, `${listSize + c.pos - listEnd}`, offset);
  }
  if (chunks.length === 0) throw c.error(ErrorCode.CORRUPT, 'series without chunks', 'at least one chunk', '0', offset);
  if (!multiChunk && chunks.length > 1) {
    throw c.error(ErrorCode.CORRUPT, 'series flagged single-chunk lists several chunks', '1 chunk', `${chunks.length}`, offset);
  }
  return {
    offset,
    typeFlags,
    measurementId,
    dataType,
    statistics,
    chunks,
    isTimeColumn: (typeFlags & TIME_COLUMN_MASK) !== 0 || (dataType === DT.VECTOR && measurementId === ''),
    isValueColumn: (typeFlags & VALUE_COLUMN_MASK) !== 0,
  };
}

/** The statistics of chunk `i` of a series: its own, or the series' when the series has one chunk. */
export function chunkStatistics(ts: TimeseriesMetadata, i: number): Statistics {
  return ts.chunks[i]!.statistics ?? ts.statistics;
}
