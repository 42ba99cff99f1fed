import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeLz4Block, encodeLz4Block, lz4BlockBound } from '../../src/compression/lz4-block.js';
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

describe('LZ4 block decoder on hand-made blocks', () => {
  it('repeats a 3-byte pattern through an overlapping match', () => {
    // token 0x35: 3 literals, match length 5+4 = 9; offset 3; then 5 last literals.
    const block = new Uint8Array([0x35, ...ascii('abc'), 0x03, 0x00, 0x50, ...ascii('xyzw1')]);
    expect(text(decodeLz4Block(block, 17))).toBe('abcabcabcabcxyzw1');
  });

  it('runs a single byte with offset 1 and an extended match length', () => {
    // token 0x1f: 1 literal, match nibble 15 + extension 1 → 20 bytes; 5 last literals.
    const block = new Uint8Array([0x1f, ...ascii('a'), 0x01, 0x00, 0x01, 0x50, ...ascii('bcdef')]);
    expect(text(decodeLz4Block(block, 26))).toBe('a'.repeat(21) + 'bcdef');
  });

  it('reads literal lengths extended over several bytes (15 + 255 + 30 = 300)', () => {
    const lits = randomBytes(300, 5);
    const block = new Uint8Array([0xf0, 255, 30, ...lits]);
    expect(decodeLz4Block(block, 300)).toEqual(lits);
  });

  it('copies a non-overlapping match far back', () => {
    const head = randomBytes(40, 6);
    // 40 literals, then a 36-byte match at offset 40, then 5 literals.
    const block = new Uint8Array([0xff, 40 - 15, ...head, 40, 0, 36 - 4 - 15, 0x50, 1, 2, 3, 4, 5]);
    const out = decodeLz4Block(block, 40 + 36 + 5);
    expect(out.subarray(0, 40)).toEqual(head);
    expect(out.subarray(40, 76)).toEqual(head.subarray(0, 36));
    expect(Array.from(out.subarray(76))).toEqual([1, 2, 3, 4, 5]);
  });

  it('decodes the empty block (one zero token) to nothing', () => {
    expect(decodeLz4Block(new Uint8Array([0]), 0)).toEqual(new Uint8Array(0));
  });
});

describe('LZ4 block decoder rejects malformed input', () => {
  it('offset 0 and offsets before the start', () => {
    expectFailure(() => decodeLz4Block(new Uint8Array([0x10, 0x61, 0x00, 0x00, 0x50, 1, 2, 3, 4, 5]), 10), /offset/);
    expectFailure(() => decodeLz4Block(new Uint8Array([0x10, 0x61, 0x02, 0x00, 0x50, 1, 2, 3, 4, 5]), 10), /offset/);
  });
  it('truncated literals, truncated offsets and truncated length bytes', () => {
    expectFailure(() => decodeLz4Block(new Uint8Array([0x50, 1, 2]), 5), /truncated literals/);
    expectFailure(() => decodeLz4Block(new Uint8Array([0x15, 0x61, 0x01]), 10), /truncated match offset/);
    expectFailure(() => decodeLz4Block(new Uint8Array([0xf0, 255]), 300), /literal length/);
  });
  it('output overrun by literals or by a match', () => {
    expectFailure(() => decodeLz4Block(new Uint8Array([0x50, 1, 2, 3, 4, 5]), 4), /overrun/);
    expectFailure(() => decodeLz4Block(new Uint8Array([0x1f, 0x61, 0x01, 0x00, 0x05, 0x00]), 10), /overrun/);
  });
  it('a block shorter than the page header says', () => {
    expectFailure(() => decodeLz4Block(new Uint8Array([0x30, 1, 2, 3]), 4), /wrong size/);
    expectFailure(() => decodeLz4Block(new Uint8Array(0), 4), /empty/);
  });
  it('an uncompressed size no block of this length can reach, before allocating it', () => {
    expectFailure(() => decodeLz4Block(new Uint8Array(10), 2 ** 31), /larger than the compressed length/);
    expectFailure(() => decodeLz4Block(new Uint8Array(10), -1), /invalid uncompressed size/);
  });
  it('random corruption of a valid block throws DECOMPRESSION_FAILED or decodes to the right size', { timeout: 10_000 }, () => {
    const data = repetitiveBytes(5000);
    const block = encodeLz4Block(data);
    for (const m of mutations(block, 2000)) {
      try {
        expect(decodeLz4Block(m, data.length).length).toBe(data.length);
      } catch (e) {
        expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
      }
    }
  });
});

describe('LZ4 block encoder', () => {
  for (const [name, data] of roundTripSamples()) {
    it(`round trips ${name}`, () => {
      const block = encodeLz4Block(data);
      expect(block.length).toBeLessThanOrEqual(lz4BlockBound(data.length));
      expect(firstDifference(decodeLz4Block(block, data.length), data)).toBe(-1);
    });
  }
  it('compresses repetitive data and keeps the last 5 bytes literal', () => {
    const data = repetitiveBytes(70_000);
    const block = encodeLz4Block(data);
    expect(block.length).toBeLessThan(data.length / 2);
    expect(block.subarray(block.length - 5)).toEqual(data.subarray(data.length - 5));
    const zeros = encodeLz4Block(new Uint8Array(100_000));
    expect(zeros.length).toBeLessThan(500);
  });
  it('writes the empty input as the single zero token', () => {
    expect(Array.from(encodeLz4Block(new Uint8Array(0)))).toEqual([0]);
  });
});

function hasLz4Cli(): boolean {
  try {
    execFileSync('lz4', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** XXH32 (seed 0) of a few bytes: the LZ4 frame header checksum. */
function xxh32Short(data: Uint8Array): number {
  const P1 = 2654435761, P2 = 2246822519, P3 = 3266489917, P4 = 668265263, P5 = 374761393;
  const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h = (P5 + data.length) >>> 0;
  let i = 0;
  for (; i + 4 <= data.length; i += 4) {
    const lane = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    h = Math.imul(rotl((h + Math.imul(lane, P3)) >>> 0, 17), P4) >>> 0;
  }
  for (; i < data.length; i++) h = Math.imul(rotl((h + Math.imul(data[i]!, P5)) >>> 0, 11), P1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Wraps one raw block in a minimal LZ4 frame (independent blocks, no checksums, 4 MiB blocks). */
function frameOf(block: Uint8Array): Uint8Array {
  const descriptor = new Uint8Array([0x60, 0x70]);
  const size = block.length;
  return new Uint8Array([
    0x04, 0x22, 0x4d, 0x18, ...descriptor, (xxh32Short(descriptor) >>> 8) & 0xff,
    size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0x7f,
    ...block, 0, 0, 0, 0,
  ]);
}

describe.skipIf(!hasLz4Cli())('LZ4 blocks and the reference C decoder (lz4 command-line tool)', () => {
  it('decodes our blocks, end-of-block rules included', () => {
    for (const [name, data] of [...roundTripSamples().filter(([, d]) => d.length > 0), ['20 bytes', repetitiveBytes(20)] as const]) {
      const out = new Uint8Array(execFileSync('lz4', ['-d', '-c'], { input: frameOf(encodeLz4Block(data)), maxBuffer: 1 << 24 }));
      expect(firstDifference(out, data), name).toBe(-1);
    }
  });
});
