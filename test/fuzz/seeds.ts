/**
 * The valid files the fuzzer mutates: small files our writer produces on the fly (every
 * compression, the main encodings of every type, multi-page and single-page chunks, several chunk
 * groups, aligned devices with nulls, a table-model table, version 3 and the C++ layout), the §17
 * worked example, the bundled sample, and — when the shared corpus is present — its small
 * reference-written files. Same list, same order, every time.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import type { TsFileWriterOptions } from '../../src/writer/options.js';
import { REPO_ROOT, SHARED_FIXTURES } from '../helpers/fixtures.js';
import { WORKED_EXAMPLE } from '../helpers/worked-example.js';
import { mapFields } from './field-map.js';
import type { Seed } from './mutate.js';

const COMPRESSIONS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZ4', 'ZSTD', 'LZMA2'] as const;

async function written(options: TsFileWriterOptions, fill: (w: TsFileWriter) => Promise<void>): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, options);
  await fill(w);
  await w.close();
  return sink.bytes();
}

const times = (n: number, from = 1000, step = 10) => BigInt64Array.from({ length: n }, (_, i) => BigInt(from + i * step + (i % 3)));

async function writerSeeds(): Promise<[string, Uint8Array][]> {
  const out: [string, Uint8Array][] = [];
  for (const compression of COMPRESSIONS) {
    out.push([
      `series-${compression}`,
      await written({ maxPointsPerPage: 16 }, async (w) => {
        w.registerTimeseries('root.f.d1', [
          { measurement: 'i32', dataType: 'INT32', encoding: 'TS_2DIFF', compression },
          { measurement: 'i64', dataType: 'INT64', encoding: 'RLE', compression },
          { measurement: 'dbl', dataType: 'DOUBLE', encoding: 'GORILLA', compression },
          { measurement: 'txt', dataType: 'TEXT', encoding: 'DICTIONARY', compression },
        ]);
        for (let g = 0; g < 2; g++) {
          const n = 40;
          await w.write('root.f.d1', {
            time: times(n, 1000 + g * 1000),
            columns: {
              i32: Int32Array.from({ length: n }, (_, i) => i * 7 - 50),
              i64: BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 5) * 1000n),
              dbl: Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 10),
              txt: Array.from({ length: n }, (_, i) => ['a', 'bb', 'ccc'][i % 3]!),
            },
          });
          await w.flush();
        }
      }),
    ]);
  }
  const encodings: [string, string, (n: number) => unknown][] = [
    ['BOOLEAN', 'RLE', (n) => Array.from({ length: n }, (_, i) => i % 3 === 0)],
    ['INT32', 'GORILLA', (n) => Int32Array.from({ length: n }, (_, i) => i * i)],
    ['INT32', 'ZIGZAG', (n) => Int32Array.from({ length: n }, (_, i) => 5 - i)],
    ['INT32', 'SPRINTZ', (n) => Int32Array.from({ length: n }, (_, i) => i * 3)],
    ['INT64', 'CHIMP', (n) => BigInt64Array.from({ length: n }, (_, i) => BigInt(i) << 20n)],
    ['INT64', 'RLBE', (n) => BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 2))],
    ['FLOAT', 'RLE', (n) => Float32Array.from({ length: n }, (_, i) => i / 4)],
    ['FLOAT', 'CHIMP', (n) => Float32Array.from({ length: n }, (_, i) => Math.cos(i))],
    ['DOUBLE', 'TS_2DIFF', (n) => Float64Array.from({ length: n }, (_, i) => i * 0.5)],
    ['DOUBLE', 'PLAIN', (n) => Float64Array.from({ length: n }, (_, i) => -i)],
    ['STRING', 'PLAIN', (n) => Array.from({ length: n }, (_, i) => `s${i}`)],
    ['BLOB', 'PLAIN', (n) => Array.from({ length: n }, (_, i) => new Uint8Array([i, 255 - i]))],
    ['DATE', 'RLE', (n) => Int32Array.from({ length: n }, (_, i) => 20240101 + (i % 28))],
    ['TIMESTAMP', 'TS_2DIFF', (n) => BigInt64Array.from({ length: n }, (_, i) => 1700000000000n + BigInt(i))],
  ];
  out.push([
    'encodings',
    await written({ maxPointsPerPage: 12 }, async (w) => {
      w.registerTimeseries(
        'root.f.enc',
        encodings.map(([dataType, encoding], k) => ({ measurement: `m${k}`, dataType: dataType as never, encoding: encoding as never, compression: 'UNCOMPRESSED' })),
      );
      const n = 30;
      await w.write('root.f.enc', { time: times(n), columns: Object.fromEntries(encodings.map(([, , v], k) => [`m${k}`, v(n)])) as never });
    }),
  ]);
  out.push([
    'aligned',
    await written({ maxPointsPerPage: 10 }, async (w) => {
      w.registerAlignedDevice('root.f.al', [
        { measurement: 'a', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' },
        { measurement: 'b', dataType: 'TEXT', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
        { measurement: 'c', dataType: 'FLOAT', encoding: 'GORILLA', compression: 'SNAPPY' },
      ]);
      for (let g = 0; g < 2; g++) {
        const n = 25;
        await w.write('root.f.al', {
          time: times(n, g * 5000),
          columns: {
            a: Array.from({ length: n }, (_, i) => (i % 4 === 1 ? null : BigInt(i))),
            b: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `v${i}`)),
            c: Array.from({ length: n }, (_, i) => (i > 18 ? null : i / 8)),
          },
        });
        await w.flush();
      }
    }),
  ]);
  out.push([
    'table',
    await written({ maxPointsPerPage: 10 }, async (w) => {
      w.registerTable('tb', [
        { name: 'region', category: 'TAG' },
        { name: 'v', category: 'FIELD', dataType: 'DOUBLE', encoding: 'GORILLA', compression: 'ZSTD' },
        { name: 'n', category: 'FIELD', dataType: 'INT32', encoding: 'RLE', compression: 'LZ4' },
      ]);
      for (const region of ['north', 'south']) {
        const n = 20;
        await w.write('tb', { time: times(n), columns: { region: Array.from({ length: n }, () => region), v: Float64Array.from({ length: n }, (_, i) => i), n: Int32Array.from({ length: n }, (_, i) => -i) } });
      }
    }),
  ]);
  for (const layout of ['java', 'cpp'] as const) {
    out.push([
      `v3-${layout}`,
      await written({ version: 3, layout, maxPointsPerPage: 8, maxIndexDegree: 2 }, async (w) => {
        for (let d = 0; d < 3; d++) {
          w.registerTimeseries(`root.v3.d${d}`, [
            { measurement: 's', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'SNAPPY' },
            { measurement: 't', dataType: 'DOUBLE', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
          ]);
          const n = 12;
          await w.write(`root.v3.d${d}`, { time: times(n), columns: { s: BigInt64Array.from({ length: n }, (_, i) => BigInt(i * d)), t: Float64Array.from({ length: n }, (_, i) => i + d / 10) } });
        }
      }),
    ]);
  }
  return out;
}

/** Small files of the shared reference corpus, when it is there. */
function sharedSeeds(maxBytes: number): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (const group of ['java', 'cpp']) {
    const dir = join(SHARED_FIXTURES, group);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.tsfile')).sort()) {
      const p = join(dir, f);
      if (statSync(p).size <= maxBytes) out.push([`${group}/${f}`, new Uint8Array(readFileSync(p))]);
    }
  }
  return out;
}

export interface SeedOptions {
  /** Also mutate the shared corpus' files up to this size (0: none). */
  sharedMaxBytes?: number;
}

export async function loadSeeds(options: SeedOptions = {}): Promise<Seed[]> {
  const files: [string, Uint8Array][] = [['worked-example', WORKED_EXAMPLE]];
  const sample = join(REPO_ROOT, 'fixtures/sample.tsfile');
  if (existsSync(sample)) files.push(['sample', new Uint8Array(readFileSync(sample))]);
  files.push(...(await writerSeeds()));
  if ((options.sharedMaxBytes ?? 0) > 0) files.push(...sharedSeeds(options.sharedMaxBytes!));
  return files.map(([name, bytes]) => ({ name, bytes, fields: mapFields(bytes) }));
}
