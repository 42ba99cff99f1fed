/**
 * Instants written as text: epoch integers in the file's unit, or ISO-8601 date-times (UTC unless
 * an offset is given; a date alone is its midnight UTC), converted exactly to int64 epoch values in
 * a time unit. A fraction finer than the unit is refused, never rounded.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import { daysFromCivil } from './columns.js';
import type { TimeUnitName } from './time-unit.js';

const PER_SECOND: Record<TimeUnitName, bigint> = { ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };
const DIGITS: Record<TimeUnitName, number> = { ms: 3, us: 6, ns: 9 };
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const ISO = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Whether the text looks like an ISO-8601 date or date-time (as opposed to an epoch integer). */
export function isIsoInstant(text: string): boolean {
  return ISO.test(text.trim());
}

/**
 * The epoch value, in `unit`, of an epoch integer or an ISO-8601 instant. `what` names the option
 * or literal in the error message.
 */
export function parseInstant(text: string, unit: TimeUnitName, what = 'time'): bigint {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return inInt64(BigInt(t), t, what);
  const m = ISO.exec(t);
  if (m === null) throw invalid(what, t, 'an epoch integer or an ISO-8601 date-time such as 2024-01-01T00:00:00Z');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const daysInMonth = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth[month - 1]! || hour > 23 || minute > 59 || second > 59) {
    throw invalid(what, t, 'a valid calendar date and time of day');
  }
  let offsetMinutes = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (oh > 23 || om > 59) throw invalid(what, t, 'a UTC offset of at most ±23:59');
    offsetMinutes = sign * (oh * 60 + om);
  }
  const keep = DIGITS[unit];
  if (frac.length > keep && /[1-9]/.test(frac.slice(keep))) throw invalid(what, t, `at most ${keep} fractional digits of a second (the file's unit is ${unit})`);
  const fraction = BigInt((frac + '000000000').slice(0, keep));
  const seconds = BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second) - BigInt(offsetMinutes * 60);
  return inInt64(seconds * PER_SECOND[unit] + fraction, t, what);
}

function inInt64(v: bigint, text: string, what: string): bigint {
  if (v < INT64_MIN || v > INT64_MAX) throw invalid(what, text, 'an instant within the int64 range');
  return v;
}

function invalid(what: string, text: string, expected: string): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, `${what}: not a valid instant`, { expected, actual: JSON.stringify(text) });
}
