/**
 * Bad input never hangs, crashes or allocates by an unchecked field (tsfile-format.md §10): every
 * truncation of a valid stream is DECODE_FAILED (or, when only padding was cut, the same values),
 * random bit flips give values or a TsFileError, and streams whose fields claim absurd counts fail
 * fast. Every test runs under a short timeout so a loop that does not end fails instead of hanging.
 */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeValues, supportsEncoding } from '../../src/encoding/index.js';
import type { ColumnValues } from '../../src/encoding/types.js';
import { DataType as T, Encoding as E, dataTypeName, encodingName } from '../../src/format/codes.js';
import { ErrorCode, TsFileError, isTsFileError } from '../../src/io/errors.js';
import { binary, bytes, errorOf } from './helpers.js';
import { doubleSets, floatSets, int32Sets, int64Sets, rng } from './data.js';

const TIMEOUT = 5000;
const N = 130;

const samples: [T, ColumnValues][] = [
  [T.BOOLEAN, Uint8Array.from({ length: N }, (_, i) => (i * 7) % 3 & 1)],
  [T.INT32, int32Sets(N)[1]!.values],
  [T.INT64, int64Sets(N)[1]!.values],
  [T.FLOAT, floatSets(N)[2]!.values],
  [T.DOUBLE, doubleSets(N)[1]!.values],
  [T.TEXT, binary(Array.from({ length: N }, (_, i) => `s${i % 17}é`))],
];
const encodings = [E.PLAIN, E.DICTIONARY, E.RLE, E.TS_2DIFF, E.GORILLA_V1, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE];

function sameValues(a: ColumnValues, b: ColumnValues): boolean {
  if ('offsets' in a || 'offsets' in b) return JSON.stringify(a) === JSON.stringify(b);
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}

/** Decodes and classifies the outcome; anything but a TsFileError of an allowed code is rethrown. */
function attempt(fn: () => ColumnValues, allowed: ErrorCode[]): ColumnValues | TsFileError {
  try {
    return fn();
  } catch (e) {
    if (isTsFileError(e) && allowed.includes(e.code)) return e;
    throw e;
  }
}

describe('corrupt and truncated streams', () => {
  for (const [type, values] of samples) {
    for (const enc of encodings) {
      if (!supportsEncoding(type, enc)) continue;
      const label = `${dataTypeName(type)}/${encodingName(enc)}`;
      const good = encodeValues(enc, type, values);
      const decodeCut = (src: Uint8Array) => decodeValues(enc, type, src, N, { file: 'test.tsfile', offset: 1000 });

      it(
        `${label}: every truncation fails with DECODE_FAILED or loses only padding`,
        () => {
          for (let cut = 0; cut < good.length; cut++) {
            const r = attempt(() => decodeCut(good.subarray(0, cut)), [ErrorCode.DECODE_FAILED]);
            if (r instanceof TsFileError) {
              expect(r.file).toBe('test.tsfile');
              expect(r.offset).toBeGreaterThanOrEqual(1000);
            } else {
              expect(sameValues(r, values), `cut at ${cut} of ${good.length} decoded to other values`).toBe(true);
              expect(good.length - cut, 'only a trailing padding byte may go unnoticed').toBe(1);
            }
          }
        },
        TIMEOUT,
      );

      it(
        `${label}: random bit flips give values or DECODE_FAILED`,
        () => {
          const r = rng(good.length);
          for (let round = 0; round < 300; round++) {
            const bad = good.slice();
            for (let k = 0; k < 1 + (round % 3); k++) bad[Math.floor(r() * bad.length)]! ^= 1 << Math.floor(r() * 8);
            attempt(() => decodeCut(bad), [ErrorCode.DECODE_FAILED]);
            attempt(() => decodeCut(Uint8Array.from({ length: 1 + (round % 40) }, () => Math.floor(r() * 256))), [ErrorCode.DECODE_FAILED]);
          }
        },
        TIMEOUT,
      );

      it(
        `${label}: a count that does not match the stream is DECODE_FAILED`,
        () => {
          errorOf(() => decodeValues(enc, type, good, N - 1), ErrorCode.DECODE_FAILED);
          if (enc === E.GORILLA || enc === E.CHIMP || enc === E.GORILLA_V1) {
            // The zero padding after the end marker reads as "same value again", so one more value
            // than written is indistinguishable from a page ending in the end marker: that is all it may give.
            const r = attempt(() => decodeValues(enc, type, good, N + 1), [ErrorCode.DECODE_FAILED]);
            if (!(r instanceof TsFileError)) {
              const last = (r as Int32Array | BigInt64Array | Float64Array)[N]!;
              expect(typeof last === 'number' && Number.isNaN(last) ? 'end marker' : last).toBeOneOf(['end marker', -0x80000000, -(2n ** 63n)]);
            }
          } else errorOf(() => decodeValues(enc, type, good, N + 1), ErrorCode.DECODE_FAILED);
        },
        TIMEOUT,
      );
    }
  }

  it(
    'time columns: flips and garbage give times, DECODE_FAILED or SIZE_LIMIT',
    () => {
      const times = int64Sets(300)[1]!.values;
      const r = rng(7);
      for (const enc of [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE, E.REGULAR]) {
        const good = enc === E.REGULAR ? bytes('00 00 00 00 05 00 00 00 00 00 00 00 0a 00 00 00 00 00 00 00 01') : encodeValues(enc, T.INT64, times);
        for (let round = 0; round < 200; round++) {
          const bad = good.slice();
          bad[Math.floor(r() * bad.length)]! ^= 1 << Math.floor(r() * 8);
          attempt(() => decodeTimes(enc, bad, 1000), [ErrorCode.DECODE_FAILED, ErrorCode.SIZE_LIMIT]);
          attempt(() => decodeTimes(enc, bad.subarray(0, Math.floor(r() * bad.length)), 1000), [ErrorCode.DECODE_FAILED, ErrorCode.SIZE_LIMIT]);
        }
      }
    },
    TIMEOUT * 4,
  );
});

describe('fields that claim absurd sizes fail before allocating', () => {
  const big = 'ff ff ff 7f';
  it(
    'TS_2DIFF block of 2^31-1 deltas of width 0',
    () => {
      const src = bytes(`7f ff ff ff 00 00 00 00 ${'00 '.repeat(16)}`);
      errorOf(() => decodeValues(E.TS_2DIFF, T.INT64, src, 10), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.TS_2DIFF, src, 1_000_000), ErrorCode.SIZE_LIMIT);
      errorOf(() => decodeValues(E.TS_2DIFF, T.INT32, bytes(`7f ff ff ff 00 00 00 00 ${'00 '.repeat(8)}`), 10), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it(
    'TS_2DIFF block whose packed deltas are missing, or whose width is impossible',
    () => {
      errorOf(() => decodeTimes(E.TS_2DIFF, bytes(`00 00 00 08 00 00 00 40 ${'00 '.repeat(16)}`), 100), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.TS_2DIFF, bytes(`00 00 00 02 00 00 00 41 ${'00 '.repeat(32)}`), 100), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.TS_2DIFF, bytes(`ff ff ff ff 00 00 00 00 ${'00 '.repeat(16)}`), 100), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it(
    'DICTIONARY entry count larger than the stream',
    () => {
      errorOf(() => decodeValues(E.DICTIONARY, T.TEXT, bytes(`fe ff ff ff 07 02 61`), 1), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.DICTIONARY, T.TEXT, bytes(`02 7e 61`), 1), ErrorCode.DECODE_FAILED);
      // A valid dictionary whose index points past it.
      errorOf(() => decodeValues(E.DICTIONARY, T.TEXT, bytes('02 02 61 04 01 03 01 80'), 1), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it(
    'RLE runs longer than the page',
    () => {
      // RLE run of 2^30 values, bit-packed run of 2^30 groups.
      errorOf(() => decodeValues(E.RLE, T.INT32, bytes('07 01 80 80 80 80 08 01 00'), 10), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.RLE, bytes('07 01 80 80 80 80 08 01 00'), 1000), ErrorCode.SIZE_LIMIT);
      errorOf(() => decodeValues(E.RLE, T.INT32, bytes('08 01 81 80 80 80 08 08 ff'), 10), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.RLE, T.INT64, bytes('03 41 02 00'), 1), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.RLE, T.INT32, bytes(`ff ff ff ff 0f 01`), 1), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it(
    'ZIGZAG, RLBE, REGULAR, SPRINTZ headers with absurd counts',
    () => {
      errorOf(() => decodeValues(E.ZIGZAG, T.INT32, bytes(`02 ${big.replace(/ /g, ' ')} 07 00 00`), 3), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.ZIGZAG, bytes(`02 ff ff ff 7f 00 00`), 100), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.RLBE, T.INT32, bytes(`7f ff ff ff 04 f8 5c`), 4), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.RLBE, bytes(`7f ff ff ff 04 f8 5c`), 100), ErrorCode.SIZE_LIMIT);
      // Fibonacci run length that never ends (all ones after a code length).
      errorOf(() => decodeValues(E.RLBE, T.INT32, bytes(`00 00 00 04 07 ff ff ff ff ff ff ff ff ff ff ff ff`), 4), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.REGULAR, T.INT32, bytes(`00 7f ff ff ff 00 00 00 01 00 00 00 00`), 5), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.REGULAR, bytes(`00 7f ff ff ff ${'00 '.repeat(16)}`), 100), ErrorCode.SIZE_LIMIT);
      errorOf(() => decodeValues(E.SPRINTZ, T.INT32, bytes(`80 00`), 1), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeValues(E.SPRINTZ, T.INT32, bytes(`21 00 00`), 9), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it(
    'a GORILLA or CHIMP time column without its end marker stops at the end of the stream',
    () => {
      errorOf(() => decodeTimes(E.GORILLA, new Uint8Array(4096), 1 << 30), ErrorCode.DECODE_FAILED);
      errorOf(() => decodeTimes(E.GORILLA, new Uint8Array(4096), 1000), ErrorCode.SIZE_LIMIT);
      errorOf(() => decodeTimes(E.CHIMP, new Uint8Array(4096), 1 << 30), ErrorCode.DECODE_FAILED);
      // '10' before any '11' has no window to reuse.
      errorOf(() => decodeValues(E.GORILLA, T.INT32, bytes('00 00 00 01 80 00 00 00 00'), 2), ErrorCode.DECODE_FAILED);
    },
    TIMEOUT,
  );

  it('errors name the file and the absolute offset of the problem', () => {
    const e = errorOf(
      () => decodeValues(E.TS_2DIFF, T.INT32, bytes('00 00 00 03 00 00 00 03 ff ff ff fe 00 00 00 0a 94'), 4, { file: 'f.tsfile', offset: 500, what: 'root.sg.d1.s1 page 0' }),
      ErrorCode.DECODE_FAILED,
    ) as TsFileError;
    expect(e.file).toBe('f.tsfile');
    expect(e.offset).toBe(516);
    expect(e.message).toContain('root.sg.d1.s1 page 0');
    expect(e.expected).toBe('2 bytes');
    expect(e.actual).toBe('1 bytes');
  });
});
