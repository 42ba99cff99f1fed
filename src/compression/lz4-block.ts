/**
 * Raw LZ4 block format (tsfile-format.md §11, code 7): what lz4-java's `fastCompressor` and C++
 * `LZ4_compress_default` write into a page body — no frame, no size prefix. The page header's
 * uncompressedSize is the only size information, so the decoder must be told it.
 *
 * A block is a run of sequences: token (high nibble literal length, low nibble match length − 4,
 * 15 meaning "more length bytes follow, each added, until one is not 255"), the literals, then a
 * 2-byte little-endian back offset and the extra match-length bytes. The last sequence has
 * literals only and ends the block.
 */
import { checkPlausibleSize, corruptStream } from './codec-error.js';

const FORMAT = 'LZ4 block';
/** Each input byte can stand for at most 255 output bytes (one length-extension byte). */
const MAX_RATIO = 255;
const MIN_MATCH = 4;
/** The format requires the last 5 bytes to be literals and no match to start in the last 12. */
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 65535;
const HASH_LOG = 14;

/** Refuses a size no LZ4 block of this length can decode to (native decoders call it first too). */
export function checkLz4BlockSize(compressedLength: number, uncompressedSize: number): void {
  checkPlausibleSize(FORMAT, compressedLength, uncompressedSize, MAX_RATIO);
}

/** Decodes one raw LZ4 block into exactly `uncompressedSize` bytes; any inconsistency throws. */
export function decodeLz4Block(src: Uint8Array, uncompressedSize: number): Uint8Array {
  checkLz4BlockSize(src.length, uncompressedSize);
  const out = new Uint8Array(uncompressedSize);
  const iend = src.length;
  const oend = uncompressedSize;
  if (iend === 0) {
    if (oend === 0) return out;
    throw corruptStream(FORMAT, 'empty block', 0, `${oend} bytes of output`, '0 bytes');
  }
  let ip = 0;
  let op = 0;
  for (;;) {
    if (ip >= iend) throw corruptStream(FORMAT, 'block ends before its last literals', ip);
    const token = src[ip++]!;
    let litLen = token >>> 4;
    if (litLen === 15) {
      let b: number;
      do {
        if (ip >= iend) throw corruptStream(FORMAT, 'literal length runs past the end', ip);
        b = src[ip++]!;
        litLen += b;
      } while (b === 255);
    }
    if (litLen > iend - ip) {
      throw corruptStream(FORMAT, 'truncated literals', ip, `${litLen} literal bytes`, `${iend - ip} bytes left`);
    }
    if (litLen > oend - op) {
      throw corruptStream(FORMAT, 'literals overrun the output', ip, `at most ${oend - op} bytes`, `${litLen} bytes`);
    }
    if (litLen < 32) {
      for (let i = 0; i < litLen; i++) out[op + i] = src[ip + i]!;
    } else {
      out.set(src.subarray(ip, ip + litLen), op);
    }
    ip += litLen;
    op += litLen;
    if (ip === iend) break;

    if (iend - ip < 2) throw corruptStream(FORMAT, 'truncated match offset', ip);
    const offset = src[ip]! | (src[ip + 1]! << 8);
    if (offset === 0 || offset > op) {
      throw corruptStream(FORMAT, 'match offset points before the start of the output', ip, `1..${op}`, String(offset));
    }
    ip += 2;
    let matchLen = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (ip >= iend) throw corruptStream(FORMAT, 'match length runs past the end', ip);
        b = src[ip++]!;
        matchLen += b;
      } while (b === 255);
    }
    if (matchLen > oend - op) {
      throw corruptStream(FORMAT, 'match overruns the output', ip, `at most ${oend - op} bytes`, `${matchLen} bytes`);
    }
    let from = op - offset;
    if (matchLen < 32 || offset < matchLen) {
      // A forward byte copy is what makes overlapping matches (offset < length) repeat the pattern.
      const stop = op + matchLen;
      while (op < stop) out[op++] = out[from++]!;
    } else {
      out.copyWithin(op, from, from + matchLen);
      op += matchLen;
    }
  }
  if (op !== oend) {
    throw corruptStream(FORMAT, 'block decodes to the wrong size', undefined, `${oend} bytes`, `${op} bytes`);
  }
  return out;
}

/** Largest block `encodeLz4Block` can produce for `n` input bytes. */
export function lz4BlockBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/**
 * Encodes `src` as one raw LZ4 block (greedy matching over a hash of 4-byte sequences). Any LZ4
 * block decoder, lz4-java and the C library included, reads the result.
 */
export function encodeLz4Block(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(lz4BlockBound(n));
  let op = 0;
  let anchor = 0;
  if (n > MF_LIMIT) {
    const table = new Int32Array(1 << HASH_LOG);
    const matchStartLimit = n - MF_LIMIT;
    const matchEndLimit = n - LAST_LITERALS;
    let ip = 0;
    while (ip < matchStartLimit) {
      const seq = read32(src, ip);
      const h = Math.imul(seq, 2654435761) >>> (32 - HASH_LOG);
      let ref = table[h]! - 1;
      table[h] = ip + 1;
      if (ref < 0 || ip - ref > MAX_OFFSET || read32(src, ref) !== seq) {
        // Skip faster through data that keeps failing to match.
        ip += 1 + ((ip - anchor) >>> 6);
        continue;
      }
      while (ip > anchor && ref > 0 && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }
      let len = MIN_MATCH;
      while (ip + len < matchEndLimit && src[ref + len] === src[ip + len]) len++;
      op = writeSequence(out, op, src, anchor, ip - anchor, ip - ref, len);
      ip += len;
      anchor = ip;
      if (ip - 2 >= 0 && ip - 2 < matchStartLimit) {
        table[Math.imul(read32(src, ip - 2), 2654435761) >>> (32 - HASH_LOG)] = ip - 2 + 1;
      }
    }
  }
  op = writeLastLiterals(out, op, src, anchor, n - anchor);
  return out.subarray(0, op);
}

function read32(a: Uint8Array, i: number): number {
  return a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16) | (a[i + 3]! << 24);
}

/** Writes a length continuation (the part beyond the nibble's 15) as 255-bytes plus a remainder. */
function writeLengthTail(out: Uint8Array, op: number, rest: number): number {
  while (rest >= 255) {
    out[op++] = 255;
    rest -= 255;
  }
  out[op++] = rest;
  return op;
}

function writeSequence(out: Uint8Array, op: number, src: Uint8Array, litStart: number, litLen: number, offset: number, matchLen: number): number {
  const m = matchLen - MIN_MATCH;
  const tokenAt = op++;
  out[tokenAt] = (Math.min(litLen, 15) << 4) | Math.min(m, 15);
  if (litLen >= 15) op = writeLengthTail(out, op, litLen - 15);
  copyBytes(src, litStart, litLen, out, op);
  op += litLen;
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  if (m >= 15) op = writeLengthTail(out, op, m - 15);
  return op;
}

function writeLastLiterals(out: Uint8Array, op: number, src: Uint8Array, litStart: number, litLen: number): number {
  out[op++] = Math.min(litLen, 15) << 4;
  if (litLen >= 15) op = writeLengthTail(out, op, litLen - 15);
  copyBytes(src, litStart, litLen, out, op);
  return op + litLen;
}

/** Short runs are copied byte by byte: a subarray view per literal costs more than the copy. */
function copyBytes(src: Uint8Array, from: number, len: number, out: Uint8Array, op: number): void {
  if (len < 16) {
    for (let i = 0; i < len; i++) out[op + i] = src[from + i]!;
  } else {
    out.set(src.subarray(from, from + len), op);
  }
}
