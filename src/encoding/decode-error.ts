/**
 * Error helpers shared by every encoding (tsfile-format.md §10): a stream that ends early, holds a
 * count that does not match, or decodes to something impossible is DECODE_FAILED; an encoding the
 * format defines but no implementation can decode (or a type it does not apply to) is UNSUPPORTED.
 */
import { dataTypeName, encodingName } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { DecodeContext } from './types.js';

/** A DECODE_FAILED error at byte `pos` of the stream described by `ctx`. */
export function decodeFailed(
  ctx: DecodeContext | undefined,
  message: string,
  pos: number,
  expected?: string,
  actual?: string,
): TsFileError {
  const what = ctx?.what === undefined ? message : `${ctx.what}: ${message}`;
  const offset = ctx?.offset === undefined ? undefined : ctx.offset + pos;
  return new TsFileError(ErrorCode.DECODE_FAILED, `${what} (stream byte ${pos})`, {
    file: ctx?.file,
    offset,
    expected,
    actual,
  });
}

/** The stream ended before `expected` values/bytes could be read. */
export function streamEnded(ctx: DecodeContext | undefined, what: string, pos: number, expected: string, actual: string): TsFileError {
  return decodeFailed(ctx, `${what}: stream ends early`, pos, expected, actual);
}

/** A decoded value count that differs from the one the page promises. */
export function countMismatch(ctx: DecodeContext | undefined, what: string, pos: number, expected: number, actual: number): TsFileError {
  return decodeFailed(ctx, `${what}: value count does not match`, pos, `${expected} values`, `${actual} values`);
}

/** Bytes left over after the promised values were decoded. */
export function trailingBytes(ctx: DecodeContext | undefined, what: string, pos: number, left: number): TsFileError {
  return decodeFailed(ctx, `${what}: bytes left after the last value`, pos, 'end of stream', `${left} more bytes`);
}

export function unsupportedEncoding(encoding: number, type: number, detail = ''): TsFileError {
  return new TsFileError(
    ErrorCode.UNSUPPORTED,
    `encoding ${encodingName(encoding)} is not supported for data type ${dataTypeName(type)}${detail}`,
    { expected: 'an encoding listed for the type in tsfile-format.md §8', actual: `${encodingName(encoding)}/${dataTypeName(type)}` },
  );
}

/** A time column that holds more values than the caller allows. */
export function tooManyValues(ctx: DecodeContext | undefined, what: string, limit: number, claimed: number): TsFileError {
  return new TsFileError(ErrorCode.SIZE_LIMIT, `${ctx?.what === undefined ? what : `${ctx.what}: ${what}`} holds more values than allowed`, {
    file: ctx?.file,
    offset: ctx?.offset,
    expected: `at most ${limit} values`,
    actual: `${claimed} values`,
  });
}

/** A caller handed values of the wrong shape or an impossible option to an encoder. */
export function invalidInput(message: string, expected?: string, actual?: string): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, message, { expected, actual });
}
