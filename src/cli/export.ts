/** `tsfile export FILE... --format csv|jsonl|arrow|parquet [-o OUT]`: the canonical CSV, JSON lines, Arrow IPC (file or stream) or Parquet. */
import { TsFileReader } from '../reader/tsfile-reader.js';
import { exportCsv } from '../export/csv.js';
import { exportJsonLines } from '../export/jsonl.js';
import { exportArrowIpc, ipcFormatOfName } from '../export/arrow-ipc.js';
import { streamSink, type TextSink } from '../export/text-sink.js';
import { exportParquet } from '../export/parquet.js';
import { parseParquetCompression, PARQUET_COMPRESSIONS } from '../export/parquet-writer.js';
import { atomicFile, parquetDirectory } from '../export/atomic-file.js';
import { planParquetParts } from '../export/parquet-layout.js';
import { UsageError, type CommandArgs, type CommandSpec } from './args.js';
import { FORCE_OPTION, SELECTION_OPTIONS, selection, THREADS_OPTION, TIME_UNIT_OPTION, timeUnitOf } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, resolveInputs, textOnto, withOutputFile } from './outputs.js';
import { progress } from './progress.js';
import { isQueryExport, QUERY_OPTIONS, runQueryExport } from './export-query.js';

export const exportCommand: CommandSpec = {
  name: 'export',
  summary: 'write the points as CSV, JSON lines, Arrow IPC or Parquet',
  usage: ['FILE... [--format csv|jsonl|arrow|parquet] [-o OUT] [options]', 'FILE... --paths P1,P2 [--where FILTER] [--format F] [-o OUT] [options]'],
  description: `Writes the points of the FILEs (paths, directories of *.tsfile, or globs) to OUT (standard output
when no -o is given), file after file in path order. OUT appears only once complete.
  csv     the canonical long CSV: device,measurement,time,value, sorted (default)
  jsonl   one JSON object per row: {"device", "time", "<measurement>": value, ...}
  arrow   Arrow IPC: the file format when OUT ends in .arrow, .feather or .ipc, else (and on
          standard output) the stream format; one schema over all FILEs: device (dictionary),
          time (Timestamp), tag columns of table-model tables, one column per measurement;
          types, encodings, compressions, aligned devices and table schemas ride in the
          field and schema metadata, so tsfile import rebuilds the same layout
  parquet Parquet with exact types (Timestamp in --time-unit, DATE, BLOB, FLOAT, ...); needs -o:
          tree devices in long form (device, time, one column per measurement) to the file
          OUT, or, when there are table-model tables or --layout per-device, one
          OUT/<table or device>.parquet each (tag columns as columns)
With --paths, the FILEs are queried as one: a wide table of time and one column per series path,
a row for every time any of them has (nulls elsewhere), kept where --where holds, in any format:
  --where "root.sg.d1.s1 > 10 and (root.sg.d2.s1 is null or time >= 2024-01-01T00:00:00Z)"
  (=, !=, <, <=, >, >=, IS [NOT] NULL, AND, OR, NOT, parentheses; 'text', numbers, true/false,
  dates and ISO-8601 date-times; statistics skip the chunks and pages that cannot match)
Progress is shown on stderr when it is a terminal.`,
  positionals: { min: 1, max: Infinity, names: 'at least one FILE' },
  options: [
    { name: 'format', short: 'f', type: 'choice', choices: ['csv', 'jsonl', 'arrow', 'parquet'], arg: 'csv|jsonl|arrow|parquet', help: 'output format (default csv)' },
    { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'output file (default: standard output)' },
    FORCE_OPTION,
    ...SELECTION_OPTIONS,
    TIME_UNIT_OPTION,
    ...QUERY_OPTIONS,
    THREADS_OPTION,
    { name: 'compression', type: 'choice', choices: PARQUET_COMPRESSIONS, ignoreCase: true, help: 'Parquet compression (default zstd)', group: 'Parquet' },
    { name: 'layout', type: 'choice', choices: ['long', 'per-device'], help: 'tree devices in one table, or one file per device', group: 'Parquet' },
    { name: 'row-group-rows', type: 'int', min: 1, max: 1 << 26, arg: 'N', help: 'rows per row group (default 524288; bounds memory)', group: 'Parquet' },
  ],
  run: runExport,
};

async function runExport(args: CommandArgs, io: CliIo): Promise<number> {
  const format = args.choice<'csv' | 'jsonl' | 'arrow' | 'parquet'>('format') ?? 'csv';
  const outPath = args.string('output');
  const files = await resolveInputs(args.positionals, exportCommand);
  const threads = args.int('threads');
  if (isQueryExport(args)) return runQueryExport(files, format, args, outPath, args.int('threads'), io);
  const unit = timeUnitOf(args);
  const open = (file: string) => TsFileReader.open(file, { timeUnit: unit, ...(threads === undefined ? {} : { threads }) });
  if (outPath !== undefined && format !== 'parquet') await checkOutputs(files, [outPath], args.flag('force'));
  if (format === 'parquet') return runParquetExport(files, args, outPath, open, io);
  for (const name of ['compression', 'layout', 'row-group-rows']) if (args.has(name)) throw new UsageError(`--${name} is an option of --format parquet`);
  const opts = { ...selection(args, unit), signal: io.signal };
  const exportAll = async (sink: TextSink): Promise<void> => {
    if (format === 'arrow') return exportArrow(files, sink, { ...opts, format: ipcFormatOfName(outPath) }, open, io);
    for (let k = 0; k < files.length; k++) {
      const file = files[k]!;
      const reader = await open(file);
      try {
        let total = 0;
        for (const d of await reader.devices()) for (const s of await reader.timeseries(d.path)) total += s.points;
        const p = progress(io.stderr, `export ${file}`, total, 'points');
        const onProgress = (n: number) => p.update(n);
        if (format === 'csv') await exportCsv(reader, sink, { ...opts, header: k === 0, onProgress });
        else await exportJsonLines(reader, sink, { ...opts, onProgress });
        p.finish();
      } finally {
        await reader.close();
      }
    }
  };
  if (outPath === undefined) await exportAll(streamSink(io.stdout));
  else await withOutputFile(outPath, args.flag('force'), (sink) => exportAll(textOnto(sink)), io.signal);
  return 0;
}

/** All FILEs into one Arrow IPC output (one union schema), the readers open together. */
type OpenReader = (file: string) => Promise<TsFileReader>;

async function exportArrow(files: string[], sink: TextSink, options: Parameters<typeof exportArrowIpc>[2], open: OpenReader, io: CliIo): Promise<void> {
  const readers: TsFileReader[] = [];
  try {
    for (const f of files) readers.push(await open(f));
    const p = progress(io.stderr, `export ${files.length === 1 ? files[0] : `${files.length} files`}`, 0, 'rows');
    await exportArrowIpc(readers, sink, { ...options, onProgress: (n) => p.update(n) });
    p.finish();
  } finally {
    for (const r of readers) await r.close();
  }
}

async function runParquetExport(files: string[], args: CommandArgs, outPath: string | undefined, open: OpenReader, io: CliIo): Promise<number> {
  if (outPath === undefined) throw new UsageError('Parquet export needs -o OUT (a file, or a directory for several tables)');
  const options = {
    layout: args.choice<'long' | 'per-device'>('layout') ?? 'long',
    compression: parseParquetCompression(args.choice('compression') ?? 'zstd'),
    rowGroupRows: args.int('row-group-rows'),
    ...selection(args, timeUnitOf(args)),
    signal: io.signal,
  };
  const readers = await Promise.all(files.map(open));
  try {
    const parts = await planParquetParts(readers, options);
    const single = parts.length === 1 && parts[0]!.kind === 'long';
    const out = single ? await atomicFile(outPath) : parquetDirectory(outPath);
    const p = progress(io.stderr, `export ${files.length === 1 ? files[0] : `${files.length} files`}`, 0, 'rows');
    try {
      const result = await exportParquet(readers, out, { ...options, onProgress: (n) => p.update(n) });
      if (single) await (out as Awaited<ReturnType<typeof atomicFile>>).commit();
      p.finish();
      for (const t of result.tables) io.stderr.write(`${t.path ?? outPath}: ${t.rows.toLocaleString('en-US')} rows, ${t.columns} columns\n`);
    } catch (e) {
      if (single) await (out as Awaited<ReturnType<typeof atomicFile>>).discard();
      throw e;
    }
  } finally {
    for (const r of readers) await r.close();
  }
  return 0;
}
