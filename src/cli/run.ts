/**
 * Running one command: parse its command line, print its help, run it, and turn every failure into
 * one line on stderr (on a fresh line after a progress line, secrets redacted, no stack trace) and
 * an exit code: 0 success, 1 data or I/O failure, 2 usage error, 130 cancelled.
 */
import { redact } from '../connectors/core/errors.js';
import { isTsFileError } from '../io/errors.js';
import { commandHelp, ExitCode, parseCommandLine, UsageError, type CommandSpec } from './args.js';
import type { CliIo } from './io.js';
import { freshLine } from './progress.js';

function oneLine(text: string): string {
  return redact(text).replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Writes `tsfile CMD: message` as one line on stderr. */
export function reportError(io: CliIo, command: string, message: string): void {
  freshLine(io.stderr);
  io.stderr.write(`tsfile${command === '' ? '' : ` ${command}`}: ${oneLine(message)}\n`);
}

/** The exit code and the one-line message of a failure. */
export function describeFailure(e: unknown, command: string): { code: number; message: string } {
  if (e instanceof UsageError) return { code: ExitCode.USAGE, message: `${e.message} (see tsfile help ${command})` };
  if (e instanceof Error && e.name === 'AbortError') return { code: ExitCode.CANCELLED, message: 'cancelled; existing files were left as they were' };
  if (isTsFileError(e)) return { code: ExitCode.FAILURE, message: `${e.message} [${e.code}]` };
  const errno = e as NodeJS.ErrnoException;
  if (e instanceof Error && typeof errno.code === 'string' && errno.syscall !== undefined) return { code: ExitCode.FAILURE, message: e.message };
  // Anything else is a defect of ours; the message still fits on one line (TSFILE_DEBUG=1 prints the stack).
  if (process.env.TSFILE_DEBUG) return { code: ExitCode.FAILURE, message: `internal error: ${(e as Error)?.stack ?? String(e)}` };
  return { code: ExitCode.FAILURE, message: `internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}` };
}

export async function runCommand(spec: CommandSpec, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCommandLine(spec, argv);
    if (args === 'help') {
      io.stdout.write(`${commandHelp(spec)}\n`);
      return ExitCode.OK;
    }
    return await spec.run(args, io);
  } catch (e) {
    const { code, message } = describeFailure(io.signal?.aborted && !(e instanceof UsageError) ? Object.assign(new Error('cancelled'), { name: 'AbortError' }) : e, spec.name);
    reportError(io, spec.name, message);
    return code;
  }
}
