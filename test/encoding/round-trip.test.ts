/**
 * encode → decode round trips for every supported type × encoding (tsfile-format.md §8, §10) over
 * generated pages of 1, 8, 9, 128, 129, 130 and 10 001 values. Lossless encodings must give back
 * the same bits; lossy ones (the float wrapper, Java's NaN handling, SPRINTZ/RLBE on floats) are
 * compared with expectations computed independently here from the rules of §10.
 */
import { describe, expect, it } from 'vitest';
import { decodeTimes, decodeValues, encodeTimes, encodeValues } from '../../src/encoding/index.js';
import type { ColumnValues } from '../../src/encoding/types.js';
import { DataType as T, Encoding as E, encodingName } from '../../src/format/codes.js';
import { binary, strings } from './helpers.js';
import { booleanSets, doubleSets, floatSets, int32Sets, int64Sets, SIZES, stringSets } from './data.js';

/** Raw bit patterns of a float column (NaN payloads included), as numbers. */
function floatBits(v: Float32Array): number[] {
  return [...new Int32Array(v.buffer, v.byteOffset, v.length)];
}
function doubleBits(v: Float64Array): string[] {
  const w = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
  return Array.from({ length: v.length }, (_, i) => `${(w[2 * i + 1]! >>> 0).toString(16)}:${(w[2 * i]! >>> 0).toString(16)}`);
}
const canonicalF = (v: Float32Array) => Float32Array.from(v, (x) => (Number.isNaN(x) ? NaN : x));
const canonicalD = (v: Float64Array) => Float64Array.from(v, (x) => (Number.isNaN(x) ? NaN : x));

function roundTrip(encoding: E, type: T, values: ColumnValues): ColumnValues {
  const n = 'offsets' in values ? values.offsets.length - 1 : values.length;
  return decodeValues(encoding, type, encodeValues(encoding, type, values), n);
}

/** Java's `Math.round(v * 10^p)` as a long (saturating; NaN → 0), independently of the encoder. */
function javaRoundLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  const r = Math.round(x);
  if (r >= 2 ** 63) return 2n ** 63n - 1n;
  if (r <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(r);
}
const wrappedFloat = (v: Float32Array) => Float32Array.from(v, (x) => Number(BigInt.asIntN(32, javaRoundLong(x * 100))) / 100);
const wrappedDouble = (v: Float64Array) => Float64Array.from(v, (x) => Number(javaRoundLong(x * 100)) / 100);

/** GORILLA_V1 as the Java reader sees it: NaNs canonical, and a NaN after the first value repeats to the page end. */
function gorillaV1<A extends Float32Array | Float64Array>(v: A): A {
  const out = v.map((x) => (Number.isNaN(x) ? NaN : x)) as A;
  const stop = out.findIndex((x, i) => i > 0 && Number.isNaN(x));
  if (stop > 0) out.fill(NaN, stop);
  return out;
}

describe('round trips', () => {
  for (const n of SIZES) {
    describe(`${n} values`, () => {
      it('INT32 and DATE: every encoding is lossless', () => {
        for (const { name, values } of int32Sets(n)) {
          for (const enc of [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE]) {
            // SPRINTZ residuals of 2^31 and more are read back signed by Java's decoder [quirk]: extremes are lossy there.
            if (enc === E.SPRINTZ && name === 'extremes') continue;
            for (const type of [T.INT32, T.DATE]) {
              expect([...(roundTrip(enc, type, values) as Int32Array)], `${encodingName(enc)} ${name}`).toEqual([...values]);
            }
          }
        }
      });

      it('INT64 and TIMESTAMP: every encoding is lossless', () => {
        for (const { name, values } of int64Sets(n)) {
          for (const enc of [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE]) {
            if (enc === E.SPRINTZ && name === 'extremes') continue;
            for (const type of [T.INT64, T.TIMESTAMP]) {
              expect([...(roundTrip(enc, type, values) as BigInt64Array)], `${encodingName(enc)} ${name}`).toEqual([...values]);
            }
          }
        }
      });

      it('time columns: encodeTimes → decodeTimes for every int64 encoding', () => {
        for (const { name, values } of int64Sets(n)) {
          for (const enc of [E.PLAIN, E.RLE, E.TS_2DIFF, E.GORILLA, E.ZIGZAG, E.CHIMP, E.SPRINTZ, E.RLBE]) {
            if (enc === E.SPRINTZ && name === 'extremes') continue;
            // GORILLA and CHIMP time columns end at the first Long.MIN_VALUE [quirk]: only sentinel-free data.
            const end = values.indexOf(-(2n ** 63n));
            const expected = (enc === E.GORILLA || enc === E.CHIMP) && end >= 0 ? values.subarray(0, end) : values;
            const got = decodeTimes(enc, encodeTimes(enc, values), n + 1);
            expect([...got], `${encodingName(enc)} ${name}`).toEqual([...expected]);
          }
        }
      });

      it('FLOAT: lossless encodings keep every bit, lossy ones follow §10', () => {
        for (const { name, values } of floatSets(n)) {
          const bits = (enc: E) => floatBits(roundTrip(enc, T.FLOAT, values) as Float32Array);
          expect(bits(E.GORILLA), `GORILLA ${name}`).toEqual(floatBits(values));
          expect(bits(E.CHIMP), `CHIMP ${name}`).toEqual(floatBits(values));
          expect(bits(E.PLAIN), `PLAIN ${name}`).toEqual(floatBits(canonicalF(values)));
          expect(bits(E.GORILLA_V1), `GORILLA_V1 ${name}`).toEqual(floatBits(gorillaV1(values)));
          expect(bits(E.RLE), `RLE ${name}`).toEqual(floatBits(wrappedFloat(values)));
          expect(bits(E.TS_2DIFF), `TS_2DIFF ${name}`).toEqual(floatBits(wrappedFloat(values)));
          if (name === 'positive') expect(bits(E.SPRINTZ), `SPRINTZ ${name}`).toEqual(floatBits(values));
          if (name === 'dyadic') expect(bits(E.RLBE), `RLBE ${name}`).toEqual(floatBits(values));
        }
      });

      it('DOUBLE: lossless encodings keep every bit, lossy ones follow §10', () => {
        for (const { name, values } of doubleSets(n)) {
          const bits = (enc: E) => doubleBits(roundTrip(enc, T.DOUBLE, values) as Float64Array);
          expect(bits(E.GORILLA), `GORILLA ${name}`).toEqual(doubleBits(values));
          expect(bits(E.CHIMP), `CHIMP ${name}`).toEqual(doubleBits(values));
          expect(bits(E.PLAIN), `PLAIN ${name}`).toEqual(doubleBits(canonicalD(values)));
          expect(bits(E.GORILLA_V1), `GORILLA_V1 ${name}`).toEqual(doubleBits(gorillaV1(values)));
          expect(bits(E.RLE), `RLE ${name}`).toEqual(doubleBits(wrappedDouble(values)));
          expect(bits(E.TS_2DIFF), `TS_2DIFF ${name}`).toEqual(doubleBits(wrappedDouble(values)));
          if (name === 'positive') expect(bits(E.SPRINTZ), `SPRINTZ ${name}`).toEqual(doubleBits(values));
          if (name === 'dyadic') expect(bits(E.RLBE), `RLBE ${name}`).toEqual(doubleBits(values));
        }
      });

      it('BOOLEAN: PLAIN and RLE', () => {
        for (const { values } of booleanSets(n)) {
          for (const enc of [E.PLAIN, E.RLE]) expect([...(roundTrip(enc, T.BOOLEAN, values) as Uint8Array)]).toEqual([...values]);
        }
      });

      it('TEXT, STRING, BLOB: PLAIN and DICTIONARY', () => {
        for (const { name, values } of stringSets(n)) {
          const col = binary(values);
          for (const [enc, type] of [
            [E.PLAIN, T.TEXT],
            [E.PLAIN, T.STRING],
            [E.PLAIN, T.BLOB],
            [E.DICTIONARY, T.TEXT],
            [E.DICTIONARY, T.STRING],
          ] as const) {
            expect(strings(roundTrip(enc, type, col) as never), `${encodingName(enc)} ${name}`).toEqual(values);
          }
        }
      });
    });
  }

  it('the float wrapper honours maxPointNumber (0 and 5 digits)', () => {
    const v = Float64Array.of(1.23456789, -2.5, 1e-6);
    for (const p of [0, 5]) {
      const bytes = encodeValues(E.TS_2DIFF, T.DOUBLE, v, { maxPointNumber: p });
      expect(bytes[0]).toBe(p);
      const expected = v.map((x) => Number(javaRoundLong(x * 10 ** p)) / 10 ** p);
      expect([...(decodeValues(E.TS_2DIFF, T.DOUBLE, bytes, 3) as Float64Array)]).toEqual([...expected]);
    }
  });

  it('SPRINTZ reads residuals of 2^31 and more back signed, as the Java reader does [quirk]', () => {
    // err = 2^30 + 1 gives residual 2^31 + 1, which Java's decoder turns into a negative error.
    const values = Int32Array.of(0, 0x40000001, 0x40000001, 0x40000001, 0x40000001, 0x40000001, 0x40000001, 0x40000001, 0x40000001);
    const got = decodeValues(E.SPRINTZ, T.INT32, encodeValues(E.SPRINTZ, T.INT32, values), 9) as Int32Array;
    expect(got[0]).toBe(0);
    expect(got[1]).toBe((0x40000001 - 0x80000000) | 0);
  });

  it('decodes into a caller-given array (DecodeContext.into)', () => {
    const values = Float64Array.of(1.5, 2.5, -3);
    const into = new Float64Array(3);
    const got = decodeValues(E.GORILLA, T.DOUBLE, encodeValues(E.GORILLA, T.DOUBLE, values), 3, { into });
    expect(got).toBe(into);
    expect([...into]).toEqual([1.5, 2.5, -3]);
    const ints = new Int32Array(3);
    expect(decodeValues(E.ZIGZAG, T.INT32, encodeValues(E.ZIGZAG, T.INT32, Int32Array.of(7, -8, 9)), 3, { into: ints })).toBe(ints);
    expect([...ints]).toEqual([7, -8, 9]);
    const times = new BigInt64Array(10);
    const t = decodeTimes(E.TS_2DIFF, encodeTimes(E.TS_2DIFF, BigInt64Array.of(5n, 6n, 8n)), 10, { into: times });
    expect(t.buffer).toBe(times.buffer);
    expect([...t]).toEqual([5n, 6n, 8n]);
  });
});
