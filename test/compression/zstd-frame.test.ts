import { describe, expect, it } from 'vitest';
import { createZstdPureCodec, decodeZstdFrames } from '../../src/compression/pure-codecs.js';
import { inspectZstdFrames } from '../../src/compression/zstd-frame.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { repetitiveBytes } from './samples.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** A frame without content size: 1 KiB window, one raw last block holding `s`. */
function rawFrameWithoutSize(s: string): Uint8Array {
  const header = 1 | (0 << 1) | (s.length << 3);
  return new Uint8Array([...MAGIC, 0x00, 0x00, header & 0xff, (header >> 8) & 0xff, header >> 16, ...ascii(s)]);
}

/** A single-segment frame with a 1-byte content size and one RLE last block of `n` copies of `c`. */
function rleFrame(c: string, n: number): Uint8Array {
  const header = 1 | (1 << 1) | (n << 3);
  return new Uint8Array([...MAGIC, 0x20, n, header & 0xff, (header >> 8) & 0xff, header >> 16, c.charCodeAt(0)]);
}

function expectFailure(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected DECOMPRESSION_FAILED');
}

describe('inspectZstdFrames', () => {
  it('reads the content size of a frame written by the reference library', async () => {
    const data = repetitiveBytes(90_000);
    const frame = (await createZstdPureCodec().compress(data)) as Uint8Array;
    expect(inspectZstdFrames(frame)).toEqual({ declaredSize: 90_000, largestUndeclaredWindow: 0, frames: 1 });
  });
  it('reports frames without a content size by their window, and sums several frames', () => {
    expect(inspectZstdFrames(rawFrameWithoutSize('hello'))).toEqual({ declaredSize: undefined, largestUndeclaredWindow: 1024, frames: 1 });
    const two = new Uint8Array([...rleFrame('a', 7), ...rleFrame('b', 3)]);
    expect(inspectZstdFrames(two)).toEqual({ declaredSize: 10, largestUndeclaredWindow: 0, frames: 2 });
  });
  it('skips skippable frames', () => {
    const skippable = [0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 9, 9, 9, 9];
    expect(inspectZstdFrames(new Uint8Array([...skippable, ...rleFrame('a', 7)])).declaredSize).toBe(7);
  });
  it('rejects bad magic, reserved bits and block types, and truncation', () => {
    expectFailure(() => inspectZstdFrames(new Uint8Array([1, 2, 3, 4, 5])), /bad magic/);
    expectFailure(() => inspectZstdFrames(new Uint8Array([...MAGIC, 0x28, 5])), /reserved bit/);
    expectFailure(() => inspectZstdFrames(new Uint8Array([...MAGIC, 0x20, 5, 0x07, 0, 0])), /reserved block type/);
    expectFailure(() => inspectZstdFrames(rawFrameWithoutSize('hello').subarray(0, 12)), /runs past the end/);
    expectFailure(() => inspectZstdFrames(rleFrame('a', 7).subarray(0, 6)), /truncated/);
    expectFailure(() => inspectZstdFrames(new Uint8Array(0)), /empty/);
  });
});

describe('decodeZstdFrames', () => {
  it('decodes hand-made raw and RLE frames', () => {
    expect(String.fromCharCode(...decodeZstdFrames(rawFrameWithoutSize('hello'), 5))).toBe('hello');
    expect(String.fromCharCode(...decodeZstdFrames(new Uint8Array([...rleFrame('a', 3), ...rleFrame('b', 2)]), 5))).toBe('aaabb');
  });
  it('refuses a declared size other than the page header, and huge windows, before decoding', () => {
    expectFailure(() => decodeZstdFrames(rleFrame('a', 7), 8), /declared content size/);
    const hugeWindow = rawFrameWithoutSize('hello');
    hugeWindow[5] = 0xf8;
    expectFailure(() => decodeZstdFrames(hugeWindow, 5), /window too large/);
  });
  it('reports a frame that decodes to another size than the page header', () => {
    expectFailure(() => decodeZstdFrames(rawFrameWithoutSize('hello'), 4), /wrong size/);
  });
});
