import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pureCodecs } from '../../src/compression/pure-codecs.js';
import { loadNativeCodecs } from '../../src/compression/native.js';
import { decompressPage, getCodec, useCodecs } from '../../src/compression/registry.js';
import type { Codec } from '../../src/compression/types.js';
import { Compression, compressionName } from '../../src/format/codes.js';
import { ErrorCode, isTsFileError } from '../../src/io/errors.js';
import { firstDifference, int64SeriesBytes, mutations, roundTripSamples } from './samples.js';
import { FIXTURES, HAVE_FIXTURES, walkPages, type FixturePage } from './fixture-pages.js';

const nativeCodecs = loadNativeCodecs();
const pure = new Map(pureCodecs().map((c) => [c.compression as number, c]));
const NATIVE_EXPECTED = [Compression.SNAPPY, Compression.GZIP, Compression.LZ4, Compression.LZMA2];

const FIXTURE_FILES = [
  'java/combo_int64_plain.tsfile',
  'java/combo_double_gorilla.tsfile',
  'java/combo_text_plain.tsfile',
  'java/combo_boolean_rle.tsfile',
  'java/strings.tsfile',
  'java/aligned_all_types.tsfile',
  'java/table_model.tsfile',
  'cpp/all_encodings_lz4.tsfile',
  'cpp/all_encodings_snappy.tsfile',
  'cpp/one_page.tsfile',
];

async function decodeWith(kind: 'native' | 'pure', p: FixturePage, file: string): Promise<Uint8Array> {
  useCodecs(kind);
  try {
    const codec = getCodec(p.compression, { file, offset: p.offset });
    return await decompressPage(codec, p.body, p.uncompressedSize, { file, offset: p.offset });
  } finally {
    useCodecs('native');
  }
}

describe('native codecs', () => {
  it('load for SNAPPY, GZIP, LZ4 and LZMA2 and take over from the pure ones', () => {
    expect(nativeCodecs.map((c) => c.compression).sort((a, b) => a - b)).toEqual(NATIVE_EXPECTED);
    for (const c of NATIVE_EXPECTED) expect(getCodec(c).kind).toBe('native');
    expect(getCodec(Compression.ZSTD).kind).toBe('pure');
  });

  for (const native of nativeCodecs) {
    const name = compressionName(native.compression);
    const counterpart = pure.get(native.compression)!;
    it(`${name}: pure output decodes natively and native output decodes purely`, async () => {
      for (const [, data] of roundTripSamples()) {
        const fromPure = await counterpart.compress(data);
        const fromNative = await native.compress(data);
        expect(firstDifference(await native.decompress(fromPure, data.length), data)).toBe(-1);
        expect(firstDifference(await counterpart.decompress(fromNative, data.length), data)).toBe(-1);
      }
    });

    it(`${name}: corrupt input gives DECOMPRESSION_FAILED, never a crash or a hang`, { timeout: 20_000 }, async () => {
      const data = int64SeriesBytes(2000);
      const packed = await native.compress(data);
      for (const m of mutations(new Uint8Array(packed), native.compression === Compression.LZMA2 ? 100 : 300, 77)) {
        try {
          expect((await decompressPage(native, m, data.length, { file: 'f', offset: 9 })).length).toBe(data.length);
        } catch (e) {
          expect(isTsFileError(e, ErrorCode.DECOMPRESSION_FAILED), String(e)).toBe(true);
        }
      }
    });
  }
});

const FIXTURE_TITLE = HAVE_FIXTURES ? 'real pages of the reference writers' : 'real pages of the reference writers (skipped: ../shared/fixtures is absent)';

describe.skipIf(!HAVE_FIXTURES)(FIXTURE_TITLE, () => {
  for (const rel of FIXTURE_FILES) {
    it(`${rel}: every page decompresses to its size, identically with native and pure codecs`, async () => {
      const file = `${FIXTURES}/${rel}`;
      const pages = walkPages(new Uint8Array(readFileSync(file)), file);
      expect(pages.length).toBeGreaterThan(0);
      for (const p of pages) {
        const viaPure = await decodeWith('pure', p, file);
        const viaNative = await decodeWith('native', p, file);
        expect(viaPure.length).toBe(p.uncompressedSize);
        expect(firstDifference(viaNative, viaPure), `${p.measurement} at ${p.offset}`).toBe(-1);
      }
    });
  }

  it('combo_int64_plain: each of the six compressions yields the PLAIN values of the CSV', async () => {
    const file = `${FIXTURES}/java/combo_int64_plain.tsfile`;
    const pages = walkPages(new Uint8Array(readFileSync(file)), file);
    expect(new Set(pages.map((p) => p.compression))).toEqual(new Set([0, 1, 2, 7, 8, 9]));
    const expected = new Map<string, bigint[]>();
    for (const line of readFileSync(`${FIXTURES}/java/combo_int64_plain.csv`, 'utf8').trim().split('\n').slice(1)) {
      const [, measurement, , value] = line.split(',');
      if (!expected.has(measurement!)) expected.set(measurement!, []);
      expected.get(measurement!)!.push(BigInt(value!));
    }
    const seen = new Map<string, number>();
    for (const p of pages) {
      for (const kind of ['pure', 'native'] as const) {
        const body = await decodeWith(kind, p, file);
        // PLAIN INT64 values fill the end of the page (§7.1, §10.2): 8 big-endian bytes each.
        const before = seen.get(`${kind}:${p.measurement}`) ?? 0;
        const values = expected.get(p.measurement)!;
        const count = p.uncompressedSize > 6000 ? 1000 : 500;
        const view = new DataView(body.buffer, body.byteOffset + body.length - count * 8, count * 8);
        for (let i = 0; i < count; i++) expect(view.getBigInt64(i * 8)).toBe(values[before + i]);
        seen.set(`${kind}:${p.measurement}`, before + count);
      }
    }
    for (const [key, n] of seen) expect(n, key).toBe(1500);
  });

  it('native and pure encoders re-encode real pages into streams the other side reads', async () => {
    const file = `${FIXTURES}/java/combo_double_gorilla.tsfile`;
    const pages = walkPages(new Uint8Array(readFileSync(file)), file);
    for (const p of pages) {
      const raw = await decodeWith('pure', p, file);
      const pureCodec: Codec = pure.get(p.compression)!;
      const nativeCodec = nativeCodecs.find((c) => c.compression === p.compression) ?? pureCodec;
      expect(firstDifference(await nativeCodec.decompress(await pureCodec.compress(raw), raw.length), raw)).toBe(-1);
      expect(firstDifference(await pureCodec.decompress(await nativeCodec.compress(raw), raw.length), raw)).toBe(-1);
    }
  });
});
