/** Option sets several commands share: writer settings, point selection, threads, overwriting. */
import { Compression, Encoding, type CompressionName, type EncodingName } from '../format/codes.js';
import type { TsFileWriterOptions } from '../writer/options.js';
import type { CommandArgs, OptionSpec } from './args.js';
import type { TimeUnitName } from '../arrow/time-unit.js';

export const ENCODING_NAMES = Object.keys(Encoding) as EncodingName[];
export const COMPRESSION_NAMES = Object.keys(Compression) as CompressionName[];

export const THREADS_OPTION: OptionSpec = { name: 'threads', type: 'int', min: 0, max: 256, arg: 'N', help: 'work on N worker threads (0 = this thread; default: this thread on 1–2 cores, else cores − 1)' };

export const FORCE_OPTION: OptionSpec = { name: 'force', type: 'flag', help: 'replace an existing output file (it is replaced only once the new one is complete)' };

export const ENCODING_OPTION: OptionSpec = { name: 'encoding', type: 'choice', choices: ENCODING_NAMES, ignoreCase: true, arg: 'E', help: 'encoding of every series (PLAIN, RLE, TS_2DIFF, GORILLA, ...)' };
export const COMPRESSION_OPTION: OptionSpec = {
  name: 'compression', type: 'choice', choices: COMPRESSION_NAMES, ignoreCase: true, arg: 'C', help: 'compression of every series (UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD, LZMA2)',
};

/** Writer settings of rewrite and import. */
export const WRITER_OPTIONS: readonly OptionSpec[] = [
  { name: 'format-version', type: 'int', min: 3, max: 4, arg: '3|4', help: 'format version to write (3 for IoTDB 1.x)' },
  { name: 'page-points', type: 'int', min: 1, max: 1 << 24, arg: 'N', help: 'most points per page (default 10000)' },
  { name: 'page-bytes', type: 'int', min: 64, max: 1 << 30, arg: 'N', help: 'page size threshold in bytes (default 65536)' },
  { name: 'index-degree', type: 'int', min: 2, max: 1 << 16, arg: 'N', help: 'most children of a metadata index node (default 256)' },
  { name: 'chunk-group-bytes', type: 'int', min: 1024, max: 2 ** 40, arg: 'N', help: 'buffered bytes that trigger a chunk group flush (default 64 MiB)' },
  { name: 'float-precision', type: 'int', min: 0, max: 30, arg: 'N', help: 'decimals kept by RLE/TS_2DIFF on FLOAT/DOUBLE (default 2)' },
  { name: 'allow-lossy', type: 'flag', help: 'accept values the chosen encoding cannot store exactly' },
];

export function writerOptions(args: CommandArgs): TsFileWriterOptions {
  const o: TsFileWriterOptions = {};
  const set = <K extends keyof TsFileWriterOptions>(key: K, v: TsFileWriterOptions[K] | undefined) => {
    if (v !== undefined) o[key] = v;
  };
  set('version', args.int('format-version') as 3 | 4 | undefined);
  set('maxPointsPerPage', args.int('page-points'));
  set('pageSizeBytes', args.int('page-bytes'));
  set('maxIndexDegree', args.int('index-degree'));
  set('chunkGroupSizeBytes', args.int('chunk-group-bytes'));
  set('floatPrecision', args.int('float-precision'));
  if (args.flag('allow-lossy')) o.allowLossyEncoding = true;
  const threads = args.int('threads');
  if (threads !== undefined) o.threads = threads;
  return o;
}

/** Point selection of export and load. */
export const SELECTION_OPTIONS: readonly OptionSpec[] = [
  { name: 'devices', type: 'list', arg: 'A,B', help: 'device paths or patterns (* one node, ** any nodes)' },
  { name: 'measurements', type: 'list', arg: 'A,B', help: 'measurement names' },
  { name: 'start-time', type: 'time', arg: 'T', help: 'first timestamp to include (an epoch integer in the files’ unit, or ISO-8601 such as 2024-01-01T00:00:00Z)' },
  { name: 'end-time', type: 'time', arg: 'T', help: 'last timestamp to include (epoch integer or ISO-8601)' },
];

export interface Selection {
  devices?: string[];
  measurements?: string[];
  startTime?: bigint;
  endTime?: bigint;
}

/** The unit the files' times are in (TsFile does not record it): ISO times and Arrow/Parquet types follow it. */
export const TIME_UNIT_OPTION: OptionSpec = {
  name: 'time-unit',
  type: 'choice',
  choices: ['ms', 'us', 'ns'],
  arg: 'ms|us|ns',
  help: "unit of the files' times (default ms, IoTDB's default): ISO-8601 times are read in it, Arrow and Parquet label it",
};

/** The --time-unit given (ms when absent). */
export function timeUnitOf(args: CommandArgs): TimeUnitName {
  return args.choice<TimeUnitName>('time-unit') ?? 'ms';
}

/** The selection options; ISO-8601 times are converted to `unit`. */
export function selection(args: CommandArgs, unit: TimeUnitName = 'ms'): Selection {
  const s: Selection = {};
  const devices = args.list('devices');
  if (devices !== undefined) s.devices = devices;
  const measurements = args.list('measurements');
  if (measurements !== undefined) s.measurements = measurements;
  const st = args.time('start-time', unit);
  if (st !== undefined) s.startTime = st;
  const et = args.time('end-time', unit);
  if (et !== undefined) s.endTime = et;
  return s;
}
