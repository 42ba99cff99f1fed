/** The dispatcher (tsfile-format.md §8 table): which encodings apply to which types, and argument checks. */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeTimes, encodeValues, supportsEncoding } from '../../src/encoding/index.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { ErrorCode } from '../../src/io/errors.js';
import { bytes, errorOf, hex } from './helpers.js';

const ALL_ENCODINGS = Object.values(E);

describe('supportsEncoding (§8)', () => {
  const table: [T[], E[]][] = [
    [[T.BOOLEAN], [E.PLAIN, E.RLE]],
    [[T.INT32, T.DATE, T.INT64, T.TIMESTAMP, T.VECTOR], [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE, E.REGULAR]],
    [[T.FLOAT, T.DOUBLE], [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA_V1, E.GORILLA, E.CHIMP, E.SPRINTZ, E.RLBE]],
    [[T.TEXT, T.STRING], [E.PLAIN, E.DICTIONARY]],
    [[T.BLOB], [E.PLAIN]],
  ];
  for (const [types, encodings] of table) {
    it(`types ${types.join(',')}: exactly ${encodings.length} encodings`, () => {
      for (const t of types) {
        for (const e of ALL_ENCODINGS) expect(supportsEncoding(t, e), `type ${t} encoding ${e}`).toBe(encodings.includes(e));
      }
    });
  }

  it('DIFF, BITMAP and FREQ are never supported, and give UNSUPPORTED', () => {
    for (const e of [E.DIFF, E.BITMAP, E.FREQ]) {
      for (const t of [T.INT32, T.INT64, T.FLOAT, T.DOUBLE]) expect(supportsEncoding(t, e)).toBe(false);
      errorOf(() => decodeValues(e, T.INT32, new Uint8Array(4), 1), ErrorCode.UNSUPPORTED);
      errorOf(() => decodeTimes(e, new Uint8Array(8), 1), ErrorCode.UNSUPPORTED);
      errorOf(() => encodeValues(e, T.INT64, new BigInt64Array(1)), ErrorCode.UNSUPPORTED);
    }
  });

  it('rejects encodings that do not apply to the type', () => {
    errorOf(() => decodeValues(E.GORILLA_V1, T.INT32, new Uint8Array(4), 1), ErrorCode.UNSUPPORTED);
    errorOf(() => decodeValues(E.DICTIONARY, T.BLOB, new Uint8Array(4), 1), ErrorCode.UNSUPPORTED);
    errorOf(() => encodeValues(E.TS_2DIFF, T.BOOLEAN, new Uint8Array(1)), ErrorCode.UNSUPPORTED);
    errorOf(() => decodeTimes(E.GORILLA_V1, new Uint8Array(8), 1), ErrorCode.UNSUPPORTED);
  });

  it('REGULAR decodes but does not encode', () => {
    expect([...(decodeValues(E.REGULAR, T.INT32, bytes('00 00 00 00 01 00 00 00 00 00 00 00 09'), 1) as Int32Array)]).toEqual([9]);
    errorOf(() => encodeValues(E.REGULAR, T.INT32, Int32Array.of(1)), ErrorCode.UNSUPPORTED);
  });
});

describe('arguments', () => {
  it('values must have the shape of the type', () => {
    errorOf(() => encodeValues(E.PLAIN, T.INT64, Int32Array.of(1)), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => encodeValues(E.PLAIN, T.TEXT, Int32Array.of(1)), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => encodeValues(E.PLAIN, T.FLOAT, Float64Array.of(1)), ErrorCode.INVALID_ARGUMENT);
  });

  it('counts must be non-negative integers', () => {
    errorOf(() => decodeValues(E.PLAIN, T.INT32, new Uint8Array(0), -1), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => decodeValues(E.PLAIN, T.INT32, new Uint8Array(0), 1.5), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => decodeTimes(E.TS_2DIFF, new Uint8Array(0), Number.NaN), ErrorCode.INVALID_ARGUMENT);
  });

  it('DecodeContext.into must fit the column', () => {
    errorOf(() => decodeValues(E.PLAIN, T.INT32, bytes('02'), 1, { into: new Int32Array(2) }), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => decodeValues(E.PLAIN, T.INT32, bytes('02'), 1, { into: new Float32Array(1) }), ErrorCode.INVALID_ARGUMENT);
    errorOf(() => decodeTimes(E.PLAIN, new Uint8Array(8), 1, { into: new Int32Array(2) }), ErrorCode.INVALID_ARGUMENT);
    // A time column larger than `into` gets a fresh array.
    const small = new BigInt64Array(1);
    const t = decodeTimes(E.PLAIN, new Uint8Array(16), 2, { into: small });
    expect(t.length).toBe(2);
    expect(t.buffer).not.toBe(small.buffer);
    // Every time encoding fills `into` when it is large enough.
    const big = new BigInt64Array(8);
    const g = decodeTimes(E.GORILLA, encodeTimes(E.GORILLA, BigInt64Array.of(4n, 5n)), 8, { into: big });
    expect(g.buffer).toBe(big.buffer);
    expect([...g]).toEqual([4n, 5n]);
  });

  it('a time column larger than maxCount is SIZE_LIMIT', () => {
    const b = encodeTimes(E.TS_2DIFF, BigInt64Array.from({ length: 300 }, (_, i) => BigInt(i)));
    errorOf(() => decodeTimes(E.TS_2DIFF, b, 299), ErrorCode.SIZE_LIMIT);
    errorOf(() => decodeTimes(E.PLAIN, new Uint8Array(24), 2), ErrorCode.SIZE_LIMIT);
    expect(decodeTimes(E.TS_2DIFF, b, 300).length).toBe(300);
  });

  it('encodeTimes uses the encoding it is given', () => {
    expect(hex(encodeTimes(E.PLAIN, BigInt64Array.of(1n)))).toBe('00 00 00 00 00 00 00 01');
  });
});
