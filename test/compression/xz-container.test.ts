import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeXzStreams } from '../../src/compression/pure-codecs.js';
import { encodeXzStored, xzDeclaredSize } from '../../src/compression/xz-container.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { firstDifference, repetitiveBytes, roundTripSamples } from './samples.js';

const lzma = createRequire(import.meta.url)('lzma-native') as {
  compress(b: Buffer, o: object): Promise<Buffer>;
  decompress(b: Buffer): Promise<Buffer>;
  CHECK_CRC64: number;
};

function hasCli(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
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

describe('encodeXzStored', () => {
  it('writes the stream header with a CRC64 check and the "YZ" footer', () => {
    const xz = encodeXzStored(new Uint8Array([1, 2, 3]));
    expect(Array.from(xz.subarray(0, 8))).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]);
    expect(Array.from(xz.subarray(xz.length - 2))).toEqual([0x59, 0x5a]);
    expect(xz.length % 4).toBe(0);
  });
  for (const [name, data] of roundTripSamples()) {
    it(`round trips ${name} through liblzma and xz-embedded`, async () => {
      const xz = encodeXzStored(data);
      expect(xzDeclaredSize(xz)).toBe(data.length);
      expect(firstDifference(new Uint8Array(await lzma.decompress(Buffer.from(xz))), data)).toBe(-1);
      expect(firstDifference(await decodeXzStreams(xz, data.length), data)).toBe(-1);
    });
  }
  it.skipIf(!hasCli('xz'))('is accepted by the xz command-line tool (integrity test and content)', () => {
    const data = repetitiveBytes(150_000);
    const xz = encodeXzStored(data);
    execFileSync('xz', ['-t'], { input: xz });
    expect(firstDifference(new Uint8Array(execFileSync('xz', ['-dc'], { input: xz, maxBuffer: 1 << 24 })), data)).toBe(-1);
  });
});

describe('xzDeclaredSize', () => {
  it('reads the size liblzma records in its index, for one stream and for padded concatenations', async () => {
    const a = repetitiveBytes(100_000, 4);
    const b = repetitiveBytes(3_000, 5);
    const xa = await lzma.compress(Buffer.from(a), { preset: 6, check: lzma.CHECK_CRC64 });
    const xb = await lzma.compress(Buffer.from(b), { preset: 1 });
    expect(xzDeclaredSize(xa)).toBe(100_000);
    const joined = Buffer.concat([xa, Buffer.alloc(8), xb, Buffer.alloc(4)]);
    expect(xzDeclaredSize(joined)).toBe(103_000);
  });
  it('rejects a missing footer magic, bad CRCs, truncation and garbage', () => {
    const xz = encodeXzStored(repetitiveBytes(1000));
    const noMagic = xz.slice();
    noMagic[noMagic.length - 1] = 0;
    expectFailure(() => xzDeclaredSize(noMagic), /footer magic/);
    const badFooter = xz.slice();
    badFooter[badFooter.length - 12] ^= 1;
    expectFailure(() => xzDeclaredSize(badFooter), /footer CRC32/);
    const badIndex = xz.slice();
    badIndex[badIndex.length - 13] ^= 1;
    expectFailure(() => xzDeclaredSize(badIndex), /index CRC32/);
    const badHeader = xz.slice();
    badHeader[8] ^= 1;
    expectFailure(() => xzDeclaredSize(badHeader), /header CRC32/);
    const badMagic = xz.slice();
    badMagic[0] = 0;
    expectFailure(() => xzDeclaredSize(badMagic), /header magic/);
    expectFailure(() => xzDeclaredSize(xz.subarray(1)), /before the start/);
    expectFailure(() => xzDeclaredSize(new Uint8Array(64)), /no stream/);
    expectFailure(() => xzDeclaredSize(new Uint8Array(10)), /too short/);
    expectFailure(() => xzDeclaredSize(new Uint8Array(0)), /no stream/);
  });
});
