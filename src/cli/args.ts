/**
 * The command-line parser of `tsfile`: every command is a declarative `CommandSpec`, parsed by
 * `node:util` `parseArgs` in strict mode, with value checks, "did you mean" suggestions and help
 * text generated from the same declaration.
 *
 * How a command declares itself (one place per command; nothing else to edit but the list in
 * `commands.ts`):
 *
 *   export const fooCommand: CommandSpec = {
 *     name: 'foo',
 *     summary: 'one line for `tsfile help`',
 *     usage: ['FILE [options]'],               // lines after "Usage: tsfile foo "
 *     description: 'What it does, in a paragraph or two.',
 *     positionals: { min: 1, max: 1, names: 'FILE' },
 *     options: [
 *       { name: 'json', type: 'flag', help: 'print JSON' },
 *       { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'output file' },
 *       { name: 'threads', type: 'int', min: 0, max: 1024, arg: 'N', help: 'worker threads' },
 *       { name: 'format', type: 'choice', choices: ['csv', 'jsonl'], help: 'output format' },
 *       { name: 'start-time', type: 'time', arg: 'T', help: 'first timestamp' },  // int64
 *       { name: 'devices', type: 'list', arg: 'A,B', help: 'comma-separated list' },
 *     ],
 *     run: async (args, io) => { ... args.string('output'), args.int('threads'), args.flag('json') ...; return 0; },
 *   };
 *
 * Shared option sets (writer settings, point selection, threads) are arrays spread into `options`.
 * Every option gets `-h/--help` for free. Unknown options, missing or malformed values, numbers out
 * of range and wrong positional counts are `UsageError`s: one line naming the option, with the
 * nearest known name or choice, and exit code 2 before anything is read or written.
 *
 * Why `node:util` `parseArgs` (strict) rather than commander: it ships with Node (no dependency),
 * refuses unknown options and missing values itself, and leaves the message, the exit code and the
 * help layout to us — commander would have to be told not to exit, not to print multi-line errors
 * and not to format its own help, which is most of what it does.
 */
import { parseInstant } from '../arrow/instant-text.js';
import type { TimeUnitName } from '../arrow/time-unit.js';
import { isTsFileError } from '../io/errors.js';
import { parseArgs as nodeParseArgs } from 'node:util';
import type { CliIo } from './io.js';

export type OptionType = 'flag' | 'string' | 'int' | 'time' | 'list' | 'choice';

export interface OptionSpec {
  /** Long name without dashes (`page-points`). */
  name: string;
  /** One-letter alias (`o` for `-o`). */
  short?: string;
  type: OptionType;
  /** `choice`: the accepted values (compared case-insensitively when `ignoreCase`). */
  choices?: readonly string[];
  ignoreCase?: boolean;
  /** `int`: inclusive bounds (defaults 0 and Number.MAX_SAFE_INTEGER). */
  min?: number;
  max?: number;
  /** Placeholder of the value in the help (`N`, `FILE`). */
  arg?: string;
  help: string;
  /** Heading the option is listed under in the help (default "Options"). */
  group?: string;
}

export interface PositionalSpec {
  min: number;
  /** Most positionals (Infinity for a list). */
  max: number;
  /** How they are named in messages ("IN and OUT"). */
  names: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage lines after `tsfile NAME `. */
  usage: readonly string[];
  description: string;
  positionals: PositionalSpec;
  options: readonly OptionSpec[];
  /** Text printed after the options in the help (notes, targets). */
  epilog?: string;
  run(args: CommandArgs, io: CliIo): Promise<number>;
}

/** Exit codes of every command (README "Exit codes"). */
export const ExitCode = {
  OK: 0,
  /** The data or the file system failed: unreadable input, a write that failed, a server that refused. */
  FAILURE: 1,
  /** The command line was wrong; nothing was read or written. */
  USAGE: 2,
  /** Interrupted (Ctrl-C); outputs were left as they were. */
  CANCELLED: 130,
} as const;

export const EXIT_CODES_HELP = 'Exit codes: 0 success, 1 data or I/O failure, 2 usage error (nothing done), 130 cancelled.';

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The parsed, checked arguments of one command. */
export class CommandArgs {
  constructor(
    readonly command: CommandSpec,
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, string | boolean>,
  ) {}

  private spec(name: string, ...types: OptionType[]): OptionSpec {
    const s = this.command.options.find((o) => o.name === name);
    if (s === undefined || !types.includes(s.type)) throw new Error(`tsfile ${this.command.name} declares no ${types.join('/')} option --${name}`);
    return s;
  }

  /** Whether the option was given (any type). */
  has(name: string): boolean {
    this.spec(name, 'flag', 'string', 'int', 'time', 'list', 'choice');
    return this.values.has(name);
  }

  flag(name: string): boolean {
    this.spec(name, 'flag');
    return this.values.get(name) === true;
  }

  string(name: string): string | undefined {
    this.spec(name, 'string');
    return this.values.get(name) as string | undefined;
  }

  int(name: string): number | undefined {
    this.spec(name, 'int');
    const v = this.values.get(name);
    return v === undefined ? undefined : Number(v);
  }

  /** An epoch integer as given, or ISO-8601 text as an instant in `unit` (the unit the files are read in). */
  time(name: string, unit: TimeUnitName = 'ms'): bigint | undefined {
    this.spec(name, 'time');
    const v = this.values.get(name) as string | undefined;
    if (v === undefined) return undefined;
    if (/^[-+]?\d+$/.test(v)) return BigInt(v);
    try {
      return parseInstant(v, unit, `--${name}`);
    } catch (e) {
      if (isTsFileError(e)) throw new UsageError(`--${name} ${v}: expected ${e.expected ?? 'a valid instant'} (--time-unit ${unit})`);
      throw e;
    }
  }

  list(name: string): string[] | undefined {
    this.spec(name, 'list');
    const v = this.values.get(name);
    return v === undefined ? undefined : splitList(v as string);
  }

  /** The chosen value, spelled as declared. */
  choice<T extends string = string>(name: string): T | undefined {
    this.spec(name, 'choice');
    return this.values.get(name) as T | undefined;
  }
}

function splitList(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'flag', help: 'show this help' };

function dashed(o: OptionSpec): string {
  return `--${o.name}`;
}

/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment), for suggestions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The nearest candidate when it is close enough to be a typo (or `word` is a prefix of it). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase().startsWith(w) && w.length >= 2 ? 0.5 : editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(Math.min(word.length, best.length) / 3)) ? best : undefined;
}

function didYouMean(word: string, candidates: readonly string[], render = (s: string) => s): string {
  const n = nearest(word, candidates);
  return n === undefined ? '' : ` (did you mean ${render(n)}?)`;
}

/** Checks one option value against its declaration; returns it normalised (choices as declared). */
function checkValue(o: OptionSpec, raw: string): string {
  const got = JSON.stringify(raw);
  switch (o.type) {
    case 'int': {
      const min = o.min ?? 0;
      const max = o.max ?? Number.MAX_SAFE_INTEGER;
      const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
      if (!/^[-+]?\d+$/.test(raw)) throw new UsageError(`${dashed(o)} must be an integer ${range}, got ${got}`);
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${dashed(o)} must be an integer ${range}, got ${got}`);
      return String(n);
    }
    case 'time': {
      // An epoch integer, or ISO-8601 text (kept as text: its value depends on --time-unit).
      if (!/^[-+]?\d+$/.test(raw)) {
        try {
          // Checked in the widest unit here; time() converts (and checks) in the unit asked for.
          parseInstant(raw.replace(/([.,]\d{1,3})\d*/, '$1'), 'ms', dashed(o));
          return raw;
        } catch {
          throw new UsageError(`${dashed(o)} must be an epoch integer or an ISO-8601 date-time (2024-01-01T00:00:00Z), got ${got}`);
        }
      }
      const n = BigInt(raw);
      if (n < INT64_MIN || n > INT64_MAX) throw new UsageError(`${dashed(o)} is outside the int64 range, got ${got}`);
      return String(n);
    }
    case 'choice': {
      const choices = o.choices ?? [];
      const hit = choices.find((c) => (o.ignoreCase ? c.toLowerCase() === raw.toLowerCase() : c === raw));
      if (hit === undefined) throw new UsageError(`${dashed(o)} must be one of ${choices.join(', ')}, got ${got}${didYouMean(raw, choices)}`);
      return hit;
    }
    case 'list':
      if (splitList(raw).length === 0) throw new UsageError(`${dashed(o)} needs at least one name, got ${got}`);
      return raw;
    case 'string':
      if (raw === '') throw new UsageError(`${dashed(o)} needs a value, got ""`);
      return raw;
    default:
      return raw;
  }
}

/**
 * Parses `argv` against `spec`: returns the checked arguments, or `'help'` when -h/--help was
 * given. Throws UsageError on any mistake.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): CommandArgs | 'help' {
  const options = [...spec.options, HELP_OPTION];
  const byName = new Map(options.map((o) => [o.name, o]));
  const byShort = new Map(options.filter((o) => o.short !== undefined).map((o) => [o.short!, o]));
  // parseArgs refuses a value that starts with "-" after a valued option ("ambiguous"); numbers such as
  // `--start-time -5` are meant as values, so pass those as `--name=value`.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const o = a.startsWith('--') ? byName.get(a.slice(2)) : /^-[^-]$/.test(a) ? byShort.get(a.slice(1)) : undefined;
    const next = argv[i + 1];
    if (o !== undefined && o.type !== 'flag' && next !== undefined && /^-\d/.test(next)) {
      args.push(`--${o.name}=${next}`);
      i++;
    } else args.push(a);
  }
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const o of options) config[o.name] = { type: o.type === 'flag' ? 'boolean' : 'string', ...(o.short !== undefined ? { short: o.short } : {}) };
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args, options: config, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    throw usageFromParseError(e, options);
  }
  const values = new Map<string, string | boolean>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option') continue;
    const o = byName.get(t.name)!;
    if (values.has(o.name) && o.type !== 'flag') throw new UsageError(`${dashed(o)} is given twice`);
    values.set(o.name, o.type === 'flag' ? true : checkValue(o, t.value ?? ''));
  }
  if (values.has('help')) return 'help';
  const positionals = parsed.positionals;
  const { min, max, names } = spec.positionals;
  if (positionals.length < min) {
    throw new UsageError(positionals.length === 0 && min > 0 ? `needs ${names}` : `needs ${names}, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  }
  if (positionals.length > max) {
    const extra = positionals[max]!;
    const hint = extra.startsWith('-') ? '' : didYouMeanOption(extra, options);
    throw new UsageError(`unexpected argument ${JSON.stringify(extra)} (takes ${names})${hint}`);
  }
  return new CommandArgs(spec, positionals, values);
}

/** An extra word that is an option name without its dashes (`export f fromat`): suggest the option. */
function didYouMeanOption(word: string, options: readonly OptionSpec[]): string {
  return didYouMean(word, options.map((o) => o.name), (n) => `--${n}`);
}

function usageFromParseError(e: unknown, options: readonly OptionSpec[]): UsageError {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const raw = quoted.replace(/=.*$/, '');
    const word = raw.replace(/^-+/, '');
    const names = options.flatMap((o) => [o.name]);
    return new UsageError(`unknown option ${raw}${didYouMean(word, names, (n) => `--${n}`)}`);
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const long = /--([\w-]+)/.exec(quoted)?.[1];
    const o = options.find((x) => x.name === long);
    const name = o !== undefined ? dashed(o) : quoted;
    if (/does not take an argument/.test(message)) return new UsageError(`${name} takes no value`);
    return new UsageError(`${name} needs a value${o?.arg !== undefined ? ` (${o.arg})` : ''}`);
  }
  return new UsageError(message.split('\n')[0]!);
}

function optionLabel(o: OptionSpec): string {
  const value = o.type === 'flag' ? '' : ` ${o.arg ?? (o.type === 'choice' ? (o.choices ?? []).join('|') : o.type === 'int' ? 'N' : 'VALUE')}`;
  return `${o.short !== undefined ? `-${o.short}, ` : ''}--${o.name}${value}`;
}

/** The help text of a command, from its declaration. */
export function commandHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  spec.usage.forEach((u, i) => lines.push(`${i === 0 ? 'Usage: ' : '       '}tsfile ${spec.name} ${u}`));
  lines.push('', spec.description);
  const options = [...spec.options, HELP_OPTION];
  const groups = new Map<string, OptionSpec[]>();
  for (const o of options) {
    const g = o.group ?? 'Options';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(o);
  }
  const width = Math.min(34, Math.max(...options.map((o) => optionLabel(o).length)) + 2);
  for (const [g, list] of groups) {
    lines.push('', `${g}:`);
    for (const o of list) {
      const label = optionLabel(o);
      lines.push(label.length + 2 > width ? `  ${label}\n  ${' '.repeat(width)}${o.help}` : `  ${label.padEnd(width)}${o.help}`);
    }
  }
  if (spec.epilog !== undefined) lines.push('', spec.epilog);
  lines.push('', EXIT_CODES_HELP);
  return lines.join('\n');
}
