/**
 * GZIP page bodies (tsfile-format.md §11, code 2): one complete gzip member (RFC 1952) as
 * java.util.zip.GZIPOutputStream writes it — header `1f 8b 08 …`, deflate data, CRC32 and ISIZE
 * trailer. The header's optional fields (name, comment, extra, header CRC) depend on the writer
 * and are all accepted. Inflate is fflate's; the ISIZE and CRC32 checks are ours, because fflate
 * neither verifies the CRC nor reports an output larger than the buffer it was given.
 */
import { gunzipSync, gzipSync } from 'fflate';
import { asDecompressionError, checkPlausibleSize, corruptStream } from './codec-error.js';
import { crc32 } from './crc.js';

const FORMAT = 'gzip member';
/** Deflate's best case is about 1032 output bytes per input byte. */
const MAX_RATIO = 1032;

function readU32LE(a: Uint8Array, i: number): number {
  return (a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16)) + a[i + 3]! * 16777216;
}

/**
 * Checks the member's magic and that its ISIZE trailer equals the page header's size (mod 2^32),
 * before anything is allocated.
 */
export function checkGzipMember(src: Uint8Array, uncompressedSize: number): void {
  if (src.length < 18) throw corruptStream(FORMAT, 'too short for a gzip header and trailer', 0, 'at least 18 bytes', `${src.length} bytes`);
  if (src[0] !== 0x1f || src[1] !== 0x8b || src[2] !== 0x08) {
    throw corruptStream(FORMAT, 'not a gzip member with deflate data', 0, '1f 8b 08', `${src[0]} ${src[1]} ${src[2]}`);
  }
  const isize = readU32LE(src, src.length - 4);
  if (isize !== uncompressedSize % 2 ** 32) {
    throw corruptStream(FORMAT, 'ISIZE trailer disagrees with the page header', src.length - 4, `${uncompressedSize} bytes`, `${isize} bytes`);
  }
  checkPlausibleSize(FORMAT, src.length, uncompressedSize, MAX_RATIO);
}

/** Inflates one gzip member into exactly `uncompressedSize` bytes and verifies its CRC32. */
export function decodeGzipMember(src: Uint8Array, uncompressedSize: number): Uint8Array {
  checkGzipMember(src, uncompressedSize);
  let out: Uint8Array;
  try {
    out = gunzipSync(src, { out: new Uint8Array(uncompressedSize) });
  } catch (e) {
    throw asDecompressionError(FORMAT, e);
  }
  if (out.length !== uncompressedSize) {
    throw corruptStream(FORMAT, 'deflate data decodes to the wrong size', undefined, `${uncompressedSize} bytes`, `${out.length} bytes`);
  }
  const expectedCrc = readU32LE(src, src.length - 8);
  const actualCrc = crc32(out);
  if (actualCrc !== expectedCrc) {
    throw corruptStream(FORMAT, 'CRC32 mismatch', src.length - 8, expectedCrc.toString(16), actualCrc.toString(16));
  }
  return out;
}

/** Compresses `src` as one gzip member at deflate level 6 (what GZIPOutputStream uses). */
export function encodeGzipMember(src: Uint8Array): Uint8Array {
  return gzipSync(src, { level: 6 });
}
