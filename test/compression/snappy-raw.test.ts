import { describe, expect, it } from 'vitest';
import { checkSnappyPreamble, decodeSnappyRaw, encodeSnappyRaw, snappyRawBound } from '../../src/compression/snappy-raw.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { firstDifference, mutations, randomBytes, repetitiveBytes, roundTripSamples } from './samples.js';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

function expectFailure(fn: () => unknown, pattern?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
    if (pattern) expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected DECOMPRESSION_FAILED');
}

describe('Snappy raw decoder on hand-made blocks', () => {
  it('literal then an overlapping 1-byte-offset copy', () => {
    // preamble 12; literal "abc" (tag 2<<2); copy-1 length 9 offset 3: tag 1 | (5 << 2).
    const block = new Uint8Array([12, 0x08, ...ascii('abc'), 0x15, 0x03]);
    expect(text(decodeSnappyRaw(block, 12))).toBe('abcabcabcabc');
  });

  it('copy with a 2-byte offset and length 64, offset 1 run', () => {
    // preamble 65; literal "x"; copy-2 length 64 offset 1: tag 2 | (63 << 2) = 0xfe.
    const block = new Uint8Array([65, 0x00, ...ascii('x'), 0xfe, 0x01, 0x00]);
    expect(text(decodeSnappyRaw(block, 65))).toBe('x'.repeat(65));
  });

  it('copy with a 4-byte offset and an 11-bit copy-1 offset', () => {
    const lits = randomBytes(300, 11);
    // literal of 300 bytes: tag 60<<2 then one length byte (299 does not fit: use 61 → 2 bytes).
    const lit = [61 << 2, 299 & 0xff, 299 >> 8, ...lits];
    // copy-4: length 10 offset 300; copy-1: length 4 offset 260 (0x104 → tag bits 0b001).
    const block = new Uint8Array([0xba, 0x02, ...lit, 3 | (9 << 2), 0x2c, 0x01, 0, 0, 1 | (0 << 2) | (1 << 5), 0x04]);
    const out = decodeSnappyRaw(block, 314);
    expect(firstDifference(out.subarray(0, 300), lits)).toBe(-1);
    expect(Array.from(out.subarray(300, 310))).toEqual(Array.from(lits.subarray(0, 10)));
    expect(Array.from(out.subarray(310))).toEqual(Array.from(out.subarray(50, 54)));
  });

  it('the empty block is the single preamble byte 0', () => {
    expect(decodeSnappyRaw(new Uint8Array([0]), 0).length).toBe(0);
    expect(Array.from(encodeSnappyRaw(new Uint8Array(0)))).toEqual([0]);
  });
});

describe('Snappy raw decoder rejects malformed input', () => {
  it('a preamble that disagrees with the page header, or is truncated or too long', () => {
    expectFailure(() => decodeSnappyRaw(new Uint8Array([5, 0x10, 1, 2, 3, 4, 5]), 6), /preamble disagrees/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([0x80]), 0), /truncated length preamble/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]), 0), /longer than 32 bits/);
  });
  it('a declared size the block cannot reach, before allocating it', () => {
    expectFailure(() => checkSnappyPreamble(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x08]), 2 ** 31), /larger than the compressed length/);
  });
  it('offset 0, offsets before the start, truncated offsets', () => {
    expectFailure(() => decodeSnappyRaw(new Uint8Array([5, 0x00, 0x61, 0x01, 0x00]), 5), /offset/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([5, 0x00, 0x61, 0x01, 0x02]), 5), /offset/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([5, 0x00, 0x61, 0x0e, 0x01]), 5), /truncated copy offset/);
  });
  it('truncated literals and output overrun', () => {
    expectFailure(() => decodeSnappyRaw(new Uint8Array([4, 0x0c, 1, 2]), 4), /truncated literal/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([2, 0x08, 1, 2, 3]), 2), /overruns/);
    expectFailure(() => decodeSnappyRaw(new Uint8Array([6, 0x00, 0x61, 0x15, 0x01]), 6), /overruns/);
  });
  it('a block that ends early', () => {
    expectFailure(() => decodeSnappyRaw(new Uint8Array([9, 0x08, 1, 2, 3]), 9), /wrong size/);
  });
  it('random corruption throws DECOMPRESSION_FAILED or decodes to the right size', { timeout: 10_000 }, () => {
    const data = repetitiveBytes(5000);
    const block = encodeSnappyRaw(data);
    for (const m of mutations(block, 2000)) {
      try {
        expect(decodeSnappyRaw(m, data.length).length).toBe(data.length);
      } catch (e) {
        expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
      }
    }
  });
});

describe('Snappy raw encoder', () => {
  for (const [name, data] of roundTripSamples()) {
    it(`round trips ${name}`, () => {
      const block = encodeSnappyRaw(data);
      expect(block.length).toBeLessThanOrEqual(snappyRawBound(data.length));
      expect(firstDifference(decodeSnappyRaw(block, data.length), data)).toBe(-1);
    });
  }
  it('writes the uvarint length first and compresses repetitive data', () => {
    const data = repetitiveBytes(70_000);
    const block = encodeSnappyRaw(data);
    // 70000 = 0x11170 → f0 a2 04
    expect(Array.from(block.subarray(0, 3))).toEqual([0xf0, 0xa2, 0x04]);
    expect(block.length).toBeLessThan(data.length / 2);
  });
});
