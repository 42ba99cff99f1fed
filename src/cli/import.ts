/** `tsfile import IN -o OUT.tsfile`: canonical long CSV, wide CSV or Arrow IPC into a TsFile. */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { importArrow } from '../convert/import-arrow.js';
import { importCsv } from '../convert/import-csv.js';
import { parseCompressionName, parseDataTypeName, parseEncodingName, DataType } from '../format/codes.js';
import { TsFileWriter } from '../writer/tsfile-writer.js';
import { UsageError, type CommandArgs, type CommandSpec } from './args.js';
import { COMPRESSION_OPTION, ENCODING_OPTION, FORCE_OPTION, THREADS_OPTION, WRITER_OPTIONS, writerOptions } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, withOutputFile } from './outputs.js';
import { progress } from './progress.js';

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'a TsFile from the canonical CSV, a wide CSV or Arrow IPC',
  usage: ['IN -o OUT.tsfile [options]'],
  description: `Writes a TsFile from
  - the canonical long CSV (header device,measurement,time,value), as tsfile export writes it;
  - a wide CSV: a first column named time (integers or ISO date-times), then one column per
    measurement — full paths like root.sg.d1.s1, or names of the device given with --device;
  - an Arrow IPC file or stream with a time column (and a device column, or --device).
Types are inferred from the data (true/false → BOOLEAN, integers → INT64, numbers → DOUBLE,
YYYY-MM-DD → DATE, 0x-hex → BLOB, else TEXT) unless given with --types.
OUT appears only once complete; an existing OUT is replaced only with --force.`,
  positionals: { min: 1, max: 1, names: 'one IN file' },
  options: [
    { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'the TsFile to write (required)' },
    FORCE_OPTION,
    { name: 'format', type: 'choice', choices: ['csv', 'arrow'], arg: 'csv|arrow', help: "input format (default: from the file's first bytes)" },
    { name: 'device', type: 'string', arg: 'PATH', help: "device of a wide CSV's or an Arrow stream's columns" },
    { name: 'aligned', type: 'flag', help: 'write the devices as aligned' },
    { name: 'types', type: 'list', arg: 'm1=INT32,m2=FLOAT', help: 'data types by measurement name' },
    ENCODING_OPTION,
    COMPRESSION_OPTION,
    ...WRITER_OPTIONS,
    THREADS_OPTION,
  ],
  run: runImport,
};

function parseTypes(list: string[] | undefined): Record<string, DataType> | undefined {
  if (list === undefined) return undefined;
  const out: Record<string, DataType> = {};
  const names = Object.keys(DataType).filter((k) => Number.isNaN(Number(k)));
  for (const item of list) {
    const eq = item.lastIndexOf('=');
    if (eq <= 0) throw new UsageError(`--types entries look like name=TYPE, got ${JSON.stringify(item)}`);
    const type = item.slice(eq + 1).toUpperCase();
    if (!names.includes(type)) throw new UsageError(`--types: unknown data type ${JSON.stringify(item.slice(eq + 1))} (one of ${names.join(', ')})`);
    out[item.slice(0, eq)] = parseDataTypeName(type);
  }
  return out;
}

async function* textChunks(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream) yield chunk as string;
}

async function looksLikeArrow(path: string): Promise<boolean> {
  const head = new Uint8Array(8);
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

async function runImport(args: CommandArgs, io: CliIo): Promise<number> {
  const input = args.positionals[0]!;
  const output = args.string('output');
  if (output === undefined) throw new UsageError('needs the output: -o OUT.tsfile');
  const types = parseTypes(args.list('types'));
  const force = args.flag('force');
  await checkOutputs([input], [output], force);
  const format = args.choice<'csv' | 'arrow'>('format') ?? ((await looksLikeArrow(input)) ? 'arrow' : 'csv');
  const encodingName = args.choice('encoding');
  const compressionName = args.choice('compression');
  const device = args.string('device');
  const common = {
    ...(device !== undefined ? { device } : {}),
    aligned: args.flag('aligned'),
    ...(encodingName !== undefined ? { encoding: parseEncodingName(encodingName) } : {}),
    ...(compressionName !== undefined ? { compression: parseCompressionName(compressionName) } : {}),
    signal: io.signal,
  };
  const p = progress(io.stderr, `import ${input}`, 0);
  const r = await withOutputFile(output, force, async (sink) => {
    const writer = await TsFileWriter.open(sink, writerOptions(args));
    const result =
      format === 'arrow'
        ? await importArrow(new Uint8Array(await readFile(input)), writer, { ...common, onProgress: (n) => p.update(n) })
        : await importCsv(textChunks(input), writer, { ...common, ...(types !== undefined ? { types } : {}), onProgress: (n) => p.update(n) });
    await writer.close();
    return result;
  });
  p.finish();
  io.stderr.write(`${input} → ${output}: ${r.devices} devices, ${r.series} series, ${r.points} points\n`);
  return 0;
}
