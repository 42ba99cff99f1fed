/**
 * Recovery of a TsFile whose writer died (tsfile-format.md §15): scan the data section from offset 7,
 * keep every chunk group known to be complete (the next marker — 00, 04 or the separator 02 — was
 * read), decode each kept chunk's pages to rebuild its statistics, truncate after the last complete
 * group and write a fresh index area exactly as the writer would (§13).
 */
import { open } from 'node:fs/promises';
import { decompressPage, getCodec } from '../compression/registry.js';
import { decodeTimes, decodeValues } from '../encoding/index.js';
import { readChunkGroupHeader, readChunkHeader, type ChunkHeader } from '../format/chunk-header.js';
import { type DataType, Encoding, TIME_COLUMN_MASK, VALUE_COLUMN_MASK } from '../format/codes.js';
import type { DeviceId } from '../format/device-id.js';
import { readPageHeader } from '../format/page-header.js';
import type { Statistics } from '../format/statistics.js';
import type { ByteSource } from '../io/byte-source.js';
import { Cursor } from '../io/cursor.js';
import { FileSource } from '../io/file-source.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { buildIndexArea, type DeviceIndexEntry, type SeriesIndexEntry } from './index-writer.js';
import { computeStatistics, emptyStatistics, mergeStatistics } from './statistics-writer.js';
import type { TableSchema } from './table-schema.js';
import { groupKeyOf } from './table-rows.js';

const MAGIC = 'TsFile';
/** Bound on a page's uncompressed size while scanning, so a damaged size cannot drive an allocation. */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

export interface RecoverOptions {
  /** Table schemas to put back (they live only in the lost TsFileMetadata, §13.7). */
  tableSchemas?: readonly TableSchema[];
  /** Index node degree of the rebuilt index (default 256). */
  maxIndexDegree?: number;
  bloomFilterErrorRate?: number;
  /** Time encoding of non-aligned pages, which files do not record (§5); default TS_2DIFF. */
  timeEncoding?: Encoding;
}

export interface RecoveryResult {
  /** 'complete': the file already had its footer and was left alone. */
  status: 'complete' | 'recovered';
  originalSize: number;
  /** Size of the data section kept (the separator's offset) when recovered. */
  keptDataBytes: number;
  finalSize: number;
  chunkGroups: number;
  chunks: number;
}

export interface ScanResult {
  version: 3 | 4;
  /** End of the last complete chunk group (where the separator goes). */
  goodEnd: number;
  chunkGroups: number;
  chunks: number;
  devices: DeviceIndexEntry[];
}

const HEADER_PROBE = 4096;
const MAX_HEADER = 16 << 20;

async function readAt(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  return await source.read(offset, Math.max(0, Math.min(length, source.byteLength - offset)));
}

async function isComplete(source: ByteSource): Promise<boolean> {
  const n = source.byteLength;
  if (n < 13) return false;
  const tail = await readAt(source, n - 10, 10);
  if (new TextDecoder().decode(tail.subarray(4)) !== MAGIC) return false;
  const size = new DataView(tail.buffer, tail.byteOffset).getInt32(0);
  return size > 0 && size <= n - 17;
}

async function checkHead(source: ByteSource, file: string): Promise<3 | 4> {
  const head = await readAt(source, 0, 7);
  if (head.length < 7 || new TextDecoder().decode(head.subarray(0, 6)) !== MAGIC) {
    throw new TsFileError(ErrorCode.NOT_A_TSFILE, 'the file does not start with "TsFile"', { file, offset: 0 });
  }
  const v = head[6]!;
  if (v !== 3 && v !== 4) throw new TsFileError(ErrorCode.UNSUPPORTED_VERSION, 'unsupported format version', { file, offset: 6, expected: '3 or 4', actual: String(v) });
  return v;
}

/** Parses a header at `pos`, reading more of the file while the header runs past what was read. */
async function parseAt<T>(source: ByteSource, pos: number, file: string, parse: (c: Cursor) => T): Promise<{ value: T; end: number }> {
  let probe = HEADER_PROBE;
  for (;;) {
    const bytes = await readAt(source, pos, probe);
    const c = new Cursor(bytes, 0, bytes.length, pos, file);
    try {
      return { value: parse(c), end: pos + c.pos };
    } catch (e) {
      const more = bytes.length === probe && probe < MAX_HEADER;
      if (e instanceof TsFileError && e.code === ErrorCode.TRUNCATED && more) {
        probe *= 16;
        continue;
      }
      throw e;
    }
  }
}

interface PendingChunk {
  measurement: string;
  dataType: DataType;
  mask: number;
  offset: number;
  statistics: Statistics;
}

/**
 * Scans the data section and rebuilds the chunk metadata of every complete chunk group. Reads one
 * header or chunk at a time, so memory stays at the size of the largest chunk.
 */
export async function scanDataSection(source: ByteSource, file: string, timeEncoding: Encoding = Encoding.TS_2DIFF): Promise<ScanResult> {
  const version = await checkHead(source, file);
  const length = source.byteLength;
  const devices = new Map<string, { deviceId: DeviceId; series: Map<string, SeriesIndexEntry> }>();
  let pos = 7;
  let goodEnd = 7;
  let chunkGroups = 0;
  let chunks = 0;
  let pending: PendingChunk[] | undefined;
  let groupDevice: DeviceId | undefined;
  let timePages: BigInt64Array[] | undefined;

  const commit = () => {
    if (pending === undefined || groupDevice === undefined) return;
    const key = groupKeyOf(groupDevice);
    let d = devices.get(key);
    if (d === undefined) devices.set(key, (d = { deviceId: groupDevice, series: new Map() }));
    for (const c of pending) {
      let s = d.series.get(c.measurement);
      if (s === undefined) d.series.set(c.measurement, (s = { measurement: c.measurement, dataType: c.dataType, mask: c.mask, chunks: [] }));
      s.chunks.push({ offset: c.offset, statistics: c.statistics });
    }
    chunkGroups++;
    chunks += pending.length;
    pending = undefined;
  };

  while (pos < length) {
    const marker = (await readAt(source, pos, 1))[0]!;
    try {
      if (marker === 0x02) {
        commit();
        goodEnd = pos;
        break;
      }
      if (marker === 0x04) {
        if (pos + 17 > length) break;
        commit();
        pos += 17;
        goodEnd = pos;
        groupDevice = undefined;
        continue;
      }
      if (marker === 0x00) {
        commit();
        goodEnd = pos;
        const { value, end } = await parseAt(source, pos, file, (c) => readChunkGroupHeader(c, version));
        groupDevice = value;
        pending = [];
        timePages = undefined;
        pos = end;
        continue;
      }
      if (pending === undefined) break;
      const { value: header, end } = await parseAt(source, pos, file, readChunkHeader);
      if (end + header.dataSize > length) break;
      const data = await readAt(source, end, header.dataSize);
      const stats = await chunkStatistics(header, data, end, file, timeEncoding, timePages, (p) => (timePages = p));
      pending.push({
        measurement: header.measurementId,
        dataType: header.dataType,
        mask: header.marker & (TIME_COLUMN_MASK | VALUE_COLUMN_MASK),
        offset: pos,
        statistics: stats,
      });
      pos = end + header.dataSize;
    } catch (e) {
      if (e instanceof TsFileError) break;
      throw e;
    }
  }
  const entries: DeviceIndexEntry[] = [...devices.values()].map((d) => ({ deviceId: d.deviceId, series: [...d.series.values()] }));
  return { version, goodEnd, chunkGroups, chunks, devices: entries };
}

/** Decodes every page of a chunk and merges their statistics (page headers are not trusted). */
async function chunkStatistics(
  header: ChunkHeader,
  data: Uint8Array,
  dataOffset: number,
  file: string,
  timeEncoding: Encoding,
  timePages: BigInt64Array[] | undefined,
  setTimePages: (p: BigInt64Array[]) => void,
): Promise<Statistics> {
  const c = new Cursor(data, 0, data.length, dataOffset, file);
  const type = header.dataType;
  let stats = emptyStatistics(type);
  const pagesOfTime: BigInt64Array[] = [];
  let index = 0;
  const corrupt = (msg: string) => new TsFileError(ErrorCode.CORRUPT, msg, { file, offset: header.offset });
  while (c.remaining > 0) {
    if (!header.multiPage && index > 0) throw corrupt('single-page chunk holds more than one page');
    const ph = readPageHeader(c, type, header.multiPage, MAX_PAGE_BYTES);
    const ctx = { file, offset: c.offset, what: `chunk ${header.measurementId} page ${index}` };
    if (ph.uncompressedSize === 0) {
      if (!header.isValueChunk) throw corrupt('empty page outside an aligned value chunk');
      index++;
      continue;
    }
    const stored = c.bytesView(ph.compressedSize, 'page body');
    const body = await decompressPage(getCodec(header.compression, ctx), stored, ph.uncompressedSize, ctx);
    if (header.isTimeChunk) {
      const times = decodeTimes(header.encoding, body, MAX_PAGE_BYTES, ctx);
      if (times.length === 0) throw corrupt('time page without timestamps');
      pagesOfTime.push(times);
      stats = mergeStatistics(stats, { kind: 'time', count: times.length, startTime: times[0]!, endTime: times[times.length - 1]! });
    } else if (header.isValueChunk) {
      const times = timePages?.[index];
      if (times === undefined) throw corrupt('value page without a matching time page');
      const p = new Cursor(body, 0, body.length, 0, file);
      const rows = p.i32('value page rows');
      if (rows !== times.length) throw corrupt('value page row count differs from its time page');
      const bitmap = p.bytesView((rows + 7) >> 3, 'value page bitmap');
      let first = -1;
      let last = -1;
      let n = 0;
      for (let r = 0; r < rows; r++) {
        if (bitmap[r >> 3]! & (0x80 >> (r & 7))) {
          if (first < 0) first = r;
          last = r;
          n++;
        }
      }
      if (n > 0) {
        const values = decodeValues(header.encoding, type, body.subarray(p.pos), n, ctx);
        stats = mergeStatistics(stats, computeStatistics(type, values, 0, n, times[first]!, times[last]!));
      }
    } else {
      const p = new Cursor(body, 0, body.length, 0, file);
      const timeLen = p.uvarint('page time length');
      const timeBytes = p.bytesView(timeLen, 'page times');
      const times = decodeTimes(timeEncoding, timeBytes, MAX_PAGE_BYTES, ctx);
      if (times.length === 0) throw corrupt('page without timestamps');
      const values = decodeValues(header.encoding, type, body.subarray(p.pos), times.length, ctx);
      stats = mergeStatistics(stats, computeStatistics(type, values, 0, times.length, times[0]!, times[times.length - 1]!));
    }
    index++;
  }
  if (header.isTimeChunk) setTimePages(pagesOfTime);
  return stats;
}

/** What recovery would do to a file: the result, and the index area to write after `keptDataBytes`. */
export interface RecoveryPlan {
  result: RecoveryResult;
  /** Empty when the file is complete. */
  index: Uint8Array;
}

/** Scans `path` and builds the index area recovery would write, without changing anything. */
export async function planRecovery(path: string, options: RecoverOptions = {}): Promise<RecoveryPlan> {
  let source: FileSource;
  try {
    source = await FileSource.open(path);
  } catch (cause) {
    throw new TsFileError(ErrorCode.IO, 'cannot open the file', { file: path, cause });
  }
  let scan: ScanResult;
  const originalSize = source.byteLength;
  try {
    await checkHead(source, path);
    if (await isComplete(source)) {
      return { result: { status: 'complete', originalSize, keptDataBytes: originalSize, finalSize: originalSize, chunkGroups: 0, chunks: 0 }, index: new Uint8Array(0) };
    }
    scan = await scanDataSection(source, path, options.timeEncoding);
  } finally {
    await source.close();
  }
  if (scan.version === 3 && (options.tableSchemas?.length ?? 0) > 0) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'table schemas need format version 4', { file: path });
  }
  const index = buildIndexArea(scan.goodEnd, scan.devices, {
    version: scan.version,
    maxDegree: options.maxIndexDegree ?? 256,
    tableSchemas: options.tableSchemas ?? [],
    bloomFilterErrorRate: options.bloomFilterErrorRate ?? 0.05,
  });
  return {
    result: { status: 'recovered', originalSize, keptDataBytes: scan.goodEnd, finalSize: scan.goodEnd + index.length, chunkGroups: scan.chunkGroups, chunks: scan.chunks },
    index,
  };
}

/**
 * Repairs `path` in place: keeps every complete chunk group, truncates the rest and writes a new
 * index area and footer. A file that already ends with its footer is left untouched.
 */
export async function recoverTsFile(path: string, options: RecoverOptions = {}): Promise<RecoveryResult> {
  const { result, index } = await planRecovery(path, options);
  if (result.status === 'complete') return result;
  const h = await open(path, 'r+');
  try {
    await h.truncate(result.keptDataBytes);
    let at = 0;
    while (at < index.length) {
      const { bytesWritten } = await h.write(index, at, index.length - at, result.keptDataBytes + at);
      at += bytesWritten;
    }
    await h.sync();
  } catch (cause) {
    throw new TsFileError(ErrorCode.IO, 'cannot rewrite the file', { file: path, cause });
  } finally {
    await h.close();
  }
  return result;
}
