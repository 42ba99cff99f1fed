/**
 * Page decode (and encode) throughput of the native and pure LZ4 and SNAPPY codecs on real pages
 * of ../shared/fixtures/large/large_20m.tsfile (10000-point pages written by the C++ writer).
 * One thread; MB/s counts uncompressed bytes. Native tasks yield to the event loop after each
 * pass, because napi frees its output buffers only then.
 * Run: npx tsx bench/compression.bench.ts
 */
import { readFileSync } from 'node:fs';
import { Bench } from 'tinybench';
import { loadNativeCodecs } from '../src/compression/native.js';
import type { Codec } from '../src/compression/types.js';
import { Compression } from '../src/format/codes.js';
import { lz4PureCodec, snappyPureCodec } from '../src/compression/pure-codecs.js';
import { FIXTURES, walkPages, type FixturePage } from '../test/compression/fixture-pages.js';

const PAGES_PER_CODEC = 48;
const nativeCodecs = loadNativeCodecs();
const file = `${FIXTURES}/large/large_20m.tsfile`;
const bytes = new Uint8Array(readFileSync(file));
const all = walkPages(bytes, file, 400);
const pagesOf = (c: number): FixturePage[] => all.filter((p) => p.compression === c).slice(0, PAGES_PER_CODEC);
const nativeOf = (c: number): Codec => {
  const codec = nativeCodecs.find((k) => k.compression === c);
  if (!codec) throw new Error(`no native codec for ${c}`);
  return codec;
};
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

const groups: Array<{ name: string; pages: FixturePage[]; pure: Codec; native: Codec }> = [
  { name: 'LZ4', pages: pagesOf(Compression.LZ4), pure: lz4PureCodec, native: nativeOf(Compression.LZ4) },
  { name: 'SNAPPY', pages: pagesOf(Compression.SNAPPY), pure: snappyPureCodec, native: nativeOf(Compression.SNAPPY) },
];

const bench = new Bench({ time: 1500, warmupTime: 300 });
const volume = new Map<string, number>();
for (const g of groups) {
  const raw = g.pages.map((p) => g.pure.decompress(p.body, p.uncompressedSize) as Uint8Array);
  const total = raw.reduce((s, r) => s + r.length, 0);
  const add = (name: string, fn: () => unknown): void => {
    volume.set(name, total);
    bench.add(name, fn);
  };
  add(`${g.name} decode pure`, () => {
    for (const p of g.pages) g.pure.decompress(p.body, p.uncompressedSize);
  });
  add(`${g.name} decode native`, async () => {
    for (const p of g.pages) g.native.decompress(p.body, p.uncompressedSize);
    await turn();
  });
  add(`${g.name} encode pure`, () => {
    for (const r of raw) g.pure.compress(r);
  });
  add(`${g.name} encode native`, async () => {
    for (const r of raw) g.native.compress(r);
    await turn();
  });
  if (g.name === 'LZ4') {
    // What lz4-napi costs without the copy that adds its 4-byte size prefix.
    const lz4 = (await import('lz4-napi')) as unknown as { uncompressSync(d: Uint8Array): Uint8Array };
    const prefixed = g.pages.map((p) => {
      const b = Buffer.alloc(p.body.length + 4);
      b.writeUInt32LE(p.uncompressedSize, 0);
      b.set(p.body, 4);
      return b;
    });
    add('LZ4 decode native, pre-prefixed (no copy)', async () => {
      for (const b of prefixed) lz4.uncompressSync(b);
      await turn();
    });
  }
  console.log(`${g.name}: ${g.pages.length} pages, ${total} bytes uncompressed, mean page ${Math.round(total / g.pages.length)} bytes, ratio ${(total / g.pages.reduce((s, p) => s + p.body.length, 0)).toFixed(2)}`);
}
await bench.run();
console.log(`node ${process.version}, one thread`);
console.table(
  bench.tasks.map((t) => {
    const r = t.result;
    if (r?.state !== 'completed') return { task: t.name, 'ms per pass': NaN, 'MB/s': NaN, state: r?.state };
    return {
      task: t.name,
      'ms per pass': Number(r.latency.mean.toFixed(3)),
      'MB/s': Math.round(volume.get(t.name)! / r.latency.mean / 1000),
    };
  }),
);
