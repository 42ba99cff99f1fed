/** Primitive encodings of tsfile-format.md §1 against the spec's hand-computed bytes. */
import { describe, expect, it } from 'vitest';
import { Cursor } from '../../src/io/cursor.js';
import { TsFileError } from '../../src/io/errors.js';

const cur = (...bytes: number[]) => new Cursor(new Uint8Array(bytes), 0, bytes.length, 100, 'x.tsfile');

describe('uvarint (§1.2)', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [256, [0x80, 0x02]],
    [300, [0xac, 0x02]],
    [16384, [0x80, 0x80, 0x01]],
    [4294967295, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [v, bytes] of cases) {
    it(`${bytes.map((b) => b.toString(16)).join(' ')} → ${v}`, () => {
      const c = cur(...bytes);
      expect(c.uvarint()).toBe(v);
      expect(c.remaining).toBe(0);
    });
  }
  it('rejects a varint longer than 32 bits and a truncated one, naming the offset', () => {
    expect(() => cur(0xff, 0xff, 0xff, 0xff, 0x7f).uvarint()).toThrow(/longer than 32 bits/);
    try {
      cur(0x80, 0x80).uvarint('chunk data size');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TsFileError);
      expect((e as TsFileError).code).toBe('TRUNCATED');
      expect((e as TsFileError).offset).toBe(100);
      expect((e as TsFileError).file).toBe('x.tsfile');
    }
  });
});

describe('svarint (§1.3)', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]],
    [1, [0x02]],
    [-1, [0x01]],
    [2, [0x04]],
    [64, [0x80, 0x01]],
    [-65, [0x81, 0x01]],
    [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
    [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [v, bytes] of cases) it(`→ ${v}`, () => expect(cur(...bytes).svarint()).toBe(v));
});

describe('strings (§1.4) and fixed width (§1.1)', () => {
  it('vstr lengths are zig-zag: 2 bytes → 04, null → 01, empty → 00', () => {
    const c = cur(0x04, 0x61, 0x62, 0x01, 0x00, 0x0e, ...new TextEncoder().encode('root.sg'));
    expect(c.vstr()).toBe('ab');
    expect(c.vstr()).toBeNull();
    expect(c.vstr()).toBe('');
    expect(c.vstr()).toBe('root.sg');
  });
  it('istr has an i32 length; -1 is null', () => {
    const c = cur(0, 0, 0, 3, 0x69, 0x64, 0x31, 0xff, 0xff, 0xff, 0xff);
    expect(c.istr()).toBe('id1');
    expect(c.istr()).toBeNull();
  });
  it('big-endian integers and floats; offsets must be safe non-negative integers', () => {
    const c = cur(0xff, 0xff, 0xff, 0xfe, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0, 0x3f, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x87);
    expect(c.i32()).toBe(-2);
    expect(c.f64()).toBeNaN();
    expect(c.f32()).toBe(1);
    expect(c.offset64()).toBe(0x87);
    expect(() => cur(0x80, 0, 0, 0, 0, 0, 0, 0).offset64('meta offset')).toThrow(/meta offset is not a valid file offset/);
  });
  it('a string longer than its region is TRUNCATED, not read past the end', () => {
    expect(() => cur(0x0e, 0x61).vstr('measurement id')).toThrow(/measurement id runs past the end/);
  });
});
