/**
 * The field layout of a valid TsFile, as the fuzzer's mutators aim at it: every field the format's
 * own parsers read (header, chunk group and chunk headers, page headers and their statistics, page
 * bodies and the time-stream headers inside them, index nodes, timeseries metadata, TsFileMetadata
 * with its bloom filter, the footer), found by running those parsers over the file with a cursor
 * that records where each read began and ended.
 */
import { Cursor } from '../../src/io/cursor.js';
import { readChunkGroupHeader, readChunkHeader } from '../../src/format/chunk-header.js';
import { Compression } from '../../src/format/codes.js';
import { readTsFileMetadata } from '../../src/format/file-metadata.js';
import { childRange, readMetadataIndexNode, type MetadataIndexNode } from '../../src/format/metadata-index.js';
import { readPageHeader } from '../../src/format/page-header.js';
import { readTimeseriesMetadata } from '../../src/format/timeseries-metadata.js';
import { MetadataIndexNodeType } from '../../src/format/codes.js';

export type FieldKind = 'u8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'uvarint' | 'svarint' | 'bytes' | 'body' | 'timeHeader';

export interface Field {
  offset: number;
  length: number;
  kind: FieldKind;
  /** The parser's label ("page uncompressed size", "bloom filter hash count", ...). */
  what: string;
}

/** A cursor that records every primitive read (nested reads, e.g. a string's length, are recorded too). */
class TracingCursor extends Cursor {
  constructor(
    bytes: Uint8Array,
    start: number,
    end: number,
    readonly out: Field[],
  ) {
    super(bytes, start, end, 0);
  }
  private rec<T>(kind: FieldKind, what: string, read: () => T): T {
    const start = this.pos;
    const v = read();
    this.out.push({ offset: start, length: this.pos - start, kind, what });
    return v;
  }
  override u8(what = 'byte'): number {
    return this.rec('u8', what, () => super.u8(what));
  }
  override i16(what = 'i16'): number {
    return this.rec('i16', what, () => super.i16(what));
  }
  override i32(what = 'i32'): number {
    return this.rec('i32', what, () => super.i32(what));
  }
  override i64(what = 'i64'): bigint {
    return this.rec('i64', what, () => super.i64(what));
  }
  override f32(what = 'f32'): number {
    return this.rec('f32', what, () => super.f32(what));
  }
  override f64(what = 'f64'): number {
    return this.rec('f64', what, () => super.f64(what));
  }
  override uvarint(what = 'uvarint'): number {
    return this.rec('uvarint', what, () => super.uvarint(what));
  }
  override svarint(what = 'svarint'): number {
    return this.rec('svarint', what, () => super.svarint(what));
  }
  override bytesView(n: number, what = 'bytes'): Uint8Array {
    return this.rec('bytes', what, () => super.bytesView(n, what));
  }
}

/** The fields of `file` (a valid TsFile); parts that do not parse are simply left out. */
export function mapFields(file: Uint8Array): Field[] {
  const out: Field[] = [
    { offset: 0, length: 6, kind: 'bytes', what: 'head magic' },
    { offset: 6, length: 1, kind: 'u8', what: 'version' },
    { offset: file.length - 10, length: 4, kind: 'i32', what: 'footer metadata size' },
    { offset: file.length - 6, length: 6, kind: 'bytes', what: 'tail magic' },
  ];
  const version = file[6]!;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const size = view.getInt32(file.length - 10);
  const metaStart = file.length - 10 - size;
  let metaOffset = metaStart;
  try {
    const md = readTsFileMetadata(new TracingCursor(file, metaStart, file.length - 10, out), version);
    metaOffset = md.metaOffset;
    for (const root of md.tableRoots.values()) walkIndex(file, root, version, true, out, 0);
  } catch {
    // A seed whose index does not parse still has its data section mapped.
  }
  try {
    walkData(file, version, metaOffset, out);
  } catch {
    // Likewise for the index.
  }
  out.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return out;
}

function walkIndex(file: Uint8Array, node: MetadataIndexNode, version: number, deviceLevel: boolean, out: Field[], depth: number): void {
  if (depth > 16) return;
  for (let i = 0; i < node.children.length; i++) {
    const [s, e] = childRange(node, i);
    const c = new TracingCursor(file, s, e, out);
    if (node.nodeType === MetadataIndexNodeType.LEAF_MEASUREMENT) {
      while (c.remaining > 0) readTimeseriesMetadata(c);
    } else if (node.nodeType === MetadataIndexNodeType.LEAF_DEVICE) {
      walkIndex(file, readMetadataIndexNode(c, version, false), version, false, out, depth + 1);
    } else {
      walkIndex(file, readMetadataIndexNode(c, version, deviceLevel), version, deviceLevel, out, depth + 1);
    }
  }
}

function walkData(file: Uint8Array, version: number, dataEnd: number, out: Field[]): void {
  const c = new TracingCursor(file, 7, dataEnd, out);
  while (c.remaining > 0) {
    const marker = file[c.pos]!;
    if (marker === 0x00) {
      readChunkGroupHeader(c, version);
      continue;
    }
    if (marker === 0x02) return;
    const h = readChunkHeader(c);
    const end = c.pos + h.dataSize;
    while (c.pos < end) {
      const ph = readPageHeader(c, h.dataType, h.multiPage, 1 << 30);
      if (ph.uncompressedSize === 0) continue;
      out.push({ offset: c.pos, length: ph.compressedSize, kind: 'body', what: `page body of ${h.measurementId}` });
      // Uncompressed non-aligned pages: the time column length and the first TS_2DIFF block header.
      if (h.compression === Compression.UNCOMPRESSED && !h.isValueChunk) {
        const body = new TracingCursor(file, c.pos, c.pos + ph.compressedSize, out);
        if (!h.isTimeChunk) body.uvarint('page time column length');
        const at = body.pos;
        if (body.remaining >= 24) out.push({ offset: at, length: 24, kind: 'timeHeader', what: 'TS_2DIFF block header' });
      }
      c.pos += ph.compressedSize;
    }
  }
}
