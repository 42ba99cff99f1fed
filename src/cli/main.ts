#!/usr/bin/env node
/** The `tsfile` command: `tsfile help [CMD]`, `--version`, and dispatch to the declared commands. */
import '../compression/native.js';
import '../local-files.js';
import { destroySharedPool, installPoolRunner } from '../engine/pool-runner.js';
import { installWritePoolRunner } from '../engine/write-pool.js';
import { commandHelp, EXIT_CODES_HELP, ExitCode, nearest } from './args.js';
import { COMMANDS } from './commands.js';
import type { CliIo } from './io.js';
import { reportError, runCommand } from './run.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: tsfile <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}this list, or the options of one command: tsfile help CMD`,
    '',
    'Run "tsfile help CMD" or "tsfile CMD --help" for the options of a command.',
    EXIT_CODES_HELP,
  ].join('\n');
}

installPoolRunner();
installWritePoolRunner();

function unknownCommand(io: CliIo, name: string): number {
  const hint = nearest(name, [...COMMANDS.map((c) => c.name), 'help']);
  reportError(io, '', `unknown command ${JSON.stringify(name)}${hint !== undefined ? ` (did you mean ${hint}?)` : ''}; run tsfile help for the list`);
  return ExitCode.USAGE;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${overview()}\n`);
    return ExitCode.USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (rest.length === 0) {
      io.stdout.write(`${overview()}\n`);
      return ExitCode.OK;
    }
    const cmd = COMMANDS.find((c) => c.name === rest[0]);
    if (cmd === undefined || rest.length > 1) return unknownCommand(io, rest.join(' '));
    io.stdout.write(`${commandHelp(cmd)}\n`);
    return ExitCode.OK;
  }
  if (name === '--version') {
    io.stdout.write('tsfile-arrow 0.1.0\n');
    return ExitCode.OK;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (cmd === undefined) return unknownCommand(io, name);
  return runCommand(cmd, rest, io);
}

const isEntry = process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL((await import('node:fs')).realpathSync(process.argv[1])).href;
if (isEntry) {
  const controller = new AbortController();
  // The first Ctrl-C cancels (outputs are discarded, exit 130); a second one exits at once.
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(ExitCode.CANCELLED));
  });
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
        process.stderr.write(`tsfile: internal error: ${(e as Error)?.message ?? String(e)}\n`);
        process.exitCode = ExitCode.FAILURE;
      },
    );
}
