/** The declarative command-line parser: strict options, checked values, suggestions, generated help. */
import { describe, expect, it } from 'vitest';
import { commandHelp, nearest, parseCommandLine, UsageError, type CommandArgs, type CommandSpec } from '../../src/cli/args.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo',
  usage: ['IN OUT [options]'],
  description: 'Demonstrates the parser.',
  positionals: { min: 2, max: 2, names: 'IN and OUT' },
  options: [
    { name: 'json', type: 'flag', help: 'print JSON' },
    { name: 'output', short: 'o', type: 'string', arg: 'OUT', help: 'output file' },
    { name: 'page-points', type: 'int', min: 1, max: 1000, arg: 'N', help: 'points per page' },
    { name: 'compression', type: 'choice', choices: ['LZ4', 'ZSTD', 'GZIP'], ignoreCase: true, help: 'compression' },
    { name: 'start-time', type: 'time', arg: 'T', help: 'first time' },
    { name: 'devices', type: 'list', arg: 'A,B', help: 'devices' },
  ],
  run: () => Promise.resolve(0),
};

function parse(argv: string[]): CommandArgs {
  const r = parseCommandLine(spec, argv);
  if (r === 'help') throw new Error('help');
  return r;
}

function usage(argv: string[]): string {
  try {
    parseCommandLine(spec, argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('reads flags, values, aliases, = forms and negative numbers', () => {
    const a = parse(['a', 'b', '--json', '-o', 'x', '--page-points=10', '--compression', 'zstd', '--start-time', '-5', '--devices', 'd1, d2']);
    expect(a.positionals).toEqual(['a', 'b']);
    expect(a.flag('json')).toBe(true);
    expect(a.string('output')).toBe('x');
    expect(a.int('page-points')).toBe(10);
    expect(a.choice('compression')).toBe('ZSTD');
    expect(a.time('start-time')).toBe(-5n);
    expect(a.list('devices')).toEqual(['d1', 'd2']);
    expect(parse(['a', 'b']).int('page-points')).toBeUndefined();
    expect(parse(['--', '-a', 'b']).positionals).toEqual(['-a', 'b']);
  });

  it('refuses unknown options with the nearest name', () => {
    expect(usage(['a', 'b', '--compresion', 'ZSTD'])).toBe('unknown option --compresion (did you mean --compression?)');
    expect(usage(['a', 'b', '--jsn'])).toBe('unknown option --jsn (did you mean --json?)');
    expect(usage(['a', 'b', '--frobnicate'])).toBe('unknown option --frobnicate');
    expect(usage(['a', 'b', '-x'])).toMatch(/^unknown option -x/);
  });

  it('checks values: integers in range, choices, int64 times, missing values, repeats', () => {
    expect(usage(['a', 'b', '--page-points', '0'])).toBe('--page-points must be an integer from 1 to 1000, got "0"');
    expect(usage(['a', 'b', '--page-points', '-5'])).toBe('--page-points must be an integer from 1 to 1000, got "-5"');
    expect(usage(['a', 'b', '--page-points', '1.5'])).toMatch(/must be an integer/);
    expect(usage(['a', 'b', '--page-points', '1001'])).toMatch(/from 1 to 1000/);
    expect(usage(['a', 'b', '--compression', 'zstdd'])).toBe('--compression must be one of LZ4, ZSTD, GZIP, got "zstdd" (did you mean ZSTD?)');
    expect(usage(['a', 'b', '--start-time', '9223372036854775808'])).toMatch(/outside the int64 range/);
    expect(parse(['a', 'b', '--start-time', '-9223372036854775808']).time('start-time')).toBe(-(2n ** 63n));
    expect(usage(['a', 'b', '--start-time', 'soon'])).toMatch(/must be an epoch integer or an ISO-8601 date-time/);
    expect(usage(['a', 'b', '--start-time', '2024-02-30'])).toMatch(/ISO-8601/);
    expect(parse(['a', 'b', '--start-time', '2024-01-01T00:00:00.5+01:00']).time('start-time')).toBe(1_704_063_600_500n);
    expect(usage(['a', 'b', '--output'])).toBe('--output needs a value (OUT)');
    expect(usage(['a', 'b', '--json=yes'])).toBe('--json takes no value');
    expect(usage(['a', 'b', '-o', 'x', '-o', 'y'])).toBe('--output is given twice');
    expect(usage(['a', 'b', '--devices', ','])).toMatch(/needs at least one name/);
  });

  it('counts positionals and suggests an option for a stray word', () => {
    expect(usage([])).toBe('needs IN and OUT');
    expect(usage(['a'])).toBe('needs IN and OUT, got 1 argument');
    expect(usage(['a', 'b', 'jsno'])).toBe('unexpected argument "jsno" (takes IN and OUT) (did you mean --json?)');
  });

  it('answers -h and --help, and generates the help from the declaration', () => {
    expect(parseCommandLine(spec, ['-h'])).toBe('help');
    expect(() => parseCommandLine(spec, ['--help', '--bogus-later'])).toThrow(UsageError); // strict: an unknown option still fails
  });

  it('help lists every option and the exit codes', () => {
    const h = commandHelp(spec);
    expect(h.startsWith('Usage: tsfile demo IN OUT [options]')).toBe(true);
    for (const o of spec.options) expect(h).toContain(`--${o.name}`);
    expect(h).toContain('-h, --help');
    expect(h).toMatch(/Exit codes: 0 success, 1 data or I\/O failure, 2 usage error .*130 cancelled/);
  });

  it('nearest suggests close names only', () => {
    expect(nearest('fromat', ['format', 'output'])).toBe('format');
    expect(nearest('xyz', ['format', 'output'])).toBeUndefined();
    expect(nearest('out', ['format', 'output'])).toBe('output');
    expect(nearest('jsno', ['json', 'output'])).toBe('json');
  });
});
