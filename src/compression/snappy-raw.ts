/**
 * Raw Snappy block format (tsfile-format.md §11, code 1): what snappy-java `Snappy.compress` and
 * C++ `snappy::RawCompress` write — a uvarint of the uncompressed length, then elements. Not the
 * framed/stream format.
 *
 * Element tag, low two bits: 00 literal (length − 1 in the upper six bits, or 60..63 meaning 1..4
 * little-endian length bytes follow), 01 copy with length 4..11 and an 11-bit offset, 10 copy with
 * length 1..64 and a 2-byte offset, 11 copy with length 1..64 and a 4-byte offset.
 */
import { checkPlausibleSize, corruptStream } from './codec-error.js';

const FORMAT = 'Snappy block';
/** A 3-byte copy element yields at most 64 bytes: the largest output per input byte. */
const MAX_RATIO = 22;
const HASH_LOG = 14;
/** The reference encoder compresses 64 KiB fragments independently; offsets stay inside one. */
const FRAGMENT = 65536;

/**
 * Reads the uvarint length preamble, checks it equals the page header's size and that the block
 * is long enough to produce it; returns the position of the first element. Native decoders
 * allocate from the preamble, so they call this first too.
 */
export function checkSnappyPreamble(src: Uint8Array, uncompressedSize: number): number {
  let ip = 0;
  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (ip >= src.length) throw corruptStream(FORMAT, 'truncated length preamble', ip);
    if (shift > 28) throw corruptStream(FORMAT, 'length preamble longer than 32 bits', ip);
    const b = src[ip++]!;
    declared += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  if (declared !== uncompressedSize) {
    throw corruptStream(FORMAT, 'length preamble disagrees with the page header', 0, `${uncompressedSize} bytes`, `${declared} bytes`);
  }
  checkPlausibleSize(FORMAT, src.length, uncompressedSize, MAX_RATIO);
  return ip;
}

/** Decodes one raw Snappy block into exactly `uncompressedSize` bytes; any inconsistency throws. */
export function decodeSnappyRaw(src: Uint8Array, uncompressedSize: number): Uint8Array {
  const iend = src.length;
  let ip = checkSnappyPreamble(src, uncompressedSize);
  const out = new Uint8Array(uncompressedSize);
  const oend = uncompressedSize;
  let op = 0;
  while (ip < iend) {
    const tag = src[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (iend - ip < extra) throw corruptStream(FORMAT, 'truncated literal length', ip);
        len = 0;
        for (let i = 0; i < extra; i++) len |= src[ip + i]! << (8 * i);
        len = (len >>> 0) + 1;
        ip += extra;
      }
      if (len > iend - ip || len > oend - op) throw literalError(ip, len, iend - ip, oend - op);
      if (len < 16) {
        for (let i = 0; i < len; i++) out[op + i] = src[ip + i]!;
      } else {
        out.set(src.subarray(ip, ip + len), op);
      }
      ip += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[ip]!;
      ip += 1;
    } else if (kind === 2) {
      len = (tag >>> 2) + 1;
      offset = src[ip]! | (src[ip + 1]! << 8);
      ip += 2;
    } else {
      len = (tag >>> 2) + 1;
      offset = (src[ip]! | (src[ip + 1]! << 8) | (src[ip + 2]! << 16) | (src[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (ip > iend || offset === 0 || offset > op || len > oend - op) throw copyError(ip, iend, offset, op, len, oend);
    // A forward byte copy is what makes overlapping copies (offset < length) repeat the pattern.
    let from = op - offset;
    const stop = op + len;
    while (op < stop) out[op++] = out[from++]!;
  }
  if (op !== oend) {
    throw corruptStream(FORMAT, 'block decodes to the wrong size', undefined, `${oend} bytes`, `${op} bytes`);
  }
  return out;
}

function literalError(ip: number, len: number, left: number, room: number): Error {
  if (len > left) return corruptStream(FORMAT, 'truncated literal', ip, `${len} bytes`, `${left} bytes left`);
  return corruptStream(FORMAT, 'literal overruns the output', ip, `at most ${room} bytes`, `${len} bytes`);
}

function copyError(ip: number, iend: number, offset: number, op: number, len: number, oend: number): Error {
  if (ip > iend) return corruptStream(FORMAT, 'truncated copy offset', iend);
  if (offset === 0 || offset > op) return corruptStream(FORMAT, 'copy offset points before the start of the output', ip, `1..${op}`, String(offset));
  return corruptStream(FORMAT, 'copy overruns the output', ip, `at most ${oend - op} bytes`, `${len} bytes`);
}

/** Largest block `encodeSnappyRaw` can produce for `n` input bytes. */
export function snappyRawBound(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Encodes `src` as one raw Snappy block that any Snappy decoder (snappy-java included) reads. */
export function encodeSnappyRaw(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(snappyRawBound(n));
  let op = 0;
  let v = n;
  while (v >= 0x80) {
    out[op++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  out[op++] = v;
  const table = new Int32Array(1 << HASH_LOG);
  for (let start = 0; start < n; start += FRAGMENT) {
    op = encodeFragment(src, start, Math.min(n, start + FRAGMENT), out, op, table);
  }
  return out.subarray(0, op);
}

function read32(a: Uint8Array, i: number): number {
  return a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16) | (a[i + 3]! << 24);
}

function encodeFragment(src: Uint8Array, start: number, end: number, out: Uint8Array, op: number, table: Int32Array): number {
  table.fill(0);
  let anchor = start;
  let ip = start;
  const hashLimit = end - 4;
  while (ip <= hashLimit) {
    const seq = read32(src, ip);
    const h = Math.imul(seq, 0x1e35a7bd) >>> (32 - HASH_LOG);
    const ref = start + table[h]! - 1;
    table[h] = ip - start + 1;
    if (ref < start || read32(src, ref) !== seq) {
      ip += 1 + ((ip - anchor) >>> 5);
      continue;
    }
    let len = 4;
    while (ip + len < end && src[ref + len] === src[ip + len]) len++;
    op = writeLiteral(out, op, src, anchor, ip - anchor);
    op = writeCopy(out, op, ip - ref, len);
    ip += len;
    anchor = ip;
  }
  return writeLiteral(out, op, src, anchor, end - anchor);
}

function writeLiteral(out: Uint8Array, op: number, src: Uint8Array, from: number, len: number): number {
  if (len === 0) return op;
  const n = len - 1;
  if (n < 60) {
    out[op++] = n << 2;
  } else {
    const bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    out[op++] = (59 + bytes) << 2;
    for (let i = 0, x = n; i < bytes; i++, x = Math.floor(x / 256)) out[op++] = x & 0xff;
  }
  copyBytes(src, from, len, out, op);
  return op + len;
}

/** Short runs are copied byte by byte: a subarray view per literal costs more than the copy. */
function copyBytes(src: Uint8Array, from: number, len: number, out: Uint8Array, op: number): void {
  if (len < 16) {
    for (let i = 0; i < len; i++) out[op + i] = src[from + i]!;
  } else {
    out.set(src.subarray(from, from + len), op);
  }
}

function writeCopy(out: Uint8Array, op: number, offset: number, len: number): number {
  // Long matches become 64-byte copies, leaving a remainder of at least 4 for the last element.
  while (len >= 68) {
    op = writeCopy2(out, op, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    op = writeCopy2(out, op, offset, 60);
    len -= 60;
  }
  if (len >= 12 || offset >= 2048) return writeCopy2(out, op, offset, len);
  out[op++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
  out[op++] = offset & 0xff;
  return op;
}

function writeCopy2(out: Uint8Array, op: number, offset: number, len: number): number {
  out[op++] = 2 | ((len - 1) << 2);
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  return op;
}
