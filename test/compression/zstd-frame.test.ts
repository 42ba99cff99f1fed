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

async function expectRejection(fn: () => unknown, pattern: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected DECOMPRESSION_FAILED');
}

describe('decodeZstdFrames', () => {
  it('decodes hand-made raw and RLE frames', async () => {
    expect(String.fromCharCode(...(await decodeZstdFrames(rawFrameWithoutSize('hello'), 5)))).toBe('hello');
    expect(String.fromCharCode(...(await decodeZstdFrames(new Uint8Array([...rleFrame('a', 3), ...rleFrame('b', 2)]), 5)))).toBe('aaabb');
    // Once the decoder has loaded, results come back without a promise.
    expect(decodeZstdFrames(rleFrame('a', 3), 3)).toBeInstanceOf(Uint8Array);
  });
  it('refuses a declared size other than the page header, and huge windows, before decoding', () => {
    expectFailure(() => decodeZstdFrames(rleFrame('a', 7), 8), /declared content size/);
    const hugeWindow = rawFrameWithoutSize('hello');
    hugeWindow[5] = 0xf8;
    expectFailure(() => decodeZstdFrames(hugeWindow, 5), /window too large/);
  });
  it('reports a frame that decodes to another size than the page header', async () => {
    await expectRejection(() => decodeZstdFrames(rawFrameWithoutSize('hello'), 4), /wrong size/);
    await expectRejection(() => decodeZstdFrames(rawFrameWithoutSize('hello'), 6), /wrong size/);
  });
  it('refuses, at once, a corrupt frame that a pure-JS decoder spins on', async () => {
    // A real frame (level 3, 110 bytes) with a few bytes overwritten inside its compressed block.
    const frame = Uint8Array.from(Buffer.from(SPINNING_FRAME, 'hex'));
    const started = performance.now();
    await expectRejection(() => decodeZstdFrames(frame, 400), /rejected|wrong size/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

const SPINNING_FRAME =
  '28b52ffd609000250300240400070e151c232a3139322b241f160f08013a332c251e171009023b342d261f18110a033c352e272019120b043d362f28211a130c053e37302930373e052a131a3024e0d704724c8ec9313926c7e49c3826c7e4981c9363724c8e91637284cc653a02';
