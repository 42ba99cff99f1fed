/**
 * encodeValuesInto / encodeTimesInto (tsfile-format.md §10): appended to a writer that already
 * holds bytes, every type × encoding gives exactly encodeValues' bytes, on data with the extremes
 * and at sizes that cross block and group boundaries; the fast 32-bit-word bit packer agrees with
 * a bit-at-a-time reference.
 */
import { describe, expect, it } from 'vitest';
import { packInt64, packWords } from '../../src/encoding/bit-writer.js';
import { ByteWriter } from '../../src/encoding/byte-writer.js';
import { encodeTimes, encodeTimesInto, encodeValues, encodeValuesInto, supportsEncoding } from '../../src/encoding/index.js';
import type { ColumnValues } from '../../src/encoding/types.js';
import { DataType, dataTypeName, Encoding, encodingName } from '../../src/format/codes.js';
import { doubleSets, floatSets, int32Sets, int64Sets, rng, SIZES } from './data.js';
import { hex } from './helpers.js';

const PREFIX = Uint8Array.of(0xde, 0xad, 0xbe);

function appended(f: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(16);
  w.bytes(PREFIX);
  f(w);
  return w.toBytes();
}

function expected(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX.length + bytes.length);
  out.set(PREFIX);
  out.set(bytes, PREFIX.length);
  return out;
}

const ENCODINGS = [Encoding.PLAIN, Encoding.RLE, Encoding.TS_2DIFF, Encoding.GORILLA, Encoding.GORILLA_V1, Encoding.ZIGZAG, Encoding.CHIMP, Encoding.SPRINTZ, Encoding.RLBE];

describe('encodeValuesInto', () => {
  for (const n of SIZES) {
    const sets: [DataType, { name: string; values: ColumnValues }[]][] = [
      [DataType.INT32, int32Sets(n)],
      [DataType.INT64, int64Sets(n)],
      [DataType.FLOAT, floatSets(n)],
      [DataType.DOUBLE, doubleSets(n)],
    ];
    it(`gives encodeValues' bytes for every numeric type and encoding, ${n} values`, () => {
      let checked = 0;
      for (const [type, datasets] of sets) {
        for (const encoding of ENCODINGS) {
          if (!supportsEncoding(type, encoding)) continue;
          for (const d of datasets) {
            const want = expected(encodeValues(encoding, type, d.values));
            const got = appended((w) => encodeValuesInto(encoding, type, d.values, w));
            if (hex(got) !== hex(want)) expect(hex(got), `${dataTypeName(type)} ${encodingName(encoding)} ${d.name}`).toBe(hex(want));
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    });
  }

  it('encodeTimesInto gives encodeTimes bytes', () => {
    for (const d of int64Sets(10001)) {
      expect(hex(appended((w) => encodeTimesInto(Encoding.TS_2DIFF, d.values, w)))).toBe(hex(expected(encodeTimes(Encoding.TS_2DIFF, d.values))));
    }
  });

  it('refuses an encoding the type does not allow, like encodeValues', () => {
    expect(() => encodeValuesInto(Encoding.DICTIONARY, DataType.INT64, BigInt64Array.of(1n), new ByteWriter())).toThrow(/DICTIONARY|encoding/i);
  });
});

/** Reference packer: one bit at a time, MSB first, zero padding. */
function packSlow(values: number[], width: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * width) / 8));
  let bit = 0;
  for (const v of values) {
    for (let k = width - 1; k >= 0; k--) {
      const b = width - 1 - k >= 32 ? 0 : (v >>> k) & 1;
      if (b) out[bit >> 3]! |= 0x80 >> (bit & 7);
      bit++;
    }
  }
  return out;
}

describe('word-at-a-time bit packing', () => {
  it('packWords matches a bit-at-a-time packer for every width, count and stride', () => {
    const r = rng(7);
    for (let width = 1; width <= 32; width++) {
      for (const count of [1, 3, 8, 31, 33, 100]) {
        const values = Int32Array.from({ length: 2 * count }, () => (r() * 4294967296) | 0);
        const mask = width === 32 ? -1 : (1 << width) - 1;
        const picked = Array.from({ length: count }, (_, i) => values[2 * i + 1]! & mask);
        const w = new ByteWriter(4);
        w.u8(0x5a);
        packWords(values, 1, 2, count, width, w);
        expect(hex(w.toBytes()), `width ${width}, ${count} values`).toBe(hex(Uint8Array.of(0x5a, ...packSlow(picked, width))));
      }
    }
  });

  it('packInt64 packs wide values as high then low word', () => {
    const words = Int32Array.of(0x89abcdef | 0, 0x1234567, -1, 0x7fffffff);
    for (const width of [33, 40, 57, 64]) {
      const w = new ByteWriter();
      packInt64(words, 0, 2, width, w);
      const hiBits = width - 32;
      const hiMask = hiBits === 32 ? -1 : (1 << hiBits) - 1;
      // Reference: each value as hiBits bits of its high word, then its 32 low bits.
      const bits: number[] = [];
      for (let i = 0; i < 2; i++) {
        const hi = words[2 * i + 1]! & hiMask;
        for (let k = hiBits - 1; k >= 0; k--) bits.push((hi >>> k) & 1);
        for (let k = 31; k >= 0; k--) bits.push((words[2 * i]! >>> k) & 1);
      }
      const want = new Uint8Array(Math.ceil(bits.length / 8));
      bits.forEach((b, i) => (want[i >> 3]! |= b << (7 - (i & 7))));
      expect(hex(w.toBytes()), `width ${width}`).toBe(hex(want));
    }
  });
});
