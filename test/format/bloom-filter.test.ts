import { describe, expect, it } from 'vitest';
import { BloomFilter, murmur3x64Sum, readBloomFilter } from '../../src/format/bloom-filter.js';
import { Cursor } from '../../src/io/cursor.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('bloom filter (§13.6)', () => {
  it('reproduces the Java test vector for "root.sg.d1.s1"', () => {
    const f = BloomFilter.forExpectedEntries(1);
    expect(f.sizeInBits).toBe(256);
    expect(f.hashFunctionCount).toBe(5);
    f.add('root.sg.d1.s1');
    const set: number[] = [];
    for (let i = 0; i < 256; i++) if (f.bits[i >> 3]! & (1 << (i & 7))) set.push(i);
    expect(set).toEqual([17, 94, 190, 201, 202]);
    expect(hex(f.serializedBits())).toBe('0000020000000000000000400000000000000000000000400006');
  });

  it('sizes the filter like Java (100 chunks → 624 bits)', () => {
    expect(BloomFilter.forExpectedEntries(100).sizeInBits).toBe(624);
    expect(BloomFilter.forExpectedEntries(0).sizeInBits).toBe(256);
  });

  it('matches the published Murmur3 x64 128 vectors (halves added) on ASCII input', () => {
    const sum = (h1: bigint, h2: bigint) => (h1 + h2) & ((1n << 64n) - 1n);
    const utf8 = (x: string) => new TextEncoder().encode(x);
    expect(murmur3x64Sum(new Uint8Array(0), 0)).toBe(0n);
    expect(murmur3x64Sum(utf8('hello'), 0)).toBe(sum(0xcbd8a7b341bd9b02n, 0x5b1e906a48ae1d19n));
    // Two whole 16-byte blocks and an 11-byte tail.
    expect(murmur3x64Sum(utf8('The quick brown fox jumps over the lazy dog'), 0)).toBe(sum(0xe34bbc7bbc071b6cn, 0x7a433ca9c49a9347n));
    // Tail bytes >= 0x80 are sign-extended (the quirk), so they hash unlike their low 7 bits.
    expect(murmur3x64Sum(new Uint8Array([0xc1]), 5)).not.toBe(murmur3x64Sum(new Uint8Array([0x41]), 5));
  });

  it('the set bits are found again and round-trip through the serialized form', () => {
    const f = BloomFilter.forExpectedEntries(10);
    const paths = ['root.sg.d2.', 'root.sg.d2.s1', 't1.a.m1', 'root.ü.ß.x'];
    for (const p of paths) f.add(p);
    for (const p of paths) expect(f.mightContain(p)).toBe(true);
    const bits = f.serializedBits();
    const bytes = new Uint8Array([bits.length, ...bits, 0x80, 0x02, 0x05]);
    const g = readBloomFilter(new Cursor(bytes))!;
    expect(g.sizeInBits).toBe(256);
    for (const p of paths) expect(g.mightContain(p)).toBe(true);
    expect(readBloomFilter(new Cursor(new Uint8Array([0])))).toBeUndefined();
  });
});
