/** `tsfile import IN -o OUT.tsfile`: canonical long CSV, wide CSV or Arrow IPC into a TsFile. */
import { createReadStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { importParquet } from '../convert/import-parquet.js';
import { open, readFile, stat } from 'node:fs/promises';
import { importArrow } from '../convert/import-arrow.js';
import { importCsv } from '../convert/import-csv.js';
import { importJsonLines } from '../convert/import-jsonl.js';
import { parseCompressionName, parseDataTypeName, parseEncodingName, DataType } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { TsFileWriter } from '../writer/tsfile-writer.js';
import { UsageError, type CommandArgs, type CommandSpec } from './args.js';
import { createSource, parseTarget, type SourceOptions } from '../connectors/index.js';
import { pipe } from '../pipeline/pipe.js';
import { TsFilePipeSink } from '../pipeline/tsfile-sink.js';
import { COMPRESSION_OPTION, ENCODING_OPTION, FORCE_OPTION, SELECTION_OPTIONS, selection, THREADS_OPTION, WRITER_OPTIONS, writerOptions } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, withOutputFile } from './outputs.js';
import { progress } from './progress.js';
import { runCommand } from './run.js';

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'a TsFile from the canonical CSV, a wide CSV or Arrow IPC',
  usage: ['IN -o OUT.tsfile [options]', '--from URL -o OUT.tsfile [options]'],
  description: `Writes a TsFile from
  - the canonical long CSV (header device,measurement,time,value), as tsfile export writes it;
  - a wide CSV: a first column named time (integers or ISO date-times), then one column per
    measurement — full paths like root.sg.d1.s1, or names of the device given with --device;
  - JSON lines as tsfile export --format jsonl writes them: {"device", "time", "<measurement>": value};
  - an Arrow IPC file or stream with a time column (and a device column, or --device);
  - a Parquet file, long (a device column, as tsfile export --format parquet writes it) or wide
    (--device); with tag columns (--table and --tag-columns, or as our export marks them) the rows
    become a table-model table (named after the file unless --table). Types come back from the
    file's schema; timestamps of any unit become milliseconds when exact, else are refused.
CSV is RFC 4180 (quoted fields with commas, doubled quotes and line breaks; CRLF; a BOM); errors
name the file and line. Rows may come in any order: the points of each device are sorted by time
with bounded memory (sorted runs spill to temporary files beyond --sort-buffer points); with
--presorted they are taken as they come and the first point out of time order is refused.
Types are inferred from all the values (true/false → BOOLEAN, integers → INT64, numbers → DOUBLE,
YYYY-MM-DD → DATE, 0x-hex → BLOB, else TEXT) unless given with --types. Devices whose path starts
with root. are tree devices; devices <table>.<tag>... of the table-model need --table and --tag-columns.
With --from URL it reads a database instead (iotdb://user:pass@host:6667 native RPC,
iotdb+http://host:18080 REST, tdengine+http://host:6041/db): devices, types and aligned flags
from the database, times in its precision, --devices / --measurements / --start-time /
--end-time to select, pages of --page-rows rows, --parallel splits read at once.
OUT appears only once complete; an existing OUT is replaced only with --force.`,
  positionals: { min: 0, max: 1, names: 'one IN file (or --from URL)' },
  options: [
    { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'the TsFile to write (required)' },
    { name: 'from', type: 'string', arg: 'URL', help: 'read from a database instead of IN (iotdb://, iotdb+http://, tdengine+http://)' },
    { name: 'user', type: 'string', arg: 'U', help: 'database user (also in the URL)' },
    { name: 'password', type: 'string', arg: 'P', help: 'database password (also in the URL or TSFILE_LOAD_PASSWORD)' },
    ...SELECTION_OPTIONS,
    { name: 'page-rows', type: 'int', min: 1, max: 10_000_000, arg: 'N', help: 'rows per query page with --from (default 10000)' },
    { name: 'parallel', type: 'int', min: 1, max: 64, arg: 'N', help: 'splits read at once with --from (default 2)' },
    { name: 'window', type: 'int', min: 1, max: Number.MAX_SAFE_INTEGER, arg: 'N', help: 'TDengine: time window of one split, in the database precision (default one day)' },
    { name: 'precision', type: 'choice', choices: ['ms', 'us', 'ns'], help: 'IoTDB REST: the server timestamp precision (default ms)' },
    { name: 'retries', type: 'int', min: 0, max: 100, arg: 'N', help: 'retries per query (default 3)' },
    { name: 'timeout', type: 'int', min: 1, max: 86_400_000, arg: 'MS', help: 'query timeout' },
    FORCE_OPTION,
    { name: 'format', type: 'choice', choices: ['csv', 'jsonl', 'arrow', 'parquet'], arg: 'csv|jsonl|arrow|parquet', help: "input format (default: from the file's first bytes)" },
    { name: 'presorted', type: 'flag', help: 'the points of each device come in time order: write them as they come, refuse the first that does not' },
    { name: 'sort-buffer', type: 'int', min: 1000, max: 100_000_000, arg: 'N', help: 'points held in memory while sorting before a sorted run spills to a temporary file (default 500000)' },
    { name: 'table', type: 'string', arg: 'NAME', help: 'devices NAME.<tag values> are rows of the table-model table NAME' },
    { name: 'tag-columns', type: 'list', arg: 'a,b', help: 'tag column names of --table, in the order of the device path' },
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

async function* textChunks(path: string, onBytes: (n: number) => void, signal?: AbortSignal): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16, ...(signal !== undefined ? { signal } : {}) });
  for await (const chunk of stream) {
    onBytes(stream.bytesRead);
    yield chunk as string;
  }
}

/** The input format from the first bytes: Arrow IPC (file magic or stream continuation), JSON lines ("{"), else CSV. */
async function sniffFormat(path: string): Promise<'csv' | 'jsonl' | 'arrow' | 'parquet'> {
  const head = new Uint8Array(64);
  const h = await open(path, 'r').catch((cause: unknown) => {
    throw new TsFileError(ErrorCode.IO, `cannot open the input: ${(cause as Error).message}`, { file: path, cause });
  });
  let n: number;
  try {
    n = (await h.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await h.close();
  }
  if (String.fromCharCode(...head.subarray(0, 6)) === 'ARROW1' || (head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff)) return 'arrow';
  if (String.fromCharCode(...head.subarray(0, 4)) === 'PAR1') return 'parquet';
  const text = new TextDecoder().decode(head.subarray(0, n)).replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('{') ? 'jsonl' : 'csv';
}

/** `--from URL`: a database source piped into the TsFile, which appears only when every split is read. */
async function importFrom(url: string, output: string, args: CommandArgs, io: CliIo): Promise<number> {
  const force = args.flag('force');
  await checkOutputs([], [output], force);
  const sel = selection(args);
  const o: SourceOptions = { ...sel };
  const set = <K extends keyof SourceOptions>(k: K, v: SourceOptions[K] | undefined): void => { if (v !== undefined) o[k] = v; };
  set('user', args.string('user'));
  set('password', args.string('password') ?? process.env.TSFILE_LOAD_PASSWORD);
  set('pageRows', args.int('page-rows'));
  set('parallel', args.int('parallel'));
  const w = args.int('window');
  if (w !== undefined) o.window = BigInt(w);
  set('precision', args.choice<'ms' | 'us' | 'ns'>('precision'));
  const retries = args.int('retries');
  if (retries !== undefined) o.retry = { maxRetries: retries };
  set('requestTimeoutMs', args.int('timeout'));
  const target = parseTarget(url);
  const source = createSource(target, o);
  const sink = new TsFilePipeSink(output, { ...writerOptions(args), overwrite: force });
  const started = performance.now();
  const st = await pipe({ source, sink, ...(io.signal !== undefined ? { signal: io.signal } : {}) }).start();
  if (st.state !== 'done') {
    await sink.discard();
    if (st.state === 'stopped') { io.stderr.write('interrupted: nothing written\n'); return 130; }
    throw st.error;
  }
  await sink.commit();
  const secs = (performance.now() - started) / 1000;
  const m = source.metrics;
  io.stderr.write(`${target.display} → ${output}: ${st.filesTotal} splits, ${st.rowsRead.toLocaleString('en-US')} rows, ${m.requests} requests, ${m.retries} retries, ` +
    `${secs.toFixed(2)} s, ${Math.round(st.rowsRead / Math.max(1e-3, secs)).toLocaleString('en-US')} rows/s\n`);
  return 0;
}

async function runImport(args: CommandArgs, io: CliIo): Promise<number> {
  const output = args.string('output');
  if (output === undefined) throw new UsageError('needs the output: -o OUT.tsfile');
  const from = args.string('from');
  if (from !== undefined && args.positionals.length > 0) throw new UsageError('give either IN or --from URL, not both');
  if (from !== undefined) return importFrom(from, output, args, io);
  const input = args.positionals[0];
  if (input === undefined) throw new UsageError('needs IN (a CSV or Arrow file) or --from URL');
  const types = parseTypes(args.list('types'));
  const force = args.flag('force');
  await checkOutputs([input], [output], force);
  const tableName = args.string('table');
  const tagColumns = args.list('tag-columns');
  if (tableName !== undefined && tagColumns === undefined) throw new UsageError('--table needs --tag-columns (the names of its tag columns, in path order)');
  if (tagColumns !== undefined && tableName === undefined) throw new UsageError('--tag-columns needs --table (the table the devices belong to)');
  const inputStat = await stat(input).catch((cause: unknown) => {
    throw new TsFileError(ErrorCode.IO, `cannot read the input: ${(cause as Error).message}`, { file: input, cause });
  });
  if (inputStat.isDirectory()) throw new TsFileError(ErrorCode.IO, 'the input is a directory, not a file', { file: input });
  const format = args.choice<'csv' | 'jsonl' | 'arrow' | 'parquet'>('format') ?? (await sniffFormat(input));
  if ((format === 'arrow' || format === 'parquet') && (args.flag('presorted') || args.has('sort-buffer'))) {
    throw new UsageError('--presorted and --sort-buffer are options of CSV and JSON-lines input');
  }
  if (format === 'arrow' && (args.flag('presorted') || args.has('sort-buffer') || tableName !== undefined)) {
    throw new UsageError('--presorted, --sort-buffer, --table and --tag-columns are options of CSV and JSON-lines input');
  }
  const encodingName = args.choice('encoding');
  const compressionName = args.choice('compression');
  const device = args.string('device');
  const common = {
    ...(device !== undefined ? { device } : {}),
    ...(args.flag('aligned') ? { aligned: true } : {}),
    ...(encodingName !== undefined ? { encoding: parseEncodingName(encodingName) } : {}),
    ...(compressionName !== undefined ? { compression: parseCompressionName(compressionName) } : {}),
    signal: io.signal,
  };
  const sortBuffer = args.int('sort-buffer');
  const text = {
    ...common,
    file: input,
    presorted: args.flag('presorted'),
    ...(sortBuffer !== undefined ? { maxPointsInMemory: sortBuffer } : {}),
    ...(tableName !== undefined ? { table: { name: tableName, tagColumns: tagColumns! } } : {}),
    ...(types !== undefined ? { types } : {}),
  };
  // Reading is the known total: bytes of the input (the sort, when there is one, follows it).
  const p = progress(io.stderr, `import ${input}`, inputStat.size, 'bytes');
  let bytesRead = 0;
  const onBytes = (n: number) => {
    bytesRead = n;
    p.update(n);
  };
  const r = await withOutputFile(output, force, async (sink) => {
    const writer = await TsFileWriter.open(sink, writerOptions(args));
    const result =
      format === 'parquet'
        ? await importParquet(await openAsBlob(input), writer, {
          ...common, onProgress: () => p.update(inputStat.size),
          ...(tagColumns !== undefined ? { tagColumns } : {}),
          table: tableName ?? basename(input).replace(/\.parquet$/i, ''),
        })
        : format === 'arrow'
        ? await importArrow(new Uint8Array(await readFile(input)), writer, { ...common, onProgress: () => p.update(inputStat.size) })
        : format === 'jsonl'
          ? await importJsonLines(textChunks(input, onBytes, io.signal), writer, { ...text, onProgress: () => p.update(bytesRead) })
          : await importCsv(textChunks(input, onBytes, io.signal), writer, { ...text, onProgress: () => p.update(bytesRead) });
    await writer.close();
    return result;
  }, io.signal);
  p.finish();
  io.stderr.write(`${input} → ${output}: ${r.devices} devices, ${r.series} series, ${r.points} points\n`);
  return 0;
}

/** `tsfile import` with its command line (for tests and embedding). */
export function runImportCommand(argv: string[], io: CliIo): Promise<number> {
  return runCommand(importCommand, argv, io);
}
