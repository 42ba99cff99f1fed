/**
 * `tsfile bench [FILE]`: a fixed suite of named benchmarks on one file — read-metadata,
 * read-one-series, read-all, time-range query, write, convert-to-Arrow —
 * printed as a table, or as JSON lines `{name, ms, points, bytes}` with --json.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { tableToIPC, Table, type RecordBatch } from 'apache-arrow';
import { TsFileReader } from '../reader/tsfile-reader.js';
import { rewriteTsFile } from '../convert/rewrite.js';
import { MemorySink } from '../writer/sink.js';
import type { ReaderOptions } from '../reader/options.js';
import type { CommandArgs, CommandSpec } from './args.js';
import { THREADS_OPTION } from './common-options.js';
import type { CliIo } from './io.js';

export const benchCommand: CommandSpec = {
  name: 'bench',
  summary: 'benchmarks: metadata, one series, all, time range, write, to Arrow',
  usage: ['[FILE] [--threads N] [--runs N] [--json]'],
  description: `Runs the benchmark suite on FILE (default: the bundled fixtures/sample.tsfile) from memory:
  read-metadata     open the file, list devices and series (index only)
  read-one-series   scan the largest series
  read-all          scan every series
  time-range        scan the middle tenth of the file's time range
  write             write all of it again (same series, encodings and compressions) into memory
  convert-to-arrow  scan everything and serialise it as an Arrow IPC stream
Each is run --runs times after one warm-up; the median is reported.`,
  positionals: { min: 0, max: 1, names: 'at most one FILE' },
  options: [
    THREADS_OPTION,
    { name: 'runs', type: 'int', min: 1, max: 1000, arg: 'N', help: 'timed runs per benchmark (default 5)' },
    { name: 'json', type: 'flag', help: 'print one JSON line per benchmark: {"name", "ms", "points", "bytes"}' },
  ],
  run: runBench,
};

export interface BenchResult {
  name: string;
  ms: number;
  points: number;
  bytes: number;
}

function countPoints(batch: RecordBatch): number {
  let n = 0;
  for (let c = 1; c < batch.numCols; c++) n += batch.numRows - batch.getChildAt(c)!.nullCount;
  return n;
}

async function median(runs: number, fn: () => Promise<number>): Promise<{ ms: number; points: number }> {
  let points = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    points = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, points };
}

export async function runBenchSuite(bytes: Uint8Array, options: ReaderOptions, runs: number): Promise<BenchResult[]> {
  const open = () => TsFileReader.open(bytes, options);
  const probe = await open();
  let largest = { device: '', measurement: '', points: -1 };
  let minTime: bigint | undefined;
  let maxTime: bigint | undefined;
  for (const d of await probe.devices()) {
    for (const s of await probe.timeseries(d.path)) {
      if (s.points > largest.points) largest = { device: d.path, measurement: s.measurement, points: s.points };
      if (s.points > 0) {
        if (minTime === undefined || s.startTime < minTime) minTime = s.startTime;
        if (maxTime === undefined || s.endTime > maxTime) maxTime = s.endTime;
      }
    }
  }
  await probe.close();
  const span = (maxTime ?? 0n) - (minTime ?? 0n);
  const rangeStart = (minTime ?? 0n) + (span * 45n) / 100n;
  const rangeEnd = (minTime ?? 0n) + (span * 55n) / 100n;
  const scanAll = async (opts: Parameters<TsFileReader['scan']>[0]) => {
    const r = await open();
    let points = 0;
    for await (const { batch } of r.scan(opts)) points += countPoints(batch);
    await r.close();
    return points;
  };
  const suite: [string, () => Promise<number>][] = [
    [
      'read-metadata',
      async () => {
        const r = await open();
        let series = 0;
        for (const d of await r.devices()) series += (await r.timeseries(d.path)).length;
        await r.close();
        return series;
      },
    ],
    ['read-one-series', () => scanAll({ devices: [largest.device], measurements: [largest.measurement] })],
    ['read-all', () => scanAll({})],
    ['time-range', () => scanAll({ startTime: rangeStart, endTime: rangeEnd })],
    [
      'write',
      async () => (await rewriteTsFile(bytes, new MemorySink(), { reader: options })).points,
    ],
    [
      'convert-to-arrow',
      async () => {
        const r = await open();
        let points = 0;
        for await (const { batch } of r.scan({})) {
          points += countPoints(batch);
          tableToIPC(new Table([batch]), 'stream');
        }
        await r.close();
        return points;
      },
    ],
  ];
  const out: BenchResult[] = [];
  for (const [name, fn] of suite) {
    const { ms, points } = await median(runs, fn);
    out.push({ name, ms: Number(ms.toFixed(3)), points, bytes: bytes.length });
  }
  return out;
}

/** fixtures/sample.tsfile of the repository, seen from src/cli (sources) or dist/src/cli (build). */
function bundledSample(): string {
  for (const rel of ['../../fixtures/sample.tsfile', '../../../fixtures/sample.tsfile']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new TsFileError(ErrorCode.NOT_FOUND, 'no bundled example here: name the TsFile to benchmark');
}

async function runBench(args: CommandArgs, io: CliIo): Promise<number> {
  const file = args.positionals[0] ?? bundledSample();
  const threads = args.int('threads');
  const runs = args.int('runs') ?? 5;
  const bytes = await readFile(file).then((b) => new Uint8Array(b), (cause: unknown) => {
    throw new TsFileError(ErrorCode.IO, 'cannot read the file', { file, cause });
  });
  const results = await runBenchSuite(bytes, threads === undefined ? {} : { threads }, Math.max(1, runs));
  if (args.flag('json')) {
    for (const r of results) io.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const rows = [['benchmark', 'ms', 'points', 'M points/s'], ...results.map((r) => [r.name, r.ms.toFixed(1), String(r.points), r.name === 'read-metadata' ? '' : (r.points / r.ms / 1000).toFixed(1)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  io.stdout.write(`${file} (${bytes.length} bytes), threads ${threads ?? 'default'}\n`);
  for (const row of rows) io.stdout.write(`${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`);
  return 0;
}
