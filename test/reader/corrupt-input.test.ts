/**
 * Truncated, bit-flipped and lying copies of real files give a TsFileError (with a code, the file
 * and an offset) and never a hang, a crash or an untyped exception.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { TsFileError } from '../../src/io/errors.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { exportCsv } from '../../src/export/csv.js';
import { StringSink } from '../../src/export/text-sink.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../helpers/fixtures.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';

/** Reads everything a user would: devices, series and every point. */
async function readAll(bytes: Uint8Array): Promise<string> {
  const reader = await TsFileReader.open(bytes, { name: 'corrupt.tsfile' });
  const sink = new StringSink();
  await exportCsv(reader, sink);
  return sink.toString();
}

/** Runs readAll and returns the TsFileError it threw, or undefined if it read fine; anything else fails the test. */
async function outcome(bytes: Uint8Array): Promise<TsFileError | undefined> {
  try {
    await readAll(bytes);
    return undefined;
  } catch (e) {
    if (!(e instanceof TsFileError)) throw new Error(`untyped failure: ${(e as Error)?.stack ?? String(e)}`);
    return e;
  }
}

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FILES = ['java/aligned_all_types.tsfile', 'java/table_model.tsfile', 'java/combo_double_chimp.tsfile', 'cpp/all_encodings_snappy.tsfile', 'java/strings.tsfile'];

describe.skipIf(!HAVE_SHARED)('corrupt input', () => {
  it('rejects non-TsFiles and truncated files with clear codes', async () => {
    expect((await outcome(new Uint8Array(0)))?.code).toBe('NOT_A_TSFILE');
    expect((await outcome(new TextEncoder().encode('hello, world, not a tsfile')))?.code).toBe('NOT_A_TSFILE');
    const good = new Uint8Array(readFileSync(join(SHARED_FIXTURES, 'java/single_point.tsfile')));
    const badVersion = good.slice();
    badVersion[6] = 9;
    const e = await outcome(badVersion);
    expect(e?.code).toBe('UNSUPPORTED_VERSION');
    expect(e?.offset).toBe(6);
    expect(e?.file).toBe('corrupt.tsfile');
    expect((await outcome(good.subarray(0, good.length - 3)))?.code).toBe('INCOMPLETE');
  });

  for (const name of FILES) {
    it(`every truncation of ${name} fails with a TsFileError`, async () => {
      const bytes = new Uint8Array(readFileSync(join(SHARED_FIXTURES, name)));
      const cuts = new Set<number>();
      for (let n = 0; n < Math.min(64, bytes.length); n++) cuts.add(n);
      const step = Math.max(1, Math.floor(bytes.length / 150));
      for (let n = 0; n < bytes.length; n += step) cuts.add(n);
      for (const n of cuts) {
        const e = await outcome(bytes.slice(0, n));
        expect(e, `truncated at ${n}`).toBeInstanceOf(TsFileError);
      }
    }, 60_000);

    it(`bit flips in ${name} never escape as untyped errors`, async () => {
      const bytes = new Uint8Array(readFileSync(join(SHARED_FIXTURES, name)));
      const rnd = prng(name.length * 7919);
      let typed = 0;
      for (let k = 0; k < 300; k++) {
        const copy = bytes.slice();
        const flips = 1 + Math.floor(rnd() * 3);
        for (let f = 0; f < flips; f++) copy[Math.floor(rnd() * copy.length)]! ^= 1 << Math.floor(rnd() * 8);
        if ((await outcome(copy)) !== undefined) typed++;
      }
      expect(typed).toBeGreaterThan(0);
    }, 120_000);
  }

  it('refuses encrypted files instead of decoding ciphertext', async () => {
    // §17: the property value "0" of encryptLevel is the byte at 0xe4; make it "1".
    const encrypted = WORKED_EXAMPLE.slice();
    expect(encrypted[0xe4]).toBe(0x30);
    encrypted[0xe4] = 0x31;
    const e = await outcome(encrypted);
    expect(e?.code).toBe('UNSUPPORTED');
    expect(e?.message).toMatch(/encrypted.*encryptLevel 1 \(UNENCRYPTED\)/);
  });

  it('lying sizes are checked before anything is allocated', async () => {
    // §17: the chunk's dataSize byte is at 0x18 (30); claim 127 bytes, past the separator at 0x3a.
    const lying = WORKED_EXAMPLE.slice();
    lying[0x18] = 0x7f;
    const e = await outcome(lying);
    expect(e?.code).toBe('CORRUPT');
    expect(e?.offset).toBe(0x14);
    // The page claims 28 bytes uncompressed: over a 16-byte limit it is refused before decompressing.
    const reader = await TsFileReader.open(WORKED_EXAMPLE, { maxPageBytes: 16 });
    await expect(async () => {
      for await (const _ of reader.scan()) void _;
    }).rejects.toMatchObject({ code: 'SIZE_LIMIT', offset: 0x1c });
  });
});
