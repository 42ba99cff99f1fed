/** The shared bit, byte and 64-bit helpers (tsfile-format.md §1.2, §1.3, §1.6). */
import { describe, expect, it } from 'vitest';
import { BitReader, readBitsAt, unpackInt32, unpackInt64 } from '../../src/encoding/bit-reader.js';
import { BitWriter, packInt32, packInt64 } from '../../src/encoding/bit-writer.js';
import { ByteReader } from '../../src/encoding/byte-reader.js';
import { ByteWriter } from '../../src/encoding/byte-writer.js';
import { clz64, ctz64, int64ToNumber, roundToInt32Bits, storeRoundedInt64 } from '../../src/encoding/int64.js';
import { rng } from './data.js';

describe('bit streams', () => {
  it('BitWriter and BitReader agree for every width 1..32 at every alignment', () => {
    const r = rng(1);
    const w = new BitWriter();
    const items: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const width = 1 + Math.floor(r() * 32);
      const v = (r() * 4294967296) | 0;
      items.push([v, width]);
      w.write(v, width);
    }
    w.alignToByte();
    const br = new BitReader(w.out.toBytes());
    for (const [v, width] of items) {
      const mask = width === 32 ? -1 : (1 << width) - 1;
      expect(br.read(width)).toBe(v & mask | 0);
    }
    expect(br.overrun()).toBe(false);
  });

  it('unpackInt32/unpackInt64 read what packInt32/packInt64 wrote, up to the last byte', () => {
    const r = rng(2);
    for (let width = 1; width <= 64; width++) {
      for (const n of [1, 7, 8, 9, 33]) {
        const words = Int32Array.from({ length: 2 * n }, () => (r() * 4294967296) | 0);
        for (let i = 0; i < n; i++) {
          if (width <= 32) words[2 * i + 1] = 0;
          else words[2 * i + 1]! &= width === 64 ? -1 : (1 << (width - 32)) - 1;
          if (width < 32) words[2 * i]! &= (1 << width) - 1;
        }
        const out = new ByteWriter();
        packInt64(words, 0, n, width, out);
        const packed = out.toBytes();
        expect(packed.length).toBe(Math.ceil((n * width) / 8));
        const back = new Int32Array(2 * n);
        unpackInt64(packed, 0, width, n, back, 0);
        expect([...back], `width ${width} n ${n}`).toEqual([...words]);
        if (width <= 32) {
          const lows = Int32Array.from({ length: n }, (_, i) => words[2 * i]!);
          const o2 = new ByteWriter();
          packInt32(lows, 0, n, width, o2);
          const b2 = new Int32Array(n);
          unpackInt32(o2.toBytes(), 0, width, n, b2, 0);
          expect([...b2]).toEqual([...lows]);
        }
      }
    }
  });

  it('reads past the end as zero bits', () => {
    expect(readBitsAt(Uint8Array.of(0xff), 4, 8)).toBe(0xf0);
    const br = new BitReader(Uint8Array.of(0x80));
    expect(br.read(12)).toBe(0x800);
    expect(br.overrun()).toBe(true);
  });
});

describe('varints', () => {
  it('64-bit unsigned varints round-trip at every bit length', () => {
    for (let bits = 0; bits <= 64; bits++) {
      const v = bits === 0 ? 0n : (1n << BigInt(bits)) - 1n;
      const hi = Number(BigInt.asIntN(32, v >> 32n));
      const lo = Number(BigInt.asIntN(32, v));
      const w = new ByteWriter();
      w.uvarint64(hi, lo);
      const b = w.toBytes();
      expect(b.length).toBe(Math.max(1, Math.ceil(bits / 7)));
      const r = new ByteReader(b, undefined, 'test');
      r.uvarint64('v');
      expect([r.hi, r.lo]).toEqual([hi, lo]);
    }
  });

  it('rejects varints longer than their width', () => {
    expect(() => new ByteReader(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), undefined, 't').uvarint('v')).toThrow(/varint/);
    expect(() => new ByteReader(new Uint8Array(11).fill(0xff), undefined, 't').uvarint64('v')).toThrow(/varint/);
  });
});

describe('64-bit words', () => {
  it('counts leading and trailing zeros across the word boundary', () => {
    expect(clz64(0, 1)).toBe(63);
    expect(clz64(1, 0)).toBe(31);
    expect(ctz64(1, 0)).toBe(32);
    expect(ctz64(0, 0)).toBe(64);
  });

  it('converts like Java casts and Math.round', () => {
    expect(int64ToNumber(-1, -1)).toBe(-1);
    expect(int64ToNumber(0x7fffffff, -1)).toBe(2 ** 63);
    const w = new Int32Array(2);
    storeRoundedInt64(-(2 ** 40) - 3, w, 0);
    expect(new BigInt64Array(w.buffer)[0]).toBe(-(2n ** 40n) - 3n);
    storeRoundedInt64(1e300, w, 0);
    expect(new BigInt64Array(w.buffer)[0]).toBe(2n ** 63n - 1n);
    expect(roundToInt32Bits(2.5)).toBe(3);
    expect(roundToInt32Bits(-2.5)).toBe(-2);
    expect(roundToInt32Bits(2 ** 32 + 5)).toBe(5);
    expect(roundToInt32Bits(-Infinity)).toBe(0);
  });
});
