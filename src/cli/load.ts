/**
 * `tsfile load SOURCE... --to URL [options]` (connectors.md for the targets): loads TsFiles into
 * IoTDB, TDengine or StarRocks through the pipeline, with a checkpoint so that re-running the same command after a
 * crash or Ctrl-C resumes; `--dry-run` prints the first requests; progress with rows/s on a
 * terminal; a summary at the end; exit code 1 when a batch failed for good (after retries and,
 * for transactions, segment replays), 130 when interrupted.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createSink, parseTarget, type SinkOptions } from '../connectors/index.js';
import { DryRunSink } from '../connectors/dry-run.js';
import { redact } from '../connectors/core/errors.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { CsvFileSink, ArrowIpcDirectorySink } from '../pipeline/file-sinks.js';
import { pipe } from '../pipeline/pipe.js';
import type { PipeSink } from '../pipeline/types.js';
import { bigintOption, intOption, listOption, parseArgs, stringOption, type ParsedArgs } from './args.js';

export const LOAD_HELP = `Usage: tsfile load SOURCE... --to URL [options]

Loads TsFiles (files or directories) into a database.

Targets (--to):
  iotdb://user:pass@host:6667           IoTDB native session RPC (iotdbs:// for TLS)
  iotdb+http://host:18080               IoTDB REST API v2 (iotdb+https:// for TLS)
  tdengine+http://host:6041/db          TDengine via taosAdapter REST (tdengine+https://)
  starrocks://host:8030/db/table        StarRocks Stream Load (starrocks+https://)
  csv:FILE | arrow:DIR                  canonical CSV file / Arrow IPC stream files

Common options:
  --user U --password P        credentials (also in the URL or TSFILE_LOAD_PASSWORD)
  --devices P1,P2              device path patterns (root.sg.**)
  --measurements M1,M2         measurements to load
  --start-time T --end-time T  inclusive time range (epoch ms)
  --batch-rows N               rows per request (default 10000; StarRocks 500000)
  --max-bytes N                request body bytes that trigger a send
  --flush-interval MS          send at least this often
  --retries N                  retries per request (default 3)
  --timeout MS                 request timeout; --connect-timeout MS
  --ca FILE                    extra trusted CA (PEM) for https:// and iotdbs:// targets
  --checkpoint FILE            resume file (default .tsfile-load.<id>.json); --no-checkpoint
  --segment-batches N          source batches per checkpoint / transaction (default 64; 0 = per file)
  --watch [--watch-interval MS]  keep loading new files that appear in the source directories
  --dry-run                    print the first requests instead of sending
IoTDB:      --protocol binary|compact  --sessions N (per node)  --no-redirect  --create-schema
            --aligned auto|true|false
            --table-database DB  --tag-columns a,b
TDengine:   --stable NAME  --table-template T ({device})  --precision ms|us|ns  --text-width N
            --line-protocol  --time-column NAME  --non-finite error|null  --create-database
StarRocks:  --format csv|json  --time-format epoch-ms|datetime  --column-separator S  --row-delimiter S
            --exactly-once  --label-prefix P  --properties k=v,k2=v2`;

const VALUED = ['ca', 'to', 'user', 'password', 'devices', 'measurements', 'start-time', 'end-time', 'batch-rows', 'max-bytes', 'flush-interval',
  'retries', 'timeout', 'connect-timeout', 'checkpoint', 'segment-batches', 'watch-interval', 'protocol', 'sessions', 'aligned',
  'table-database', 'tag-columns', 'stable', 'table-template', 'precision', 'text-width', 'time-column', 'non-finite', 'format',
  'time-format', 'column-separator', 'row-delimiter', 'label-prefix', 'properties'];

const FLAGS = ['help', 'dry-run', 'no-checkpoint', 'watch', 'create-schema', 'no-redirect', 'line-protocol', 'create-database', 'exactly-once'];

function oneOf<T extends string>(a: ParsedArgs, name: string, allowed: readonly T[]): T | undefined {
  const v = stringOption(a, name);
  if (v !== undefined && !allowed.includes(v as T)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `--${name} must be one of ${allowed.join(', ')}`, { actual: v });
  return v as T | undefined;
}

function unescapeSeparator(s: string | undefined): string | undefined {
  return s?.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function sinkOptions(a: ParsedArgs, retryHook: (e: unknown, n: number) => void): SinkOptions {
  const o: SinkOptions = { onRetry: retryHook };
  const set = <K extends keyof SinkOptions>(k: K, v: SinkOptions[K] | undefined): void => { if (v !== undefined) o[k] = v; };
  set('user', stringOption(a, 'user'));
  set('password', stringOption(a, 'password') ?? process.env.TSFILE_LOAD_PASSWORD);
  set('maxRows', intOption(a, 'batch-rows'));
  set('maxBytes', intOption(a, 'max-bytes'));
  set('flushIntervalMs', intOption(a, 'flush-interval'));
  const retries = intOption(a, 'retries');
  if (retries !== undefined) o.retry = { maxRetries: retries };
  set('requestTimeoutMs', intOption(a, 'timeout'));
  const ca = stringOption(a, 'ca');
  if (ca !== undefined) o.tls = { ca: readFileSync(ca) };
  set('connectTimeoutMs', intOption(a, 'connect-timeout'));
  set('protocol', oneOf(a, 'protocol', ['binary', 'compact'] as const));
  set('sessions', intOption(a, 'sessions'));
  if (a.options.has('no-redirect')) o.redirection = false;
  if (a.options.has('create-schema')) o.createSchema = true;
  const aligned = oneOf(a, 'aligned', ['auto', 'true', 'false'] as const);
  if (aligned !== undefined) o.aligned = aligned === 'auto' ? 'auto' : aligned === 'true';
  set('tableDatabase', stringOption(a, 'table-database'));
  set('tagColumns', listOption(a, 'tag-columns'));
  set('stable', stringOption(a, 'stable'));
  set('tableTemplate', stringOption(a, 'table-template'));
  set('precision', oneOf(a, 'precision', ['ms', 'us', 'ns'] as const));
  set('textWidth', intOption(a, 'text-width'));
  if (a.options.has('line-protocol')) o.lineProtocol = true;
  set('timeColumn', stringOption(a, 'time-column'));
  set('nonFinite', oneOf(a, 'non-finite', ['error', 'null'] as const));
  if (a.options.has('create-database')) o.createDatabase = true;
  set('format', oneOf(a, 'format', ['csv', 'json'] as const));
  set('timeFormat', oneOf(a, 'time-format', ['epoch-ms', 'datetime'] as const));
  set('columnSeparator', unescapeSeparator(stringOption(a, 'column-separator')));
  set('rowDelimiter', unescapeSeparator(stringOption(a, 'row-delimiter')));
  if (a.options.has('exactly-once')) o.exactlyOnce = true;
  set('labelPrefix', stringOption(a, 'label-prefix'));
  const props = listOption(a, 'properties');
  if (props !== undefined) o.properties = Object.fromEntries(props.map((p) => { const i = p.indexOf('='); return [p.slice(0, i), p.slice(i + 1)]; }));
  return o;
}

function fmt(n: number): string { return Math.round(n).toLocaleString('en-US'); }

export async function runLoad(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; signal?: AbortSignal }): Promise<number> {
  let a: ParsedArgs;
  try { a = parseArgs(args, VALUED); } catch (e) { io.stderr.write(`tsfile load: ${(e as Error).message}\n${LOAD_HELP}\n`); return 2; }
  if (a.options.has('help')) { io.stdout.write(`${LOAD_HELP}\n`); return 0; }
  const unknown = [...a.options.keys()].filter((k) => !FLAGS.includes(k) && !VALUED.includes(k));
  if (unknown.length > 0) { io.stderr.write(`tsfile load: unknown option --${unknown[0]}\n\n${LOAD_HELP}\n`); return 2; }
  const to = stringOption(a, 'to');
  if (to === undefined || a.positionals.length === 0) { io.stderr.write(`tsfile load: SOURCE and --to are required\n\n${LOAD_HELP}\n`); return 2; }
  let retries = 0;
  const onRetry = (e: unknown, n: number): void => { retries++; if (retries <= 20) io.stderr.write(`retry ${n}: ${redact(e instanceof Error ? e.message : String(e))}\n`); };
  let sink: PipeSink;
  let job: string;
  let display: string;
  try {
    const opts = sinkOptions(a, onRetry);
    if (to.startsWith('csv:')) { sink = new CsvFileSink(to.slice(4)); display = to; } else if (to.startsWith('arrow:')) { sink = new ArrowIpcDirectorySink(to.slice(6)); display = to; } else {
      const target = parseTarget(to);
      display = target.display;
      sink = a.options.has('dry-run') ? new DryRunSink(target, opts, io.stdout) : createSink(target, opts);
    }
    const { onRetry: _hook, password: _pw, user: _user, ...layout } = opts;
    job = `${display} ${JSON.stringify(layout, Object.keys(layout).sort())}`;
  } catch (e) {
    io.stderr.write(`tsfile load: ${redact((e as Error).message)}\n`);
    return 2;
  }
  const dry = a.options.has('dry-run');
  const checkpoint = dry || a.options.has('no-checkpoint') ? undefined
    : stringOption(a, 'checkpoint') ?? path.resolve(`.tsfile-load.${createHash('sha1').update(job).digest('hex').slice(0, 10)}.json`);
  const source: Parameters<typeof pipe>[0]['source'] = { paths: a.positionals };
  const devices = listOption(a, 'devices');
  if (devices !== undefined) source.devices = devices;
  const measurements = listOption(a, 'measurements');
  if (measurements !== undefined) source.measurements = measurements;
  const st = bigintOption(a, 'start-time');
  if (st !== undefined) source.startTime = st;
  const et = bigintOption(a, 'end-time');
  if (et !== undefined) source.endTime = et;
  if (a.options.has('watch')) { source.watch = true; source.watchIntervalMs = intOption(a, 'watch-interval') ?? 1000; }
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let lastShown = 0;
  const started = performance.now();
  const p = pipe({
    source, sink, job, ...(checkpoint !== undefined ? { checkpoint } : {}), segmentBatches: intOption(a, 'segment-batches') ?? 64,
    ...(stringOption(a, 'label-prefix') !== undefined ? { labelPrefix: stringOption(a, 'label-prefix')! } : {}),
    ...(io.signal !== undefined ? { signal: io.signal } : {}),
    onProgress: (s) => {
      const now = performance.now();
      if (!tty || now - lastShown < 200) return;
      lastShown = now;
      io.stderr.write(`\r${s.filesDone}/${s.filesTotal} files  ${fmt(s.sink.rows)} rows  ${fmt(s.sink.rows / Math.max(1e-3, (now - started) / 1000))} rows/s   `);
    },
  });
  const s = await p.start();
  if (tty) io.stderr.write('\n');
  const secs = (performance.now() - started) / 1000;
  const m = s.sink;
  if (!dry) {
    io.stderr.write(`${s.state === 'done' ? 'loaded' : s.state}: ${fmt(m.rows)} rows, ${fmt(m.bytes)} bytes, ${m.batches} requests, ${m.retries} retries, ` +
      `${m.failedBatches} failed${m.failedBatches > 0 && s.state === 'done' ? ' (replayed)' : ''}, ${s.filesDone}/${s.filesTotal} files, ${secs.toFixed(2)} s, ${fmt(m.rows / Math.max(1e-3, secs))} rows/s` +
      `${s.rowsSkipped > 0 ? `, ${fmt(s.rowsSkipped)} rows already loaded (checkpoint)` : ''} → ${display} [${sink.guarantee}]\n`);
    if (checkpoint !== undefined) io.stderr.write(`checkpoint: ${checkpoint}\n`);
  }
  if (s.state === 'stopped') { io.stderr.write('interrupted: re-run the same command to resume\n'); return 130; }
  if (s.state === 'failed') {
    const e = s.error;
    io.stderr.write(`tsfile load: ${redact(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  return 0;
}
