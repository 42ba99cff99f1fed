import { describe, expect, it } from 'vitest';
import { pureCodecs } from '../../src/compression/pure-codecs.js';
import { inspectZstdFrames } from '../../src/compression/zstd-frame.js';
import { Compression } from '../../src/format/codes.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { firstDifference, int64SeriesBytes, mutations, roundTripSamples } from './samples.js';

const codecs = pureCodecs();

describe('pureCodecs', () => {
  it('has one pure codec for each compression the Java writer uses', () => {
    expect(codecs.map((c) => c.compression).sort((a, b) => a - b)).toEqual([
      Compression.UNCOMPRESSED,
      Compression.SNAPPY,
      Compression.GZIP,
      Compression.LZ4,
      Compression.ZSTD,
      Compression.LZMA2,
    ]);
    expect(codecs.every((c) => c.kind === 'pure')).toBe(true);
  });

  for (const codec of codecs) {
    describe(`code ${codec.compression}`, () => {
      for (const [name, data] of roundTripSamples()) {
        it(`round trips ${name}`, async () => {
          const packed = await codec.compress(data);
          expect(firstDifference(await codec.decompress(packed, data.length), data)).toBe(-1);
        });
      }

      it('turns corrupt or truncated input into DECOMPRESSION_FAILED, never a hang', { timeout: 20_000 }, async () => {
        const data = int64SeriesBytes(2000);
        const packed = await codec.compress(data);
        const bad = mutations(packed, codec.compression === Compression.LZMA2 ? 150 : 400, 31);
        let failures = 0;
        for (const m of bad) {
          try {
            const out = await codec.decompress(m, data.length);
            expect(out.length).toBe(data.length);
          } catch (e) {
            expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
            failures++;
          }
        }
        if (codec.compression !== Compression.UNCOMPRESSED) expect(failures).toBeGreaterThan(bad.length / 4);
      });

      it('refuses a page header size the stream does not hold', async () => {
        const data = int64SeriesBytes(500);
        const packed = await codec.compress(data);
        for (const size of [data.length - 1, data.length + 1]) {
          await expect(Promise.resolve().then(() => codec.decompress(packed, size))).rejects.toMatchObject({ code: ErrorCode.DECOMPRESSION_FAILED });
        }
      });
    });
  }

  it('ZSTD frames carry their content size (the Java reader sizes its output from it)', async () => {
    const zstd = codecs.find((c) => c.compression === Compression.ZSTD)!;
    const data = int64SeriesBytes(10_000);
    const frame = (await zstd.compress(data)) as Uint8Array;
    expect(inspectZstdFrames(frame).declaredSize).toBe(data.length);
    // Once loaded, the WebAssembly encoder answers synchronously.
    expect(zstd.compress(data)).toBeInstanceOf(Uint8Array);
  });
});
