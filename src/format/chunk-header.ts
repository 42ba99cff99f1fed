/** Chunk group header (§4) and chunk header (§5). */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import {
  checkCompression,
  checkDataType,
  checkEncoding,
  type Compression,
  type DataType,
  type Encoding,
  TIME_COLUMN_MASK,
  VALUE_COLUMN_MASK,
} from './codes.js';
import { readDeviceId, type DeviceId } from './device-id.js';

export interface ChunkHeader {
  /** Absolute offset of the marker byte (what ChunkMetadata points at). */
  offset: number;
  marker: number;
  measurementId: string;
  /** Bytes of page headers + bodies that follow the header. */
  dataSize: number;
  dataType: DataType;
  compression: Compression;
  encoding: Encoding;
  /** Size of the header itself; the pages start at offset + headerSize. */
  headerSize: number;
  /** 0x01-family: pages carry statistics; 0x05-family: zero or one page, without statistics. */
  multiPage: boolean;
  isTimeChunk: boolean;
  isValueChunk: boolean;
}

const CHUNK_MARKERS = new Set([0x01, 0x05, 0x81, 0x85, 0x41, 0x45]);

/** Reads a chunk header at the cursor (which must be on the marker byte). */
export function readChunkHeader(c: Cursor): ChunkHeader {
  const offset = c.offset;
  const start = c.pos;
  const marker = c.u8('chunk marker');
  if (!CHUNK_MARKERS.has(marker)) {
    throw c.error(ErrorCode.CORRUPT, 'not a chunk header marker', 'one of 01 05 81 85 41 45', hex(marker), offset);
  }
  const measurementId = c.vstrNonNull('chunk measurement id');
  const dataSize = c.uvarint('chunk data size');
  const where = { file: c.file, offset: c.offset };
  const dataType = checkDataType(c.u8('chunk data type'), where);
  where.offset = c.offset;
  const compression = checkCompression(c.u8('chunk compression'), where);
  where.offset = c.offset;
  const encoding = checkEncoding(c.u8('chunk encoding'), where);
  return {
    offset,
    marker,
    measurementId,
    dataSize,
    dataType,
    compression,
    encoding,
    headerSize: c.pos - start,
    multiPage: (marker & 0x3f) === 0x01,
    isTimeChunk: (marker & TIME_COLUMN_MASK) !== 0,
    isValueChunk: (marker & VALUE_COLUMN_MASK) !== 0,
  };
}

/** Reads a chunk group header (marker 0x00 + device id) at the cursor. */
export function readChunkGroupHeader(c: Cursor, version: number): DeviceId {
  const at = c.offset;
  const marker = c.u8('chunk group marker');
  if (marker !== 0x00) throw c.error(ErrorCode.CORRUPT, 'not a chunk group header', '00', hex(marker), at);
  return readDeviceId(c, version);
}

export function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
