/**
 * Writing on a worker pool gives the same file, byte for byte, as writing inline (tsfile-format.md
 * §16: pages are planned and chunks assembled on the calling thread; only page encoding moves):
 * every type × encoding, non-aligned and aligned devices with nulls, the table model, several
 * pages, automatic and explicit chunk group flushes, a small bound on tasks in flight.
 */
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { supportsEncoding } from '../../src/encoding/index.js';
import { createDecodePool } from '../../src/engine/pool-runner.js';
import { EncodePoolRunner, installWritePoolRunner, writePoolRunner } from '../../src/engine/write-pool.js';
import { Compression, DataType, Encoding, type CompressionName, type DataTypeName, type EncodingName } from '../../src/format/codes.js';
import { inlineEncodeRunner, resolveEncodeRunner, setEncodeRunnerFactory, type EncodeRunner } from '../../src/writer/encode-runner.js';
import { TsFileError } from '../../src/io/errors.js';
import { runEncodeTask, type EncodeTask } from '../../src/writer/page-task.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from './read-back.js';

const TYPES: DataTypeName[] = ['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'TEXT', 'STRING', 'BLOB', 'DATE', 'TIMESTAMP'];
const ENCODINGS: EncodingName[] = ['PLAIN', 'DICTIONARY', 'RLE', 'TS_2DIFF', 'GORILLA_V1', 'GORILLA', 'ZIGZAG', 'CHIMP', 'SPRINTZ', 'RLBE'];
const COMPRESSIONS: CompressionName[] = ['LZ4', 'UNCOMPRESSED', 'SNAPPY', 'GZIP', 'ZSTD'];
const WORDS = ['', 'a', 'running', 'idle', 'ünïcødé ✓', 'with,comma'];

const pool = createDecodePool(2);
// Every task goes to a worker, however small.
const pooled = new EncodePoolRunner(pool, { minTaskPoints: 0 });
afterAll(async () => {
  await pool.destroy();
});

function value(type: DataTypeName, i: number, k: number): unknown {
  const walk = ((i * 7919 + k * 104729) % 41) - 20 + (i >> 3);
  switch (type) {
    case 'BOOLEAN':
      return (i + k) % 3 === 0;
    case 'INT32':
      return walk;
    case 'INT64':
      return BigInt(walk) * 1_000_003n;
    case 'FLOAT':
    case 'DOUBLE':
      return walk / 4;
    case 'TEXT':
    case 'STRING':
      return WORDS[(i + k) % WORDS.length];
    case 'BLOB':
      return Uint8Array.from({ length: (i + k) % 5 }, (_, j) => (i * 31 + j) & 0xff);
    case 'DATE':
      return 20240101 + (i % 28);
    case 'TIMESTAMP':
      return 1_700_000_000_000n + BigInt(i * 1000 + walk);
  }
}

function columnsFor(encoding: EncodingName) {
  return TYPES.filter((t) => supportsEncoding(DataType[t], Encoding[encoding])).map((t, i) => ({
    measurement: `m_${t.toLowerCase()}`,
    dataType: t,
    encoding,
    compression: COMPRESSIONS[i % COMPRESSIONS.length]!,
  }));
}

/** The same writes through `runner`: tree non-aligned, tree aligned and a table, 4 batches. */
async function writeFile(runner: EncodeRunner, encoding: EncodingName): Promise<Uint8Array> {
  const cols = columnsFor(encoding);
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { runner, maxPointsPerPage: 300, chunkGroupSizeBytes: 60_000, maxTasksInFlight: 3, allowLossyEncoding: true });
  w.registerTimeseries('root.p.plain', cols);
  w.registerAlignedDevice('root.p.aligned', cols);
  w.registerTable('t', [{ name: 'tag', category: 'TAG' }, ...cols.map((c) => ({ ...c, name: c.measurement, category: 'FIELD' as const }))]);
  const n = 2000;
  for (let b = 0; b < 4; b++) {
    const lo = (b * n) / 4;
    const rows = n / 4;
    const time = Array.from({ length: rows }, (_, i) => BigInt(1000 + (lo + i) * 10 + ((lo + i) % 3)));
    const plain: Record<string, unknown[]> = {};
    const withNulls: Record<string, unknown[]> = {};
    cols.forEach((c, k) => {
      plain[c.measurement] = Array.from({ length: rows }, (_, i) => value(c.dataType, lo + i, k));
      withNulls[c.measurement] = plain[c.measurement]!.map((v, i) => ((lo + i + k) % 4 === 0 || (k === 0 && b === 1) ? null : v));
    });
    await w.write('root.p.plain', { time, columns: plain as never });
    await w.write('root.p.aligned', { time, columns: withNulls as never });
    const tag = Array.from({ length: rows }, (_, i) => ((lo + i) % 3 === 0 ? 'x' : 'y'));
    await w.write('t', { time, columns: { tag, ...withNulls } as never });
    if (b === 1) await w.flush();
  }
  await w.close();
  return sink.bytes();
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('pooled writes are byte-identical to inline writes', () => {
  it.each(ENCODINGS)('every type with %s: aligned, non-aligned and table model', async (encoding) => {
    const before = pool.completed;
    const inline = await writeFile(inlineEncodeRunner, encoding);
    const viaPool = await writeFile(pooled, encoding);
    // The pool really encoded pages (nothing fell back to the calling thread).
    expect(pool.completed).toBeGreaterThan(before);
    expect(firstDifference(viaPool, inline), `first differing byte (${viaPool.length} vs ${inline.length} bytes)`).toBe(-1);
    const back = await readBack(viaPool);
    const first = columnsFor(encoding)[0]!.measurement;
    expect(back.get('root.p.plain')!.get(first)!.values.length).toBe(2000);
    expect(back.get('root.p.aligned')!.get(first)!.values.length).toBe(2000 - 500 - 375);
  }, 60_000);
});

describe('one large write', () => {
  it('is split into several pooled tasks and still gives the inline bytes', async () => {
    const write = async (runner: EncodeRunner) => {
      const sink = new MemorySink();
      const w = await TsFileWriter.open(sink, { runner, maxPointsPerPage: 5000 });
      const specs = [
        { measurement: 'v', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' },
        { measurement: 's', dataType: 'TEXT', encoding: 'PLAIN', compression: 'SNAPPY' },
      ] as const;
      w.registerTimeseries('root.big.d', specs);
      w.registerAlignedDevice('root.big.a', specs);
      const n = 400_000;
      const time = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 5 + (i % 2)));
      const v = time.map((t) => t * 3n - 7n);
      const text = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : WORDS[i % WORDS.length]!));
      await w.write('root.big.d', { time, columns: { v, s: text.map((x) => x ?? '') } });
      await w.write('root.big.a', { time, columns: { v, s: text } });
      await w.close();
      return sink.bytes();
    };
    const before = pool.completed;
    const viaPool = await write(pooled);
    // Per device, about 2^17 points per task: several tasks each.
    expect(pool.completed - before).toBeGreaterThanOrEqual(8);
    expect(firstDifference(viaPool, await write(inlineEncodeRunner))).toBe(-1);
  }, 60_000);
});

describe('failures in a worker', () => {
  it('reject with the TsFileError the inline run gives, and the pool stays usable', async () => {
    const task = (encoding: Encoding): EncodeTask => ({
      kind: 'encodeSeriesPages',
      timeEncoding: Encoding.TS_2DIFF,
      series: [{ schema: { measurement: 's', dataType: DataType.INT64, encoding, compression: Compression.LZ4 }, times: BigInt64Array.of(1n, 2n), values: BigInt64Array.of(5n, 6n), pageEnds: Int32Array.of(2) }],
    });
    // DICTIONARY does not apply to INT64 (§8): the encoder refuses it.
    const inline = await runEncodeTask(task(Encoding.DICTIONARY)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(inline).toBeInstanceOf(TsFileError);
    await expect(pooled.run(task(Encoding.DICTIONARY))).rejects.toMatchObject({ name: (inline as TsFileError).name, code: (inline as TsFileError).code });
    const ok = await pooled.run(task(Encoding.PLAIN));
    expect(ok).toEqual(await runEncodeTask(task(Encoding.PLAIN)));
  });
});

describe('choosing the runner', () => {
  it('threads: 0 runs inline; without an installed factory everything runs inline', () => {
    setEncodeRunnerFactory(undefined);
    expect(resolveEncodeRunner({ threads: 0 })).toBe(inlineEncodeRunner);
    expect(resolveEncodeRunner({ threads: 2 })).toBe(inlineEncodeRunner);
    expect(resolveEncodeRunner({ runner: pooled })).toBe(pooled);
    expect(writePoolRunner({ threads: 0 })).toBe(inlineEncodeRunner);
  });

  it('rejects a bad thread count or task bound', async () => {
    for (const options of [{ threads: -1 }, { threads: 1.5 }, { maxTasksInFlight: 0 }]) {
      await expect(TsFileWriter.open(new MemorySink(), options)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('the installed factory runs a caller pool; such a writer gives the inline bytes', async () => {
    installWritePoolRunner();
    try {
      const r = resolveEncodeRunner({ pool });
      expect(r).toBeInstanceOf(EncodePoolRunner);
      expect((r as EncodePoolRunner).pool).toBe(pool);
      const write = async (options: { pool?: typeof pool; threads?: number }) => {
        const sink = new MemorySink();
        const w = await TsFileWriter.open(sink, options);
        w.registerTimeseries('root.f.d', [{ measurement: 's', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' }]);
        const time = BigInt64Array.from({ length: 50_000 }, (_, i) => BigInt(i * 3));
        await w.write('root.f.d', { time, columns: { s: time.map((t) => t * t) } });
        await w.close();
        return sink.bytes();
      };
      expect(firstDifference(await write({ pool }), await write({ threads: 0 }))).toBe(-1);
    } finally {
      setEncodeRunnerFactory(undefined);
    }
  }, 60_000);
});
