/**
 * Parquet and DuckDB on ../shared/fixtures/large/large_20m.tsfile, in one run: Parquet export
 * (ZSTD, Snappy, uncompressed) against our CSV and Arrow IPC exports (ms, bytes), and our DuckDB load
 * (pipeline + DuckDBSink into a fresh database file) against DuckDB's own
 * `CREATE TABLE … AS SELECT * FROM read_parquet(<our ZSTD export>)` into a fresh file, both
 * checkpointed. Each case runs once (the file is large); decoding uses the default worker pool.
 * Run: npx tsx bench/parquet-duckdb.bench.ts
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../src/compression/native.js';
import '../src/local-files.js';
import { installPoolRunner, destroySharedPool } from '../src/engine/pool-runner.js';
import { TsFileReader } from '../src/reader/tsfile-reader.js';
import { exportCsv } from '../src/export/csv.js';
import { exportArrowIpc } from '../src/export/arrow-ipc.js';
import { exportParquet } from '../src/export/parquet.js';
import { atomicFile } from '../src/export/atomic-file.js';
import { streamSink } from '../src/export/text-sink.js';
import { DuckDBSink } from '../src/connectors/duckdb/sink.js';
import { pipe } from '../src/pipeline/pipe.js';

installPoolRunner();
const here = dirname(fileURLToPath(import.meta.url));
const file = resolve(here, '../../shared/fixtures/large/large_20m.tsfile');
const dir = mkdtempSync(join(tmpdir(), 'tsfile-bench-pq-'));
const results: { name: string; ms: number; bytes: number; rows: number }[] = [];

async function timed(name: string, out: string, fn: () => Promise<number>): Promise<void> {
  const t0 = performance.now();
  const rows = await fn();
  const ms = performance.now() - t0;
  let bytes = statSync(out).size;
  try { bytes += statSync(`${out}.wal`).size; } catch { /* no WAL */ }
  results.push({ name, ms, bytes, rows });
  console.error(`${name}: ${ms.toFixed(0)} ms`);
}

async function toFile(path: string, write: (reader: TsFileReader, sink: ReturnType<typeof streamSink>) => Promise<number>): Promise<number> {
  const reader = await TsFileReader.open(file);
  const stream = createWriteStream(path);
  try {
    return await write(reader, streamSink(stream));
  } finally {
    stream.end();
    await finished(stream);
    await reader.close();
  }
}

try {
  await timed('export csv', join(dir, 'x.csv'), () => toFile(join(dir, 'x.csv'), (r, s) => exportCsv(r, s)));
  await timed('export arrow ipc', join(dir, 'x.arrows'), () => toFile(join(dir, 'x.arrows'), (r, s) => exportArrowIpc(r, s)));
  for (const c of ['zstd', 'snappy', 'uncompressed'] as const) {
    const path = join(dir, `x-${c}.parquet`);
    await timed(`export parquet ${c}`, path, async () => {
      const out = await atomicFile(path);
      const r = await exportParquet([file], out, { compression: c });
      await out.commit();
      return r.rows;
    });
  }
  const ours = join(dir, 'ours.duckdb');
  await timed('load duckdb (ours)', ours, async () => {
    const sink = await DuckDBSink.open({ path: ours });
    const s = await pipe({ source: { paths: [file] }, sink }).start();
    if (s.state !== 'done') throw s.error;
    return s.sink.rows;
  });
  const theirs = join(dir, 'theirs.duckdb');
  await timed('duckdb CTAS read_parquet', theirs, async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const inst = await DuckDBInstance.create(theirs);
    const conn = await inst.connect();
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_parquet('${join(dir, 'x-zstd.parquet')}')`);
    await conn.run('CHECKPOINT');
    const n = Number((await conn.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]![0]);
    conn.closeSync();
    inst.closeSync();
    return n;
  });
} finally {
  await destroySharedPool();
  rmSync(dir, { recursive: true, force: true });
}

const by = new Map(results.map((r) => [r.name, r]));
console.log('| case | ms | bytes | rows | M rows/s |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${r.bytes.toLocaleString('en-US')} | ${r.rows.toLocaleString('en-US')} | ${(r.rows / r.ms / 1000).toFixed(2)} |`);
const ratio = (a: string, b: string) => (by.get(a)!.ms / by.get(b)!.ms).toFixed(2);
console.log(`\nparquet zstd / csv time: ${ratio('export parquet zstd', 'export csv')}, / arrow: ${ratio('export parquet zstd', 'export arrow ipc')}`);
console.log(`our DuckDB load / DuckDB's read_parquet CTAS: ${ratio('load duckdb (ours)', 'duckdb CTAS read_parquet')}`);
console.log(JSON.stringify({ bench: 'parquet-duckdb', at: new Date().toISOString(), results }));
