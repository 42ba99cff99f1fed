/**
 * Time-range and series selection: results equal a filtered full read, and pages whose statistics
 * lie outside the range are never decompressed (counted by wrapping the registered codecs).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { getCodec, registerCodec } from '../../src/compression/registry.js';
import type { Codec } from '../../src/compression/types.js';
import { Compression } from '../../src/format/codes.js';
import { readChunk, iteratePages } from '../../src/reader/chunk-reader.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { FileSource } from '../../src/io/file-source.js';
import { HAVE_SHARED, SHARED_FIXTURES } from '../helpers/fixtures.js';

const decompressed: number[] = [];
const originals = new Map<number, Codec>();
for (const c of [Compression.UNCOMPRESSED, Compression.SNAPPY, Compression.LZ4]) {
  const orig = getCodec(c);
  originals.set(c, orig);
  registerCodec({
    compression: c,
    kind: orig.kind,
    decompress: (src, size) => {
      decompressed.push(size);
      return orig.decompress(src, size);
    },
    compress: (src) => orig.compress(src),
  });
}
afterAll(() => {
  for (const codec of originals.values()) registerCodec(codec);
});

async function rows(reader: TsFileReader, opts: Parameters<TsFileReader['scan']>[0]): Promise<string[]> {
  const out: string[] = [];
  for await (const { device, batch } of reader.scan(opts)) {
    for (let i = 0; i < batch.numRows; i++) {
      const cells = batch.schema.fields.map((f) => String(batch.getChild(f.name)!.get(i)));
      out.push(`${device},${cells.join(',')}`);
    }
  }
  return out;
}

describe.skipIf(!HAVE_SHARED)('time-range and series selection', () => {
  const file = join(SHARED_FIXTURES, 'cpp/many_pages.tsfile'); // 3 series × ~101 pages of 1000 points

  it('returns exactly the rows of a full read inside the range', async () => {
    const reader = await TsFileReader.open(file);
    const all = await rows(reader, {});
    const start = 1600004000000n;
    const end = 1600004333333n;
    const inRange = all.filter((r) => {
      const t = BigInt(r.split(',')[1]!);
      return t >= start && t <= end;
    });
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThan(all.length / 10);
    expect(await rows(reader, { startTime: start, endTime: end })).toEqual(inRange);
    await reader.close();
  });

  it('never decompresses a page whose statistics lie outside the range', async () => {
    const start = 1600004000000n;
    const end = 1600004333333n;
    // Independently count the pages whose header statistics overlap the range.
    const reader = await TsFileReader.open(file);
    const src = await FileSource.open(file);
    let overlapping = 0;
    let total = 0;
    const offsets: number[] = [];
    for await (const off of chunkOffsets(reader)) offsets.push(off);
    for (const off of offsets) {
      const chunk = await readChunk(src, off, reader.metadata.metaOffset);
      for (const p of iteratePages(chunk, 1 << 26)) {
        total++;
        const st = p.header.statistics!;
        if (st.endTime >= start && st.startTime <= end) overlapping++;
      }
    }
    await src.close();
    expect(total).toBeGreaterThan(250);
    decompressed.length = 0;
    const before = { ...reader.stats };
    await rows(reader, { startTime: start, endTime: end });
    expect(decompressed.length).toBe(overlapping);
    expect(overlapping).toBeLessThan(total / 10);
    expect(reader.stats.pagesSkipped - before.pagesSkipped + reader.stats.chunksSkipped - before.chunksSkipped).toBeGreaterThan(0);
    await reader.close();
  });

  it('reads only the selected measurements and devices', async () => {
    const reader = await TsFileReader.open(join(SHARED_FIXTURES, 'java/aligned_and_nonaligned.tsfile'));
    const devices = (await reader.devices()).map((d) => d.path);
    expect(devices.length).toBeGreaterThan(1);
    decompressed.length = 0;
    const seen = new Set<string>();
    for await (const { device, batch } of reader.scan({ devices: [devices[0]!] })) {
      seen.add(device);
      expect(batch.schema.fields[0]!.name).toBe('time');
    }
    expect([...seen]).toEqual([devices[0]]);
    const pattern = devices[0]!.split('.').slice(0, 2).join('.') + '.**';
    const matched = new Set<string>();
    for await (const { device } of reader.scan({ devices: [pattern] })) matched.add(device);
    expect([...matched].sort()).toEqual([...new Set(devices)].sort());
    await reader.close();
  });
});

/** Chunk offsets of every series, via the public API's scan of metadata (reads the index only). */
async function* chunkOffsets(reader: TsFileReader): AsyncGenerator<number> {
  const internal = reader as unknown as { index: { devices(): Promise<unknown[]>; deviceSeries(d: unknown): Promise<{ chunks: { offset: number }[] }[]> } };
  for (const d of await internal.index.devices()) {
    for (const s of await internal.index.deviceSeries(d)) for (const c of s.chunks) yield c.offset;
  }
}
