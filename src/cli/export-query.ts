/**
 * `tsfile export FILE... --paths P1,P2 [--where FILTER]`: the cross-device query as one wide,
 * time-aligned table (`time, <one column per path>`) in any export format, over all the FILEs as one.
 */
import { queryFiles } from '../engine/scan-files.js';
import { ipcFormatOfName } from '../export/arrow-ipc.js';
import { exportQueryResult, type QueryExportFormat } from '../export/query-export.js';
import { parseParquetCompression } from '../export/parquet-writer.js';
import { streamSink } from '../export/text-sink.js';
import { isTsFileError } from '../io/errors.js';
import { parseFilter } from '../reader/query-filter-text.js';
import type { QueryFilter } from '../reader/query-filter.js';
import { UsageError, type CommandArgs, type OptionSpec } from './args.js';
import { selection, timeUnitOf } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs, textOnto, withOutputFile } from './outputs.js';
import { progress } from './progress.js';

export const QUERY_OPTIONS: readonly OptionSpec[] = [
  { name: 'paths', type: 'list', arg: 'P1,P2', help: 'query these series (full paths): one wide table, time then one column per path, rows aligned on time', group: 'Query' },
  { name: 'where', type: 'string', arg: 'FILTER', help: 'query: keep the rows FILTER holds for, e.g. "root.sg.d1.s1 > 10 and time >= 2024-01-01T00:00:00Z"', group: 'Query' },
];

/** Whether the command line asks for a query export. */
export function isQueryExport(args: CommandArgs): boolean {
  return args.has('paths') || args.has('where');
}

export async function runQueryExport(files: string[], format: QueryExportFormat, args: CommandArgs, outPath: string | undefined, threads: number | undefined, io: CliIo): Promise<number> {
  const paths = args.list('paths');
  if (paths === undefined || paths.length === 0) throw new UsageError('--where needs --paths (the series to show)');
  for (const name of ['devices', 'measurements', 'layout']) if (args.has(name)) throw new UsageError(`--paths replaces --${name}: name the series by their full paths`);
  if (format !== 'parquet') for (const name of ['compression', 'row-group-rows']) if (args.has(name)) throw new UsageError(`--${name} is an option of --format parquet`);
  if (format === 'parquet' && outPath === undefined) throw new UsageError('Parquet export needs -o OUT');
  const text = args.string('where');
  let filter: QueryFilter | undefined;
  if (text !== undefined) {
    try {
      filter = parseFilter(text);
    } catch (e) {
      if (isTsFileError(e)) throw new UsageError(`--where: ${e.message}`);
      throw e;
    }
  }
  const unit = timeUnitOf(args);
  const { startTime, endTime } = selection(args, unit);
  const force = args.flag('force');
  if (outPath !== undefined) await checkOutputs(files, [outPath], force);
  const options = {
    paths,
    timeUnit: unit,
    ...(filter === undefined ? {} : { filter }),
    ...(startTime === undefined ? {} : { startTime }),
    ...(endTime === undefined ? {} : { endTime }),
    ...(threads === undefined ? {} : { threads }),
    signal: io.signal,
  };
  const compression = format === 'parquet' ? parseParquetCompression(args.choice('compression') ?? 'zstd') : undefined;
  const rowGroupRows = args.int('row-group-rows');
  const write = async (sink: Parameters<typeof exportQueryResult>[2]): Promise<number> => {
    const p = progress(io.stderr, `export ${files.length === 1 ? files[0] : `${files.length} files`}`, 0, 'rows');
    const rows = await exportQueryResult(queryFiles(files, options), format, sink, { compression, rowGroupRows, ipcFormat: ipcFormatOfName(outPath), signal: io.signal, onProgress: (n) => p.update(n) });
    p.finish();
    return rows;
  };
  if (outPath === undefined) await write(streamSink(io.stdout));
  else await withOutputFile(outPath, force, (sink) => write(textOnto(sink)), io.signal);
  return 0;
}
