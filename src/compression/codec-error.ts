/**
 * The one way a pure codec reports a corrupt or implausible stream (tsfile-format.md §11): a
 * TsFileError(DECOMPRESSION_FAILED) whose message names the stream format and the byte position
 * inside the compressed page body. `decompressPage` adds the file and the page's file offset.
 */
import { ErrorCode, TsFileError, isTsFileError } from '../io/errors.js';

/** Builds the error a decoder throws; `at` is the position inside the compressed body. */
export function corruptStream(format: string, problem: string, at?: number, expected?: string, actual?: string): TsFileError {
  const where = at === undefined ? '' : ` at byte ${at} of the compressed body`;
  return new TsFileError(ErrorCode.DECOMPRESSION_FAILED, `${format}: ${problem}${where}`, { expected, actual });
}

/** Turns whatever a third-party decoder threw into the DECOMPRESSION_FAILED error (ours pass through). */
export function asDecompressionError(format: string, e: unknown): TsFileError {
  if (isTsFileError(e)) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new TsFileError(ErrorCode.DECOMPRESSION_FAILED, `${format}: the decoder rejected the stream (${reason})`, { cause: e });
}

/**
 * Rejects an uncompressed size that the compressed length cannot possibly produce, before any
 * buffer of that size is allocated: `maxRatio` is the format's largest output-per-input-byte.
 */
export function checkPlausibleSize(format: string, compressedLength: number, uncompressedSize: number, maxRatio: number, slack = 64): void {
  if (!Number.isSafeInteger(uncompressedSize) || uncompressedSize < 0) {
    throw corruptStream(format, 'invalid uncompressed size', undefined, 'a non-negative integer', String(uncompressedSize));
  }
  const limit = compressedLength * maxRatio + slack;
  if (uncompressedSize > limit) {
    throw corruptStream(
      format,
      'uncompressed size is larger than the compressed length can encode',
      undefined,
      `at most ${limit} bytes from ${compressedLength} compressed bytes`,
      `${uncompressedSize} bytes`,
    );
  }
}
