/** `tsfile export FILE --format csv|jsonl|arrow|parquet [-o OUT]`: the canonical CSV, JSON lines, an Arrow IPC stream or Parquet. */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { TsFileReader } from '../reader/tsfile-reader.js';
import { exportCsv } from '../export/csv.js';
import { exportJsonLines } from '../export/jsonl.js';
import { exportArrowIpc } from '../export/arrow-ipc.js';
import { streamSink } from '../export/text-sink.js';
import { exportParquet } from '../export/parquet.js';
import { parseParquetCompression } from '../export/parquet-writer.js';
import { atomicFile, parquetDirectory } from '../export/atomic-file.js';
import { planParquetParts } from '../export/parquet-layout.js';
import { bigintOption, intOption, listOption, parseArgs, stringOption } from './args.js';
import { resolveTsFiles } from '../engine/scan-files.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { CliIo } from './io.js';
import { progress } from './progress.js';

export const EXPORT_HELP = `Usage: tsfile export FILE... [--format csv|jsonl|arrow|parquet] [-o OUT] [options]

Writes the points of the FILEs (paths, directories of *.tsfile, or globs) to OUT (standard output
when no -o is given), file after file in path order.
  --format csv     the canonical long CSV: device,measurement,time,value, sorted (default)
  --format jsonl   one JSON object per row: {"device", "time", "<measurement>": value, ...}
  --format arrow   an Arrow IPC stream with columns device, time and one per measurement
  --format parquet Parquet with exact types (Timestamp(ms), DATE, BLOB, FLOAT, ...); needs -o:
                   tree devices in long form (device, time, one column per measurement) to the file
                   OUT, or, when there are table-model tables or --layout per-device, one
                   OUT/<table or device>.parquet each (tag columns as columns)
    --compression zstd|snappy|uncompressed   (default zstd)
    --layout long|per-device                 tree devices in one table, or one file per device
    --row-group-rows N                       rows per row group (default 524288; bounds memory)
  -o, --output OUT       output file
  --devices A,B          device paths or patterns (* one node, ** any nodes)
  --measurements A,B     measurement names
  --start-time T         first timestamp to include
  --end-time T           last timestamp to include
  --threads N            decode on N worker threads (default: the available cores; 0 = this thread)
Progress is shown on stderr when it is a terminal.`;

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['format', 'output', 'devices', 'measurements', 'start-time', 'end-time', 'threads', 'compression', 'layout', 'row-group-rows'], { o: 'output', f: 'format' });
  if (args.options.has('help')) {
    io.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  const format = stringOption(args, 'format') ?? 'csv';
  if (args.positionals.length === 0 || !['csv', 'jsonl', 'arrow', 'parquet'].includes(format)) {
    io.stderr.write(`${EXPORT_HELP}\n`);
    return 2;
  }
  const files = await resolveTsFiles(args.positionals);
  if (files.length === 0) throw new TsFileError(ErrorCode.NOT_FOUND, `no TsFile found in ${args.positionals.join(' ')}`);
  if (format === 'arrow' && files.length > 1) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'an Arrow IPC stream holds one file: export the files one at a time, or use csv/jsonl');
  }
  const threads = intOption(args, 'threads');
  const outPath = stringOption(args, 'output');
  if (format === 'parquet') return runParquetExport(files, args, outPath, threads, io);
  const stream = outPath === undefined ? io.stdout : createWriteStream(outPath);
  try {
    const sink = streamSink(stream);
    const opts = {
      devices: listOption(args, 'devices'),
      measurements: listOption(args, 'measurements'),
      startTime: bigintOption(args, 'start-time'),
      endTime: bigintOption(args, 'end-time'),
      signal: io.signal,
    };
    for (let k = 0; k < files.length; k++) {
      const file = files[k]!;
      const reader = await TsFileReader.open(file, threads === undefined ? {} : { threads });
      try {
        let total = 0;
        for (const d of await reader.devices()) for (const s of await reader.timeseries(d.path)) total += s.points;
        const p = progress(io.stderr, `export ${file}`, format === 'arrow' ? 0 : total, format === 'arrow' ? 'rows' : 'points');
        const onProgress = (n: number) => p.update(n);
        if (format === 'csv') await exportCsv(reader, sink, { ...opts, header: k === 0, onProgress });
        else if (format === 'jsonl') await exportJsonLines(reader, sink, { ...opts, onProgress });
        else await exportArrowIpc(reader, sink, { ...opts, onProgress });
        p.finish();
      } finally {
        await reader.close();
      }
    }
  } finally {
    if (outPath !== undefined) {
      stream.end();
      await finished(stream);
    }
  }
  return 0;
}

async function runParquetExport(files: string[], args: ReturnType<typeof parseArgs>, outPath: string | undefined, threads: number | undefined, io: CliIo): Promise<number> {
  if (outPath === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'Parquet export needs -o OUT (a file, or a directory for several tables)');
  const layout = stringOption(args, 'layout') ?? 'long';
  if (layout !== 'long' && layout !== 'per-device') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, '--layout must be long or per-device', { actual: layout });
  const compression = parseParquetCompression(stringOption(args, 'compression') ?? 'zstd');
  const options = {
    layout: layout as 'long' | 'per-device',
    compression,
    rowGroupRows: intOption(args, 'row-group-rows'),
    devices: listOption(args, 'devices'),
    measurements: listOption(args, 'measurements'),
    startTime: bigintOption(args, 'start-time'),
    endTime: bigintOption(args, 'end-time'),
    signal: io.signal,
  };
  const readers = await Promise.all(files.map((f) => TsFileReader.open(f, threads === undefined ? {} : { threads })));
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
