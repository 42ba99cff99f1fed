#!/usr/bin/env node
/** The `tsfile` command: dispatches to one module per subcommand. */
import '../compression/native.js';
import '../local-files.js';
import { destroySharedPool, installPoolRunner } from '../engine/pool-runner.js';
import { installWritePoolRunner } from '../engine/write-pool.js';
import { isTsFileError } from '../io/errors.js';
import { BENCH_HELP, runBench } from './bench.js';
import { EXPORT_HELP, runExport } from './export.js';
import { INFO_HELP, runInfo } from './info.js';
import { IMPORT_HELP, runImport } from './import.js';
import { LOAD_HELP, runLoad } from './load.js';
import { RECOVER_HELP, runRecover } from './recover.js';
import { REWRITE_HELP, runRewrite } from './rewrite.js';
import type { CliIo } from './io.js';

const HELP = `Usage: tsfile <command> [options]

Commands:
  info FILE [--json]                      devices and series of a TsFile, from its index
  export FILE... --format csv|jsonl|arrow write the points as CSV, JSON lines or an Arrow IPC stream
  rewrite IN OUT [options]                read and write again, keeping or changing encodings and settings
  import IN -o OUT.tsfile                 a TsFile from the canonical CSV, a wide CSV or Arrow IPC
  recover FILE                            repair a file whose writer died: keep complete chunk groups, rebuild the index
  load SOURCE... --to URL [options]       load TsFiles into IoTDB, TDengine or StarRocks (see load --help)
  bench [FILE] [--threads N] [--json]     benchmarks: metadata, one series, all, time range, write, to Arrow

Run "tsfile <command> --help" for the options of a command.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  info: { run: runInfo, help: INFO_HELP },
  export: { run: runExport, help: EXPORT_HELP },
  rewrite: { run: runRewrite, help: REWRITE_HELP },
  import: { run: runImport, help: IMPORT_HELP },
  recover: { run: runRecover, help: RECOVER_HELP },
  load: { run: runLoad, help: LOAD_HELP },
  bench: { run: runBench, help: BENCH_HELP },
};

installPoolRunner();
installWritePoolRunner();

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write('tsfile-arrow 0.1.0\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (cmd === undefined) {
    io.stderr.write(`tsfile: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (isTsFileError(e)) {
      io.stderr.write(`tsfile ${name}: ${e.message} [${e.code}]\n`);
      return 1;
    }
    if (e instanceof Error && e.name === 'AbortError') {
      io.stderr.write(`tsfile ${name}: cancelled\n`);
      return 130;
    }
    // File-system errors (a missing input, a directory that cannot be written) need no stack trace.
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall !== undefined) {
      io.stderr.write(`tsfile ${name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (isEntry) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A closed pipe (e.g. `| head`) ends the command quietly.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal })
    .finally(() => destroySharedPool())
    .then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`tsfile: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
