/**
 * Every byte example of tsfile-format.md §10 (and §1.6), in both directions: the encoder must
 * produce exactly the bytes the Java reference produced, and the decoder must read them back.
 */
import { describe, expect, it } from 'vitest';
import { packInt32 } from '../../src/encoding/bit-writer.js';
import { unpackInt32 } from '../../src/encoding/bit-reader.js';
import { ByteWriter } from '../../src/encoding/byte-writer.js';
import { decodeTimes, decodeValues, encodeValues } from '../../src/encoding/index.js';
import type { ColumnValues } from '../../src/encoding/types.js';
import { DataType as T, Encoding as E } from '../../src/format/codes.js';
import { binary, bytes, hex, strings } from './helpers.js';

interface Example {
  name: string;
  encoding: E;
  type: T;
  values: ColumnValues;
  hex: string;
  /** Decode-only (REGULAR). */
  decodeOnly?: boolean;
}

const seq = (n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));

const examples: Example[] = [
  { name: '§10.2 PLAIN INT32 is a zig-zag varint', encoding: E.PLAIN, type: T.INT32, values: Int32Array.of(0, 1, -1, 64, -65), hex: '00 02 01 80 01 81 01' },
  { name: '§10.2 PLAIN TEXT', encoding: E.PLAIN, type: T.TEXT, values: binary(['ab', 'c']), hex: '04 61 62 02 63' },
  { name: '§10.3.3 RLE 1 2 3', encoding: E.RLE, type: T.INT32, values: Int32Array.of(1, 2, 3), hex: '05 02 03 03 6c 00' },
  { name: '§10.3.3 RLE 7 x10', encoding: E.RLE, type: T.INT32, values: new Int32Array(10).fill(7), hex: '03 03 14 07' },
  {
    name: '§10.3.3 RLE 1 2 7x12 3',
    encoding: E.RLE,
    type: T.INT32,
    values: Int32Array.of(1, 2, ...new Array<number>(12).fill(7), 3),
    hex: '09 03 05 07 2b ff ff ff ff d8',
  },
  { name: '§10.3.3 RLE BOOLEAN', encoding: E.RLE, type: T.BOOLEAN, values: Uint8Array.of(1, 0, 1), hex: '04 01 03 03 a0' },
  { name: '§10.3.3 RLE INT64 run value is big-endian', encoding: E.RLE, type: T.INT64, values: new BigInt64Array(9).fill(300n), hex: '04 09 12 01 2c' },
  {
    name: '§10.3.4 TS_2DIFF FLOAT through the float wrapper',
    encoding: E.TS_2DIFF,
    type: T.FLOAT,
    values: Float32Array.of(1.5, 2.25),
    hex: '02 00 00 00 01 00 00 00 00 00 00 00 4b 00 00 00 96',
  },
  {
    name: '§10.4 TS_2DIFF INT32',
    encoding: E.TS_2DIFF,
    type: T.INT32,
    values: Int32Array.of(10, 12, 15, 13),
    hex: '00 00 00 03 | 00 00 00 03 | ff ff ff fe | 00 00 00 0a | 94 00',
  },
  {
    name: '§10.4 TS_2DIFF INT64',
    encoding: E.TS_2DIFF,
    type: T.INT64,
    values: BigInt64Array.of(1000n, 2000n, 3000n, 4100n),
    hex: '00 00 00 03 | 00 00 00 07 | 00 00 00 00 00 00 03 e8 | 00 00 00 00 00 00 03 e8 | 00 03 20',
  },
  {
    name: '§10.4 TS_2DIFF single value: minDelta is Long.MAX_VALUE',
    encoding: E.TS_2DIFF,
    type: T.INT64,
    values: BigInt64Array.of(5n),
    hex: '00 00 00 00 | 00 00 00 00 | 7f ff ff ff ff ff ff ff | 00 00 00 00 00 00 00 05',
  },
  { name: '§10.5 GORILLA INT32', encoding: E.GORILLA, type: T.INT32, values: Int32Array.of(1, 1, 3), hex: '00 00 00 01 7e 07 07 e0 00 00 00 c0' },
  { name: '§10.5 GORILLA FLOAT', encoding: E.GORILLA, type: T.FLOAT, values: Float32Array.of(1, 1, 2), hex: '3f 80 00 00 61 3f fe 23 ff 80' },
  { name: '§10.5 GORILLA DOUBLE', encoding: E.GORILLA, type: T.DOUBLE, values: Float64Array.of(1, 2), hex: '3f f0 00 00 00 00 00 00 c1 2b ff e1 15 ff c0' },
  { name: '§10.6 GORILLA_V1 FLOAT', encoding: E.GORILLA_V1, type: T.FLOAT, values: Float32Array.of(1, 1, 2), hex: '00 00 80 3f 61 23 ff 11 1f e0' },
  { name: '§10.7 DICTIONARY', encoding: E.DICTIONARY, type: T.TEXT, values: binary(['ab', 'c', 'ab']), hex: '04 | 04 61 62 | 02 63 | 04 01 03 03 40' },
  { name: '§10.8 ZIGZAG INT32', encoding: E.ZIGZAG, type: T.INT32, values: Int32Array.of(1, -1, 300), hex: '04 03 02 01 d8 04' },
  { name: '§10.8 ZIGZAG INT64 gives the same bytes', encoding: E.ZIGZAG, type: T.INT64, values: BigInt64Array.of(1n, -1n, 300n), hex: '04 03 02 01 d8 04' },
  { name: '§10.10 SPRINTZ INT32 1..11', encoding: E.SPRINTZ, type: T.INT32, values: seq(11, (i) => i + 1), hex: '01 01 ff | 82 07 04 03 02 ab 00 00 00' },
  { name: '§10.11 RLBE INT32', encoding: E.RLBE, type: T.INT32, values: Int32Array.of(1, 2, 3, 5), hex: '00 00 00 04 04 f8 5c' },
  {
    name: '§10.12 REGULAR INT32 (decode only)',
    encoding: E.REGULAR,
    type: T.INT32,
    values: Int32Array.of(10, 20, 30, 50),
    hex: '01 00 00 00 01 17 00 00 00 05 00 00 00 0a 00 00 00 0a',
    decodeOnly: true,
  },
];

function count(v: ColumnValues): number {
  return 'offsets' in v ? v.offsets.length - 1 : v.length;
}

describe('tsfile-format.md §10 byte examples', () => {
  for (const ex of examples) {
    if (!ex.decodeOnly) {
      it(`${ex.name}: encodes to the Java bytes`, () => {
        expect(hex(encodeValues(ex.encoding, ex.type, ex.values))).toBe(hex(bytes(ex.hex)));
      });
    }
    it(`${ex.name}: decodes back`, () => {
      const got = decodeValues(ex.encoding, ex.type, bytes(ex.hex), count(ex.values));
      if ('offsets' in ex.values) expect(strings(got as never)).toEqual(strings(ex.values));
      else expect(got).toEqual(ex.values);
    });
  }

  it('§10.4 TS_2DIFF INT64 example as a time column', () => {
    const times = decodeTimes(E.TS_2DIFF, bytes(examples[9]!.hex), 100);
    expect(times).toEqual(BigInt64Array.of(1000n, 2000n, 3000n, 4100n));
  });

  it('§1.6 bit order: width 3, values 5 4 7 3 0 1 3 2 → b3 b0 5a', () => {
    const w = new ByteWriter();
    packInt32(Int32Array.of(5, 4, 7, 3, 0, 1, 3, 2), 0, 8, 3, w);
    expect(hex(w.toBytes())).toBe('b3 b0 5a');
    const out = new Int32Array(8);
    unpackInt32(bytes('b3 b0 5a'), 0, 3, 8, out, 0);
    expect([...out]).toEqual([5, 4, 7, 3, 0, 1, 3, 2]);
  });

  it('§1.6 bit order at an unaligned start inside a larger buffer', () => {
    const src = bytes('ff b3 b0 5a ff');
    const out = new Int32Array(8);
    unpackInt32(src.subarray(1, 4), 0, 3, 8, out, 0);
    expect([...out]).toEqual([5, 4, 7, 3, 0, 1, 3, 2]);
  });

  it('§1.2/§1.3 varint examples', () => {
    const w = new ByteWriter();
    for (const v of [0, 1, 127, 128, 256, 300, 16384]) w.uvarint(v);
    expect(hex(w.toBytes())).toBe('00 01 7f 80 01 80 02 ac 02 80 80 01');
    const z = new ByteWriter();
    for (const v of [0, 1, -1, 2, 64, -65, 2147483647, -2147483648]) z.svarint(v);
    expect(hex(z.toBytes())).toBe('00 02 01 04 80 01 81 01 fe ff ff ff 0f ff ff ff ff 0f');
  });
});
