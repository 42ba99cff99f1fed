/** `tsfile export FILE --format csv|jsonl|arrow [-o OUT]`: the canonical CSV, JSON lines or an Arrow IPC stream. */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { TsFileReader } from '../reader/tsfile-reader.js';
import { exportCsv } from '../export/csv.js';
import { exportJsonLines } from '../export/jsonl.js';
import { exportArrowIpc } from '../export/arrow-ipc.js';
import { streamSink } from '../export/text-sink.js';
import { bigintOption, listOption, parseArgs, stringOption } from './args.js';
import type { CliIo } from './io.js';
import { progress } from './progress.js';

export const EXPORT_HELP = `Usage: tsfile export FILE [--format csv|jsonl|arrow] [-o OUT] [options]

Writes the points of FILE to OUT (standard output when no -o is given).
  --format csv     the canonical long CSV: device,measurement,time,value, sorted (default)
  --format jsonl   one JSON object per row: {"device", "time", "<measurement>": value, ...}
  --format arrow   an Arrow IPC stream with columns device, time and one per measurement
  -o, --output OUT       output file
  --devices A,B          device paths or patterns (* one node, ** any nodes)
  --measurements A,B     measurement names
  --start-time T         first timestamp to include
  --end-time T           last timestamp to include
Progress is shown on stderr when it is a terminal.`;

export async function runExport(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, ['format', 'output', 'devices', 'measurements', 'start-time', 'end-time'], { o: 'output', f: 'format' });
  if (args.options.has('help')) {
    io.stdout.write(`${EXPORT_HELP}\n`);
    return 0;
  }
  const file = args.positionals[0];
  const format = stringOption(args, 'format') ?? 'csv';
  if (file === undefined || args.positionals.length > 1 || !['csv', 'jsonl', 'arrow'].includes(format)) {
    io.stderr.write(`${EXPORT_HELP}\n`);
    return 2;
  }
  const outPath = stringOption(args, 'output');
  const reader = await TsFileReader.open(file);
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
    let total = 0;
    for (const d of await reader.devices()) for (const s of await reader.timeseries(d.path)) total += s.points;
    if (format === 'csv') {
      const p = progress(io.stderr, `export ${file}`, total);
      await exportCsv(reader, sink, { ...opts, onProgress: (n) => p.update(n) });
      p.finish();
    } else if (format === 'jsonl') {
      const p = progress(io.stderr, `export ${file}`, total);
      await exportJsonLines(reader, sink, { ...opts, onProgress: (n) => p.update(n) });
      p.finish();
    } else {
      const p = progress(io.stderr, `export ${file}`, 0, 'rows');
      await exportArrowIpc(reader, sink, { ...opts, onProgress: (n) => p.update(n) });
      p.finish();
    }
  } finally {
    await reader.close();
    if (outPath !== undefined) {
      stream.end();
      await finished(stream);
    }
  }
  return 0;
}
