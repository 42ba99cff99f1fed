import { describe, expect, it } from 'vitest';
import { crc32, crc64Bytes } from '../../src/compression/crc.js';
import { randomBytes } from './samples.js';

const check = new TextEncoder().encode('123456789');

/** Bit-at-a-time CRC-32, the textbook definition, to check the sliced tables against. */
function crc32Bitwise(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('CRC-32', () => {
  it('has the standard check value for "123456789"', () => {
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
  it('matches the bitwise definition at every length around the 4-byte slicing', () => {
    const data = randomBytes(1031, 21);
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 1000, 1031]) expect(crc32(data.subarray(0, n))).toBe(crc32Bitwise(data.subarray(0, n)));
  });
  it('continues from a previous value', () => {
    const data = randomBytes(5000, 22);
    expect(crc32(data.subarray(1234), crc32(data.subarray(0, 1234)))).toBe(crc32(data));
  });
});

describe('CRC-64/XZ', () => {
  it('has the standard check value for "123456789" (0x995dc9bbdf1939fa, little-endian bytes)', () => {
    expect(Array.from(crc64Bytes(check))).toEqual([0xfa, 0x39, 0x19, 0xdf, 0xbb, 0xc9, 0x5d, 0x99]);
  });
  it('is zero for empty input', () => {
    expect(Array.from(crc64Bytes(new Uint8Array(0)))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
