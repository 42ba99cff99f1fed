/** `tsfile rewrite IN... OUT`: read with our reader, write with our writer, optionally with other settings. */
import { stat, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { rewriteTsFile } from '../convert/rewrite.js';
import { resolveTsFiles } from '../engine/scan-files.js';
import { parseCompressionName, parseEncodingName, type CompressionName, type EncodingName } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { TsFileWriterOptions } from '../writer/options.js';
import { intOption, parseArgs, stringOption, type ParsedArgs } from './args.js';
import type { CliIo } from './io.js';
import { progress } from './progress.js';

export const REWRITE_HELP = `Usage: tsfile rewrite IN OUT [options]
       tsfile rewrite IN... OUTDIR [options]

Reads IN and writes it again as OUT. With no options every series keeps its data type, encoding,
compression, alignment and model, and the file keeps its format version. Several inputs (files,
directories or globs) are written into the directory OUTDIR under their own names.
  --format-version 3|4      format version to write (3 for IoTDB 1.x)
  --encoding E              re-encode every series with E (PLAIN, RLE, TS_2DIFF, GORILLA, ...)
  --compression C           recompress every series with C (UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD, LZMA2)
  --page-points N           most points per page (default 10000)
  --page-bytes N            page size threshold in bytes (default 65536)
  --index-degree N          most children of a metadata index node (default 256)
  --chunk-group-bytes N     buffered bytes that trigger a chunk group flush (default 128 MiB)
  --float-precision N       decimals kept by RLE/TS_2DIFF on FLOAT/DOUBLE (default 2)
  --allow-lossy             accept values the chosen encoding cannot store exactly
  --threads N               decode and encode on N worker threads (0 = this thread; default: the cores)`;

export function writerOptions(args: ParsedArgs): TsFileWriterOptions {
  const o: TsFileWriterOptions = {};
  const version = intOption(args, 'format-version');
  if (version !== undefined) {
    if (version !== 3 && version !== 4) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, '--format-version must be 3 or 4', { actual: String(version) });
    o.version = version;
  }
  const set = <K extends keyof TsFileWriterOptions>(key: K, v: TsFileWriterOptions[K] | undefined) => {
    if (v !== undefined) o[key] = v;
  };
  set('maxPointsPerPage', intOption(args, 'page-points'));
  set('pageSizeBytes', intOption(args, 'page-bytes'));
  set('maxIndexDegree', intOption(args, 'index-degree'));
  set('chunkGroupSizeBytes', intOption(args, 'chunk-group-bytes'));
  set('floatPrecision', intOption(args, 'float-precision'));
  if (args.options.has('allow-lossy')) o.allowLossyEncoding = true;
  return o;
}

export const WRITER_VALUED_OPTIONS = ['format-version', 'encoding', 'compression', 'page-points', 'page-bytes', 'index-degree', 'chunk-group-bytes', 'float-precision'];

export async function runRewrite(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, [...WRITER_VALUED_OPTIONS, 'threads']);
  if (args.options.has('help')) {
    io.stdout.write(`${REWRITE_HELP}\n`);
    return 0;
  }
  if (args.positionals.length < 2) {
    io.stderr.write(`${REWRITE_HELP}\n`);
    return 2;
  }
  const out = args.positionals[args.positionals.length - 1]!;
  const inputs = await resolveTsFiles(args.positionals.slice(0, -1));
  const encoding = stringOption(args, 'encoding');
  const compression = stringOption(args, 'compression');
  if (encoding !== undefined) parseEncodingName(encoding);
  if (compression !== undefined) parseCompressionName(compression);
  const writer = writerOptions(args);
  const threads = intOption(args, 'threads');
  const outIsDir = inputs.length > 1 || (await stat(out).then((s) => s.isDirectory(), () => false));
  if (outIsDir) await mkdir(out, { recursive: true });
  for (const input of inputs) {
    const target = outIsDir ? join(out, basename(input)) : out;
    if (target === input) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the output would overwrite the input', { file: input });
    const p = progress(io.stderr, `rewrite ${input}`, 0);
    const r = await rewriteTsFile(input, target, {
      writer: threads === undefined ? writer : { ...writer, threads },
      ...(encoding !== undefined ? { encoding: encoding.toUpperCase() as EncodingName } : {}),
      ...(compression !== undefined ? { compression: compression.toUpperCase() as CompressionName } : {}),
      reader: threads === undefined ? {} : { threads },
      signal: io.signal,
      onProgress: (n) => p.update(n),
    });
    p.finish();
    io.stderr.write(`${input} → ${target}: ${r.devices} devices, ${r.series} series, ${r.points} points\n`);
  }
  return 0;
}
