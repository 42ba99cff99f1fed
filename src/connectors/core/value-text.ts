/**
 * The one place where connector values become text (and text becomes values again): every sink and
 * source writes numbers, dates and bytes through these functions so that each wire format carries
 * a value bit-exact — −0 keeps its sign, FLOAT travels as the shortest decimal that reads back as
 * the same float32 (not its widened double), int64 beyond 2^53 as exact digits, NaN/±Infinity as
 * the spelling the protocol accepts or refused with the option that maps them (connectors.md §1.2
 * value acceptance, §2.2 literals, §3.1 CSV/JSON rules).
 */
import { daysToYmd, type TsTypeName } from './columns.js';
import { ConnectorError } from './errors.js';

/** What a sink does with NaN/±Infinity where the database has no way to store them. */
export type NonFinitePolicy = 'error' | 'null';

/**
 * Shortest decimal text that parses back (through float32 rounding) to exactly `v`, a float32 value;
 * formatted like `String(x)` (`1.5`, `1e-45`, `3.4028235e+38`), `-0` for negative zero.
 */
export function float32Text(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  if (!Number.isFinite(v)) return String(v);
  // If p significant digits round-trip then p+1 do too (the nearer decimal stays in the interval),
  // so the shortest length is found by bisection over 1..9 (9 always suffices for float32).
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(v.toPrecision(mid))) === v) hi = mid; else lo = mid + 1;
  }
  // Number(...) drops toPrecision's padding zeros and exponent style; String(...) of a double with
  // ≤ 9 significant digits prints those digits (or fewer, which then still round-trip).
  return String(Number(v.toPrecision(lo)));
}

/** Shortest round-trip text of a double, `-0` for negative zero. */
export function float64Text(v: number): string {
  return v === 0 && Object.is(v, -0) ? '-0' : String(v);
}

/** Text of a FLOAT or DOUBLE value. */
export function floatText(type: 'FLOAT' | 'DOUBLE', v: number): string {
  return type === 'FLOAT' ? float32Text(v) : float64Text(v);
}

/**
 * A finite float as a JSON number that a Jackson-style reader keeps as floating point: `-0` would
 * be read as the integer 0, so negative zero is written `-0.0`.
 */
export function jsonFloatText(type: 'FLOAT' | 'DOUBLE', v: number): string {
  const s = floatText(type, v);
  return s === '-0' ? '-0.0' : s;
}

/** A finite float as an SQL floating literal: always with a '.' or exponent (else it is an integer literal). */
export function sqlFloatText(type: 'FLOAT' | 'DOUBLE', v: number): string {
  const s = floatText(type, v);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** Parses float text back; FLOAT rounds to float32. NaN/Infinity spellings included. */
export function parseFloatText(type: 'FLOAT' | 'DOUBLE', s: string): number {
  const v = s === 'NaN' || s === 'nan' ? NaN : s === 'Infinity' || s === 'inf' ? Infinity : s === '-Infinity' || s === '-inf' ? -Infinity : Number(s);
  return type === 'FLOAT' ? Math.fround(v) : v;
}

/** The refusal for a non-finite value a database cannot store, naming the option that maps it. */
export function nonFiniteError(sink: string, where: string, v: number, option = '--non-finite null'): ConnectorError {
  return new ConnectorError(`${where}: ${v} cannot be stored by ${sink} (map it to NULL with ${option})`, { sink, failure: 'invalid', retryable: false });
}

const HEX = '0123456789abcdef';

/** Lowercase hex of bytes [s, e), without prefix. */
export function hexText(b: Uint8Array, s = 0, e = b.length): string {
  let out = '';
  for (let i = s; i < e; i++) out += HEX[b[i]! >> 4]! + HEX[b[i]! & 15]!;
  return out;
}

/** Bytes of a hex text (optionally `0x`/`\x` prefixed); undefined when it is not hex. */
export function parseHex(s: string): Uint8Array | undefined {
  const h = s.startsWith('0x') || s.startsWith('\\x') ? s.slice(2) : s;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

/** Days since epoch → the int yyyymmdd IoTDB and TDengine carry for DATE. */
export const dateInt = daysToYmd;

/** The int yyyymmdd → days since epoch (proleptic Gregorian); undefined when not a valid date. */
export function daysFromDateInt(ymd: number): number | undefined {
  if (!Number.isInteger(ymd) || ymd < 0) return undefined;
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  const days = Math.floor(dt.getTime() / 86_400_000);
  return daysToYmd(days) === ymd ? days : undefined;
}

/** `YYYY-MM-DD` → days since epoch; undefined when malformed. */
export function daysFromIso(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m === null ? undefined : daysFromDateInt(Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]));
}

/** Exact decimal text of an int64 given as bigint. */
export function int64Text(v: bigint): string { return v.toString(); }

/** A result cell as a JSON query answer carries it → the typed value a source batch holds. */
export function cellFromJson(type: TsTypeName, v: unknown, sink: string, where: string): boolean | number | bigint | string | Uint8Array | null {
  if (v === null || v === undefined) return null;
  const bad = (): never => {
    throw new ConnectorError(`${where}: ${JSON.stringify(typeof v === 'bigint' ? String(v) : v)} is not a ${type} value`, { sink, failure: 'protocol', retryable: false });
  };
  switch (type) {
    case 'BOOLEAN': return v === true || v === 1 ? true : v === false || v === 0 ? false : bad();
    case 'INT32': return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : bad();
    case 'DATE': {
      const d = typeof v === 'number' ? daysFromDateInt(v) : typeof v === 'string' ? daysFromIso(v) : undefined;
      return d === undefined ? bad() : d;
    }
    case 'INT64': case 'TIMESTAMP':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
      return bad();
    case 'FLOAT': case 'DOUBLE':
      if (typeof v === 'number') return type === 'FLOAT' ? Math.fround(v) : v;
      if (typeof v === 'string' && /^(NaN|-?Infinity|-?inf|nan|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(v)) return parseFloatText(type, v);
      return bad();
    case 'BLOB': {
      const b = typeof v === 'string' ? parseHex(v) : undefined;
      return b === undefined ? bad() : b;
    }
    default: return typeof v === 'string' ? v : bad();
  }
}
