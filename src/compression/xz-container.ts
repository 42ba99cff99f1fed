/**
 * The .xz container of tsfile-format.md §11, code 9 (LZMA2): the Java writer stores each page body
 * as one complete .xz stream (XZOutputStream, CRC64 check). Two small pieces live here:
 *
 * - `xzDeclaredSize` walks a buffer of .xz streams from the end (footer → index) and returns the
 *   uncompressed size their indexes declare, so a decoder can refuse a stream whose size disagrees
 *   with the page header before it produces any output. Decoders verify the index against the
 *   blocks they decode, so an accepted declared size bounds the real output.
 * - `encodeXzStored` writes a standards-valid .xz stream holding the data in LZMA2 *uncompressed*
 *   chunks with a CRC64 check: no compression, but readable by every xz decoder (XZ for Java,
 *   liblzma, xz-embedded). It is the writer's LZMA2 codec where no real LZMA encoder is available.
 */
import { corruptStream } from './codec-error.js';
import { crc32, crc64Bytes } from './crc.js';

const FORMAT = '.xz stream';
const HEADER_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_CRC64 = 0x04;
const FILTER_LZMA2 = 0x21;
/** An LZMA2 uncompressed chunk carries at most 64 KiB. */
const LZMA2_CHUNK = 65536;

function readU32LE(a: Uint8Array, i: number): number {
  return (a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16)) + a[i + 3]! * 16777216;
}

/** Reads a .xz variable-length integer at `pos`; returns [value, next position]. */
function readVli(a: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    if (pos >= end) throw corruptStream(FORMAT, 'truncated integer in the index', pos);
    const b = a[pos++]!;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) throw corruptStream(FORMAT, 'integer in the index is not minimally encoded', pos - 1);
      if (!Number.isSafeInteger(value)) throw corruptStream(FORMAT, 'integer in the index is too large', pos - 1);
      return [value, pos];
    }
  }
  throw corruptStream(FORMAT, 'integer in the index is longer than 9 bytes', pos);
}

/**
 * Total uncompressed size declared by the indexes of the concatenated .xz streams in `src`
 * (stream padding allowed). Throws DECOMPRESSION_FAILED when headers, footers or indexes are
 * malformed or their CRC32s do not match.
 */
export function xzDeclaredSize(src: Uint8Array): number {
  let end = src.length;
  let total = 0;
  let streams = 0;
  while (end > 0) {
    // Stream padding: groups of four zero bytes may follow any stream.
    while (end >= 4 && src[end - 1] === 0 && src[end - 2] === 0 && src[end - 3] === 0 && src[end - 4] === 0) end -= 4;
    if (end === 0) break;
    if (end < 32) throw corruptStream(FORMAT, 'too short for a header, an index and a footer', 0, 'at least 32 bytes', `${end} bytes`);
    const footer = end - 12;
    if (src[end - 2] !== 0x59 || src[end - 1] !== 0x5a) throw corruptStream(FORMAT, 'missing footer magic "YZ"', end - 2);
    if (crc32(src.subarray(footer + 4, end - 2)) !== readU32LE(src, footer)) throw corruptStream(FORMAT, 'footer CRC32 mismatch', footer);
    const indexSize = (readU32LE(src, footer + 4) + 1) * 4;
    const indexStart = footer - indexSize;
    if (indexStart < 12) throw corruptStream(FORMAT, 'index size points before the stream header', footer + 4);
    if (crc32(src.subarray(indexStart, footer - 4)) !== readU32LE(src, footer - 4)) throw corruptStream(FORMAT, 'index CRC32 mismatch', footer - 4);
    if (src[indexStart] !== 0) throw corruptStream(FORMAT, 'missing index indicator', indexStart);
    const recordsEnd = footer - 4;
    let [records, pos] = readVli(src, indexStart + 1, recordsEnd);
    if (records > indexSize) throw corruptStream(FORMAT, 'index record count exceeds the index', indexStart + 1);
    let blocksSize = 0;
    for (let r = 0; r < records; r++) {
      let unpadded: number;
      let uncompressed: number;
      [unpadded, pos] = readVli(src, pos, recordsEnd);
      [uncompressed, pos] = readVli(src, pos, recordsEnd);
      if (unpadded < 5) throw corruptStream(FORMAT, 'index record with an impossible block size', pos);
      blocksSize += Math.ceil(unpadded / 4) * 4;
      total += uncompressed;
    }
    for (; pos < recordsEnd; pos++) {
      if (src[pos] !== 0 || recordsEnd - pos >= 4) throw corruptStream(FORMAT, 'bad index padding', pos);
    }
    const streamStart = indexStart - blocksSize - 12;
    if (streamStart < 0) throw corruptStream(FORMAT, 'blocks extend before the start of the data', indexStart);
    for (let i = 0; i < 6; i++) {
      if (src[streamStart + i] !== HEADER_MAGIC[i]) throw corruptStream(FORMAT, 'missing stream header magic', streamStart);
    }
    if (src[streamStart + 6] !== src[end - 4] || src[streamStart + 7] !== src[end - 3]) {
      throw corruptStream(FORMAT, 'stream header and footer flags differ', streamStart + 6);
    }
    if (crc32(src.subarray(streamStart + 6, streamStart + 8)) !== readU32LE(src, streamStart + 8)) {
      throw corruptStream(FORMAT, 'stream header CRC32 mismatch', streamStart + 8);
    }
    if (!Number.isSafeInteger(total)) throw corruptStream(FORMAT, 'declared size is too large');
    end = streamStart;
    streams++;
  }
  if (streams === 0) throw corruptStream(FORMAT, 'no stream found', 0);
  return total;
}

function writeVli(out: number[], value: number): void {
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function pushU32LE(out: number[], v: number): void {
  out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

/** Smallest LZMA2 dictionary-size property whose size covers `n` bytes (4 KiB at least). */
function dictionaryProperty(n: number): number {
  for (let p = 0; p < 40; p++) {
    if ((2 | (p & 1)) * 2 ** (Math.floor(p / 2) + 11) >= n) return p;
  }
  return 40;
}

/** Encodes `src` as one .xz stream of LZMA2 uncompressed chunks with a CRC64 check. */
export function encodeXzStored(src: Uint8Array): Uint8Array {
  const n = src.length;
  const chunks = Math.ceil(n / LZMA2_CHUNK);
  const lzma2Size = n + chunks * 3 + 1;
  const head: number[] = [...HEADER_MAGIC, 0x00, CHECK_CRC64];
  pushU32LE(head, crc32(new Uint8Array([0x00, CHECK_CRC64])));
  const records: Array<[number, number]> = [];
  let blockHeader: number[] = [];
  if (n > 0) {
    // Block header: size byte, flags (one filter, both sizes present), sizes, LZMA2 filter flags.
    const body: number[] = [0x00, 0xc0];
    writeVli(body, lzma2Size);
    writeVli(body, n);
    body.push(FILTER_LZMA2, 0x01, dictionaryProperty(n));
    while ((body.length + 4) % 4 !== 0) body.push(0);
    body[0] = (body.length + 4) / 4 - 1;
    pushU32LE(body, crc32(new Uint8Array(body)));
    blockHeader = body;
    records.push([blockHeader.length + lzma2Size + 8, n]);
  }
  const index: number[] = [0x00];
  writeVli(index, records.length);
  for (const [unpadded, uncompressed] of records) {
    writeVli(index, unpadded);
    writeVli(index, uncompressed);
  }
  while (index.length % 4 !== 0) index.push(0);
  pushU32LE(index, crc32(new Uint8Array(index)));
  const footerTail = [0, 0, 0, 0, 0x00, CHECK_CRC64];
  const backward = index.length / 4 - 1;
  footerTail[0] = backward & 0xff;
  footerTail[1] = (backward >>> 8) & 0xff;
  footerTail[2] = (backward >>> 16) & 0xff;
  footerTail[3] = (backward >>> 24) & 0xff;
  const footer: number[] = [];
  pushU32LE(footer, crc32(new Uint8Array(footerTail)));
  footer.push(...footerTail, 0x59, 0x5a);

  const blockPadding = n > 0 ? (4 - (lzma2Size % 4)) % 4 : 0;
  const total = head.length + blockHeader.length + (n > 0 ? lzma2Size + blockPadding + 8 : 0) + index.length + footer.length;
  const out = new Uint8Array(total);
  out.set(head, 0);
  let op = head.length;
  if (n > 0) {
    out.set(blockHeader, op);
    op += blockHeader.length;
    for (let i = 0; i < n; i += LZMA2_CHUNK) {
      const len = Math.min(LZMA2_CHUNK, n - i);
      // 0x01: uncompressed chunk resetting the dictionary (required first); 0x02: without reset.
      out[op++] = i === 0 ? 0x01 : 0x02;
      out[op++] = (len - 1) >>> 8;
      out[op++] = (len - 1) & 0xff;
      out.set(src.subarray(i, i + len), op);
      op += len;
    }
    out[op++] = 0x00;
    op += blockPadding;
    out.set(crc64Bytes(src), op);
    op += 8;
  }
  out.set(index, op);
  op += index.length;
  out.set(footer, op);
  return out;
}
