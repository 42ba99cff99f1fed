/**
 * `tsfile load SOURCE... --to URL [options]` (connectors.md for the targets): loads TsFiles into
 * IoTDB, TDengine or StarRocks through the pipeline, or into a CSV file / Arrow IPC directory.
 * Database loads keep a checkpoint in the state directory (printed at start) so that re-running the
 * same command after a crash or Ctrl-C resumes; file targets have none: they are written beside
 * their place and appear only once complete, so a re-run starts over. `--dry-run` prints the first
 * requests; progress on a terminal; a summary at the end.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { createSink, parseTarget, type SinkOptions } from '../connectors/index.js';
import { DryRunSink } from '../connectors/dry-run.js';
import { DuckDBSink, isDuckDBTarget, parseDuckDBTarget } from '../connectors/duckdb/index.js';
import { redact } from '../connectors/core/errors.js';
import { AtomicFile } from '../io/atomic-file.js';
import { CsvFileSink, ArrowIpcDirectorySink } from '../pipeline/file-sinks.js';
import { pipe } from '../pipeline/pipe.js';
import type { PipeSink } from '../pipeline/types.js';
import { UsageError, type CommandArgs, type CommandSpec, type OptionSpec } from './args.js';
import { FORCE_OPTION, SELECTION_OPTIONS, selection } from './common-options.js';
import type { CliIo } from './io.js';
import { checkOutputs } from './outputs.js';
import { progress } from './progress.js';
import { reportError, runCommand } from './run.js';

/** Where database loads keep their checkpoints: $TSFILE_STATE_DIR, else $XDG_STATE_HOME/tsfile-arrow, else ~/.local/state/tsfile-arrow. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSFILE_STATE_DIR) return path.resolve(env.TSFILE_STATE_DIR);
  const base = env.XDG_STATE_HOME ? env.XDG_STATE_HOME : path.join(homedir(), '.local', 'state');
  return path.join(base, 'tsfile-arrow');
}

const COMMON = 'Common options';
const IOTDB = 'IoTDB';
const TDENGINE = 'TDengine';
const STARROCKS = 'StarRocks';

const LOAD_OPTIONS: OptionSpec[] = [
  { name: 'to', type: 'string', arg: 'URL', help: 'the target (see Targets)', group: COMMON },
  { name: 'user', type: 'string', arg: 'U', help: 'user name (also in the URL)', group: COMMON },
  { name: 'password', type: 'string', arg: 'P', help: 'password (also in the URL or TSFILE_LOAD_PASSWORD)', group: COMMON },
  ...SELECTION_OPTIONS.map((o) => ({ ...o, group: COMMON })),
  { name: 'batch-rows', type: 'int', min: 1, max: 10_000_000, arg: 'N', help: 'rows per request (default 10000; StarRocks 500000)', group: COMMON },
  { name: 'max-bytes', type: 'int', min: 1024, max: 2 ** 32, arg: 'N', help: 'request body bytes that trigger a send', group: COMMON },
  { name: 'flush-interval', type: 'int', min: 1, max: 86_400_000, arg: 'MS', help: 'send at least this often', group: COMMON },
  { name: 'retries', type: 'int', min: 0, max: 100, arg: 'N', help: 'retries per request (default 3)', group: COMMON },
  { name: 'timeout', type: 'int', min: 1, max: 86_400_000, arg: 'MS', help: 'request timeout', group: COMMON },
  { name: 'connect-timeout', type: 'int', min: 1, max: 86_400_000, arg: 'MS', help: 'connection timeout', group: COMMON },
  { name: 'ca', type: 'string', arg: 'FILE', help: 'extra trusted CA (PEM) for https:// and iotdbs:// targets', group: COMMON },
  { name: 'checkpoint', type: 'string', arg: 'FILE', help: 'resume file of a database load (default: in the state directory)', group: COMMON },
  { name: 'no-checkpoint', type: 'flag', help: 'keep no checkpoint (a re-run loads everything again)', group: COMMON },
  { name: 'segment-batches', type: 'int', min: 0, max: 1 << 20, arg: 'N', help: 'source batches per checkpoint / transaction (default 64; 0 = per file)', group: COMMON },
  { name: 'watch', type: 'flag', help: 'keep loading new files that appear in the source directories', group: COMMON },
  { name: 'watch-interval', type: 'int', min: 10, max: 86_400_000, arg: 'MS', help: 'how often --watch looks (default 1000)', group: COMMON },
  { name: 'dry-run', type: 'flag', help: 'print the first requests instead of sending', group: COMMON },
  { ...FORCE_OPTION, help: 'replace an existing csv: target file', group: COMMON },
  { name: 'protocol', type: 'choice', choices: ['binary', 'compact'], help: 'thrift protocol of iotdb://', group: IOTDB },
  { name: 'sessions', type: 'int', min: 1, max: 256, arg: 'N', help: 'sessions per node', group: IOTDB },
  { name: 'no-redirect', type: 'flag', help: 'ignore redirections to other nodes', group: IOTDB },
  { name: 'create-schema', type: 'flag', help: 'create the time series first', group: IOTDB },
  { name: 'aligned', type: 'choice', choices: ['auto', 'true', 'false'], help: 'write devices as aligned (default auto: as in the file)', group: IOTDB },
  { name: 'table-database', type: 'string', arg: 'DB', help: 'write the table model into DB (required for table-model files)', group: IOTDB },
  { name: 'rest-blob', type: 'choice', choices: ['refuse', 'hex-text'], help: 'BLOB over REST (which has no binary form): refuse (default) or store the 0x-hex text', group: IOTDB },
  { name: 'tag-columns', type: 'list', arg: 'a,b', help: 'tag column names of the table model', group: IOTDB },
  { name: 'stable', type: 'string', arg: 'NAME', help: 'super table name', group: TDENGINE },
  { name: 'table-template', type: 'string', arg: 'T', help: 'sub-table name template ({device})', group: TDENGINE },
  { name: 'precision', type: 'choice', choices: ['ms', 'us', 'ns'], help: 'timestamp precision', group: TDENGINE },
  { name: 'text-width', type: 'int', min: 1, max: 65_535, arg: 'N', help: 'width of NCHAR/VARCHAR columns', group: TDENGINE },
  { name: 'line-protocol', type: 'flag', help: 'write with the InfluxDB line protocol', group: TDENGINE },
  { name: 'time-column', type: 'string', arg: 'NAME', help: 'name of the time column', group: TDENGINE },
  { name: 'non-finite', type: 'choice', choices: ['error', 'null'], help: 'NaN and infinities (TDengine and StarRocks cannot store them): refuse (default) or write NULL', group: TDENGINE },
  { name: 'create-database', type: 'flag', help: 'create the database first (PRECISION from the data, KEEP covering the oldest row)', group: TDENGINE },
  { name: 'keep', type: 'int', min: 1, max: 365_000, arg: 'DAYS', help: 'KEEP of a created database (default: enough for the oldest row, at least 3650)', group: TDENGINE },
  { name: 'format', type: 'choice', choices: ['csv', 'json'], help: 'Stream Load body format', group: STARROCKS },
  { name: 'time-format', type: 'choice', choices: ['epoch-ms', 'datetime'], help: 'how times are sent', group: STARROCKS },
  { name: 'column-separator', type: 'string', arg: 'S', help: 'CSV column separator (\\t, \\x01 escapes)', group: STARROCKS },
  { name: 'row-delimiter', type: 'string', arg: 'S', help: 'CSV row delimiter', group: STARROCKS },
  { name: 'exactly-once', type: 'flag', help: 'load through transactions', group: STARROCKS },
  { name: 'label-prefix', type: 'string', arg: 'P', help: 'Stream Load label prefix', group: STARROCKS },
  { name: 'properties', type: 'list', arg: 'k=v,k2=v2', help: 'extra Stream Load headers', group: STARROCKS },
];

export const loadCommand: CommandSpec = {
  name: 'load',
  summary: 'load TsFiles into IoTDB, TDengine or StarRocks, or a CSV file / Arrow directory',
  usage: ['SOURCE... --to URL [options]'],
  description: `Loads TsFiles (files or directories) into a database, a CSV file or a directory of Arrow IPC streams.

Targets (--to):
  iotdb://user:pass@host:6667           IoTDB native session RPC (iotdbs:// for TLS)
  iotdb+http://host:18080               IoTDB REST API v2 (iotdb+https:// for TLS)
  tdengine+http://host:6041/db          TDengine via taosAdapter REST (tdengine+https://)
  starrocks://host:8030/db/table        StarRocks Stream Load (starrocks+https://)
  duckdb:FILE.duckdb[?table=NAME]       an embedded DuckDB database file (table "tsfile" by default):
                                        exact types, exactly once (the checkpoint commits with the rows)
  csv:FILE | arrow:DIR                  canonical CSV file / Arrow IPC stream files (DIR new or empty)

Database loads keep a checkpoint in the state directory ($TSFILE_STATE_DIR, else
$XDG_STATE_HOME/tsfile-arrow, else ~/.local/state/tsfile-arrow), named after the target and options
and printed at start: re-running the same command resumes. File targets keep none; they appear
only once complete.`,
  positionals: { min: 1, max: Infinity, names: 'at least one SOURCE' },
  options: LOAD_OPTIONS,
  run: load,
};

/** `tsfile load` with its command line (for tests and embedding). */
export function runLoad(argv: string[], io: CliIo): Promise<number> {
  return runCommand(loadCommand, argv, io);
}

function unescapeSeparator(s: string | undefined): string | undefined {
  return s?.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function sinkOptions(a: CommandArgs, retryHook: (e: unknown, n: number) => void): SinkOptions {
  const o: SinkOptions = { onRetry: retryHook };
  const set = <K extends keyof SinkOptions>(k: K, v: SinkOptions[K] | undefined): void => { if (v !== undefined) o[k] = v; };
  set('user', a.string('user'));
  set('password', a.string('password') ?? process.env.TSFILE_LOAD_PASSWORD);
  set('maxRows', a.int('batch-rows'));
  set('maxBytes', a.int('max-bytes'));
  set('flushIntervalMs', a.int('flush-interval'));
  const retries = a.int('retries');
  if (retries !== undefined) o.retry = { maxRetries: retries };
  set('requestTimeoutMs', a.int('timeout'));
  const ca = a.string('ca');
  if (ca !== undefined) o.tls = { ca: readFileSync(ca) };
  set('connectTimeoutMs', a.int('connect-timeout'));
  set('protocol', a.choice<'binary' | 'compact'>('protocol'));
  set('sessions', a.int('sessions'));
  if (a.flag('no-redirect')) o.redirection = false;
  if (a.flag('create-schema')) o.createSchema = true;
  const aligned = a.choice('aligned');
  if (aligned !== undefined) o.aligned = aligned === 'auto' ? 'auto' : aligned === 'true';
  set('tableDatabase', a.string('table-database'));
  set('tagColumns', a.list('tag-columns'));
  set('stable', a.string('stable'));
  set('tableTemplate', a.string('table-template'));
  set('precision', a.choice<'ms' | 'us' | 'ns'>('precision'));
  set('textWidth', a.int('text-width'));
  if (a.flag('line-protocol')) o.lineProtocol = true;
  set('timeColumn', a.string('time-column'));
  set('nonFinite', a.choice<'error' | 'null'>('non-finite'));
  if (a.flag('create-database')) o.createDatabase = true;
  set('keepDays', a.int('keep'));
  set('restBlob', a.choice<'refuse' | 'hex-text'>('rest-blob'));
  set('format', a.choice<'csv' | 'json'>('format'));
  set('timeFormat', a.choice<'epoch-ms' | 'datetime'>('time-format'));
  set('columnSeparator', unescapeSeparator(a.string('column-separator')));
  set('rowDelimiter', unescapeSeparator(a.string('row-delimiter')));
  if (a.flag('exactly-once')) o.exactlyOnce = true;
  set('labelPrefix', a.string('label-prefix'));
  const props = a.list('properties');
  if (props !== undefined) {
    o.properties = Object.fromEntries(props.map((p) => {
      const i = p.indexOf('=');
      if (i <= 0) throw new UsageError(`--properties entries look like key=value, got ${JSON.stringify(p)}`);
      return [p.slice(0, i), p.slice(i + 1)];
    }));
  }
  return o;
}

function fmt(n: number): string { return Math.round(n).toLocaleString('en-US'); }

/** A file target written beside its place: committed (moved into place) only after a complete load. */
interface FileTarget {
  sink: PipeSink;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

async function csvTarget(file: string, sources: readonly string[], force: boolean): Promise<FileTarget> {
  await checkOutputs(sources, [file], force);
  const out = await AtomicFile.create(file, { overwrite: force });
  const sink = new CsvFileSink(out.tempPath);
  return { sink, commit: () => out.commit(), discard: () => out.discard() };
}

async function arrowTarget(dir: string): Promise<FileTarget> {
  const existing = await stat(dir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) throw new UsageError(`arrow:${dir} is not a directory`);
  if (existing !== undefined && (await readdir(dir)).length > 0) throw new UsageError(`arrow:${dir} is not empty (its files would be replaced): name a new or empty directory`);
  const parent = path.dirname(path.resolve(dir));
  if (!(await stat(parent).then((s) => s.isDirectory(), () => false))) throw new UsageError(`the directory ${path.dirname(dir)} of arrow:${dir} does not exist`);
  const temp = path.join(parent, `.${path.basename(dir)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  await mkdir(temp);
  return {
    sink: new ArrowIpcDirectorySink(temp),
    commit: async () => {
      if (existing !== undefined) await rmdir(dir);
      await rename(temp, dir);
    },
    discard: () => rm(temp, { recursive: true, force: true }),
  };
}

async function load(a: CommandArgs, io: CliIo): Promise<number> {
  const to = a.string('to');
  if (to === undefined) throw new UsageError('needs the target: --to URL');
  const dry = a.flag('dry-run');
  let retries = 0;
  const onRetry = (e: unknown, n: number): void => { retries++; if (retries <= 20) io.stderr.write(`retry ${n}: ${redact(e instanceof Error ? e.message : String(e))}\n`); };
  let sink: PipeSink;
  let display: string;
  let fileTarget: FileTarget | undefined;
  const opts = sinkOptions(a, onRetry);
  if (isDuckDBTarget(to)) {
    let target: ReturnType<typeof parseDuckDBTarget>;
    try {
      target = parseDuckDBTarget(to);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (dry) throw new UsageError('--dry-run has no meaning for a DuckDB file');
    display = `duckdb:${path.resolve(target.path)}?table=${target.table ?? 'tsfile'}`;
    sink = await DuckDBSink.open(target);
  } else if (to.startsWith('csv:') || to.startsWith('arrow:')) {
    if (to.endsWith(':')) throw new UsageError(`--to ${to} needs a path after the colon`);
    if (a.has('checkpoint')) throw new UsageError('--checkpoint is for database targets: a file target is written whole or not at all');
    display = to;
    if (dry) {
      io.stdout.write(`dry run: would write ${to}\n`);
      return 0;
    }
    fileTarget = to.startsWith('csv:') ? await csvTarget(to.slice(4), a.positionals, a.flag('force')) : await arrowTarget(to.slice(6));
    sink = fileTarget.sink;
  } else {
    let target: ReturnType<typeof parseTarget>;
    try {
      target = parseTarget(to);
    } catch (e) {
      throw new UsageError(redact((e as Error).message));
    }
    display = target.display;
    sink = dry ? new DryRunSink(target, opts, io.stdout) : createSink(target, opts);
  }
  const { onRetry: _hook, password: _pw, user: _user, ...layout } = opts;
  const job = `${display} ${JSON.stringify(layout, Object.keys(layout).sort())}`;
  const checkpoint = dry || fileTarget !== undefined || a.flag('no-checkpoint') ? undefined
    : a.string('checkpoint') ?? path.join(stateDirectory(), `load-${createHash('sha1').update(job).digest('hex').slice(0, 16)}.json`);
  if (checkpoint !== undefined) {
    await mkdir(path.dirname(path.resolve(checkpoint)), { recursive: true });
    io.stderr.write(`checkpoint: ${checkpoint}\n`);
  }
  const source: Parameters<typeof pipe>[0]['source'] = { paths: [...a.positionals], ...selection(a) };
  if (a.flag('watch')) { source.watch = true; source.watchIntervalMs = a.int('watch-interval') ?? 1000; }
  const started = performance.now();
  const bar = progress(io.stderr, `load → ${display}`, 1, 'rows');
  const label = a.string('label-prefix');
  const p = pipe({
    source, sink, job, ...(checkpoint !== undefined ? { checkpoint } : {}), segmentBatches: a.int('segment-batches') ?? 64,
    ...(label !== undefined ? { labelPrefix: label } : {}),
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
    onProgress: (s) => bar.update(s.filesTotal > 0 ? s.filesDone / s.filesTotal : 0, s.sink.rows),
  });
  let s: Awaited<ReturnType<typeof p.start>>;
  try {
    s = await p.start();
  } catch (e) {
    await fileTarget?.discard();
    throw e;
  }
  bar.finish();
  const secs = (performance.now() - started) / 1000;
  const m = s.sink;
  // Cancelled after the last batch: a file target still does not appear.
  if (s.state === 'done' && fileTarget !== undefined && io.signal?.aborted) s = { ...s, state: 'stopped' };
  if (s.state !== 'done') await fileTarget?.discard();
  if (s.state === 'stopped') {
    reportError(io, 'load', `cancelled after ${fmt(m.rows)} rows; ${fileTarget !== undefined ? `${display} was not written` : 're-run the same command to resume'}`);
    return 130;
  }
  if (s.state === 'failed') {
    const e = s.error;
    const done = `${fmt(m.rows)} rows loaded${s.rowsSkipped > 0 ? `, ${fmt(s.rowsSkipped)} rows already loaded (checkpoint)` : ''}`;
    reportError(io, 'load', `${e instanceof Error ? e.message : String(e)} (${done}${fileTarget !== undefined ? `; ${display} was not written` : '; re-run to resume'})`);
    return 1;
  }
  await fileTarget?.commit();
  if (!dry) {
    io.stderr.write(`loaded: ${fmt(m.rows)} rows, ${fmt(m.bytes)} bytes, ${m.requests ?? m.batches} requests (${m.batches} batches, ${fmt(m.bytesSent ?? m.bytes)} bytes sent), ${m.retries} retries, ` +
      `${m.failedBatches} failed${m.failedBatches > 0 ? ' (replayed)' : ''}, ${s.filesDone}/${s.filesTotal} files, ${secs.toFixed(2)} s, ${fmt(m.rows / Math.max(1e-3, secs))} rows/s` +
      `${s.rowsSkipped > 0 ? `, ${fmt(s.rowsSkipped)} rows already loaded (checkpoint)` : ''} → ${display} [${sink.guarantee}]\n`);
  }
  return 0;
}
