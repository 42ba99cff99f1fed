/** `tsfile import IN -o OUT.tsfile`: canonical long CSV, wide CSV or Arrow IPC into a TsFile. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { importArrow } from '../convert/import-arrow.js';
import { importCsv } from '../convert/import-csv.js';
import { parseCompressionName, parseDataTypeName, parseEncodingName, type DataType } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { TsFileWriter } from '../writer/tsfile-writer.js';
import { intOption, listOption, parseArgs, stringOption } from './args.js';
import type { CliIo } from './io.js';
import { progress } from './progress.js';
import { WRITER_VALUED_OPTIONS, writerOptions } from './rewrite.js';

export const IMPORT_HELP = `Usage: tsfile import IN -o OUT.tsfile [options]

Writes a TsFile from
  - the canonical long CSV (header device,measurement,time,value), as tsfile export writes it;
  - a wide CSV: a first column named time (integers or ISO date-times), then one column per
    measurement — full paths like root.sg.d1.s1, or names of the device given with --device;
  - an Arrow IPC file or stream with a time column (and a device column, or --device).
Types are inferred from the data (true/false → BOOLEAN, integers → INT64, numbers → DOUBLE,
YYYY-MM-DD → DATE, 0x-hex → BLOB, else TEXT) unless given with --types.
  -o, --output OUT          the TsFile to write (required)
  --device PATH             device of a wide CSV's or an Arrow stream's columns
  --aligned                 write the devices as aligned
  --types m1=INT32,m2=FLOAT data types by measurement name
  --encoding E              encoding of every series (default per type: RLE, TS_2DIFF, GORILLA, PLAIN)
  --compression C           compression of every series (default LZ4)
  --format csv|arrow        input format (default: from the file's first bytes)
  --threads N               encode on N worker threads (0 = this thread; default: the cores)
  plus the writer settings of tsfile rewrite: --format-version, --page-points, --page-bytes,
  --index-degree, --chunk-group-bytes, --float-precision, --allow-lossy`;

function parseTypes(list: string[] | undefined): Record<string, DataType> | undefined {
  if (list === undefined) return undefined;
  const out: Record<string, DataType> = {};
  for (const item of list) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `--types entries look like name=TYPE`, { actual: item });
    out[item.slice(0, eq)] = parseDataTypeName(item.slice(eq + 1));
  }
  return out;
}

async function* textChunks(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) yield chunk as string;
}

async function looksLikeArrow(path: string): Promise<boolean> {
  const head = new Uint8Array(8);
  const { open } = await import('node:fs/promises');
  const h = await open(path, 'r');
  try {
    await h.read(head, 0, 8, 0);
  } finally {
    await h.close();
  }
  const file = String.fromCharCode(...head.subarray(0, 6)) === 'ARROW1';
  const stream = head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
  return file || stream;
}

export async function runImport(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [...WRITER_VALUED_OPTIONS, 'output', 'device', 'types', 'format', 'threads'], { o: 'output' });
  if (args.options.has('help')) {
    io.stdout.write(`${IMPORT_HELP}\n`);
    return 0;
  }
  const input = args.positionals[0];
  const output = stringOption(args, 'output');
  if (input === undefined || args.positionals.length > 1 || output === undefined) {
    io.stderr.write(`${IMPORT_HELP}\n`);
    return 2;
  }
  const format = stringOption(args, 'format') ?? ((await looksLikeArrow(input)) ? 'arrow' : 'csv');
  if (format !== 'csv' && format !== 'arrow') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, '--format must be csv or arrow', { actual: format });
  const encodingName = stringOption(args, 'encoding');
  const compressionName = stringOption(args, 'compression');
  const common = {
    device: stringOption(args, 'device'),
    aligned: args.options.has('aligned'),
    ...(encodingName !== undefined ? { encoding: parseEncodingName(encodingName) } : {}),
    ...(compressionName !== undefined ? { compression: parseCompressionName(compressionName) } : {}),
    signal: io.signal,
  };
  const threads = intOption(args, 'threads');
  const writer = await TsFileWriter.open(output, threads === undefined ? writerOptions(args) : { ...writerOptions(args), threads });
  const p = progress(io.stderr, `import ${input}`, 0);
  const r =
    format === 'arrow'
      ? await importArrow(new Uint8Array(await readFile(input)), writer, { ...common, onProgress: (n) => p.update(n) })
      : await importCsv(textChunks(input), writer, { ...common, types: parseTypes(listOption(args, 'types')), onProgress: (n) => p.update(n) });
  await writer.close();
  p.finish();
  io.stderr.write(`${input} → ${output}: ${r.devices} devices, ${r.series} series, ${r.points} points\n`);
  return 0;
}
