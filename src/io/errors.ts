/**
 * The one error catalogue of tsfile-arrow. Every failure the library raises on purpose is a
 * `TsFileError` with a stable `code`, so callers can branch on it; the message says which file,
 * which byte offset, what was expected and what was found.
 */

export const ErrorCode = {
  /** The bytes do not start/end with the "TsFile" magic. */
  NOT_A_TSFILE: 'NOT_A_TSFILE',
  /** The file starts like a TsFile but has no footer (its writer did not finish): `tsfile recover` repairs it. */
  INCOMPLETE: 'INCOMPLETE',
  /** A version byte other than 3 or 4. */
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  /** A read ran past the end of the file, a page, or a metadata region. */
  TRUNCATED: 'TRUNCATED',
  /** A structure decoded to something impossible (bad marker, inconsistent sizes, ...). */
  CORRUPT: 'CORRUPT',
  /** A size or count in a header exceeds what the file or a configured limit allows. */
  SIZE_LIMIT: 'SIZE_LIMIT',
  /** An enumeration code (type, encoding, compression, node type) that is not defined. */
  UNKNOWN_CODE: 'UNKNOWN_CODE',
  /** A defined feature this build does not implement (DIFF/BITMAP/FREQ, LZO, encryption...). */
  UNSUPPORTED: 'UNSUPPORTED',
  /** A compressed page failed to decompress or decompressed to the wrong size. */
  DECOMPRESSION_FAILED: 'DECOMPRESSION_FAILED',
  /** An encoded column could not be decoded (stream ended early, count mismatch, ...). */
  DECODE_FAILED: 'DECODE_FAILED',
  /** A device or series that does not exist in the file. */
  NOT_FOUND: 'NOT_FOUND',
  /** A caller passed an invalid argument or option. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The file was closed. */
  CLOSED: 'CLOSED',
  /** An I/O error of the underlying byte source. */
  IO: 'IO',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Where in which file a problem was found, and what was expected there. */
export interface ErrorDetails {
  /** The file path or a label of the byte source. */
  file?: string;
  /** Absolute byte offset in the file (or in the named region) where the problem was found. */
  offset?: number;
  /** What the reader expected. */
  expected?: string;
  /** What it found instead. */
  actual?: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

export class TsFileError extends Error {
  override readonly name = 'TsFileError';
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  /** The message without the details appended (what went wrong, in a few words). */
  readonly what: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(formatMessage(message, details), details.cause === undefined ? undefined : { cause: details.cause });
    this.what = message;
    this.code = code;
    this.file = details.file;
    this.offset = details.offset;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}

function formatMessage(message: string, d: ErrorDetails): string {
  const parts: string[] = [message];
  if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
  if (d.actual !== undefined) parts.push(`got ${d.actual}`);
  const where: string[] = [];
  if (d.file !== undefined) where.push(d.file);
  if (d.offset !== undefined) where.push(`offset ${d.offset}`);
  return where.length > 0 ? `${parts.join('; ')} (${where.join(', ')})` : parts.join('; ');
}

/** True when `e` is a TsFileError, optionally of the given code. */
export function isTsFileError(e: unknown, code?: ErrorCode): e is TsFileError {
  return e instanceof TsFileError && (code === undefined || e.code === code);
}

/** The error cancellation rejects with (same name as the DOM's, so `err.name === 'AbortError'` works). */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Throws an AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
}
