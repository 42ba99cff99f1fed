/** A small argument parser: positionals, `--flag`, `--key value`, `--key=value`, `-o value`. */
import { ErrorCode, TsFileError } from '../io/errors.js';

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/** `valued` lists the options that take a value (long names without dashes; short aliases map to them). */
export function parseArgs(argv: readonly string[], valued: readonly string[], aliases: Record<string, string> = {}): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      let name = a.startsWith('--') ? a.slice(2) : (aliases[a.slice(1)] ?? a.slice(1));
      let value: string | undefined;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      }
      if (valued.includes(name)) {
        if (value === undefined) {
          value = argv[++i];
          if (value === undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option --${name} needs a value`);
        }
        options.set(name, value);
      } else {
        if (value !== undefined) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option --${name} takes no value`);
        options.set(name, true);
      }
    } else {
      positionals.push(a);
    }
  }
  return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function intOption(args: ParsedArgs, name: string): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option --${name} must be an integer`, { actual: v });
  return n;
}

export function bigintOption(args: ParsedArgs, name: string): bigint | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  try {
    return BigInt(v);
  } catch {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option --${name} must be an integer timestamp`, { actual: v });
  }
}

export function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const v = stringOption(args, name);
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
