/** `tsfile rewrite IN... OUT`: read with our reader, write with our writer, optionally with other settings. */
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { rewriteTsFile } from '../convert/rewrite.js';
import type { CompressionName, EncodingName } from '../format/codes.js';
import { TsFileReader } from '../reader/tsfile-reader.js';
import { UsageError, type CommandArgs, type CommandSpec } from './args.js';
import { COMPRESSION_OPTION, ENCODING_OPTION, FORCE_OPTION, THREADS_OPTION, WRITER_OPTIONS, writerOptions } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, resolveInputs, withOutputFile } from './outputs.js';
import { progress } from './progress.js';

export const rewriteCommand: CommandSpec = {
  name: 'rewrite',
  summary: 'read and write again, keeping or changing encodings and settings',
  usage: ['IN OUT [options]', 'IN... OUTDIR [options]'],
  description: `Reads IN and writes it again as OUT. With no options every series keeps its data type, encoding,
compression, alignment and model, and the file keeps its format version. Several inputs (files,
directories or globs), or an existing directory as the last argument, write into OUTDIR under
their own names. An output is never one of the inputs (compared as files, through links), two
inputs never land on one name, and an existing output is replaced only with --force, once the new
file is complete.`,
  positionals: { min: 2, max: Infinity, names: 'IN and OUT' },
  options: [ENCODING_OPTION, COMPRESSION_OPTION, ...WRITER_OPTIONS, FORCE_OPTION, THREADS_OPTION],
  run: runRewrite,
};

async function totalPoints(file: string): Promise<number> {
  const reader = await TsFileReader.open(file, { threads: 0 });
  try {
    let n = 0;
    for (const d of await reader.devices()) for (const s of await reader.timeseries(d.path)) n += s.points;
    return n;
  } finally {
    await reader.close();
  }
}

async function runRewrite(args: CommandArgs, io: CliIo): Promise<number> {
  const out = args.positionals[args.positionals.length - 1]!;
  const inputs = await resolveInputs(args.positionals.slice(0, -1), rewriteCommand);
  const encoding = args.choice<EncodingName>('encoding');
  const compression = args.choice<CompressionName>('compression');
  const writer = writerOptions(args);
  const threads = args.int('threads');
  const force = args.flag('force');
  const outIsDir = inputs.length > 1 || out.endsWith('/') || (await stat(out).then((s) => s.isDirectory(), () => false));
  const targets = inputs.map((input) => (outIsDir ? join(out, basename(input)) : out));
  for (let k = 0; k < targets.length; k++) {
    const first = targets.indexOf(targets[k]!);
    if (first < k) throw new UsageError(`${inputs[first]} and ${inputs[k]} would both be written to ${targets[k]}: rewrite them into different directories`);
  }
  await checkOutputs(inputs, targets, force);
  if (outIsDir) await mkdir(out, { recursive: true });
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!;
    const target = targets[k]!;
    const p = progress(io.stderr, `rewrite ${input}`, await totalPoints(input));
    const r = await withOutputFile(target, force, (sink) =>
      rewriteTsFile(input, sink, {
        writer,
        ...(encoding !== undefined ? { encoding } : {}),
        ...(compression !== undefined ? { compression } : {}),
        reader: threads === undefined ? {} : { threads },
        signal: io.signal,
        onProgress: (n) => p.update(n),
      }),
      io.signal,
    );
    p.finish();
    io.stderr.write(`${input} → ${target}: ${r.devices} devices, ${r.series} series, ${r.points} points\n`);
  }
  return 0;
}
