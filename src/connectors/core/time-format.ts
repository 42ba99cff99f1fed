/**
 * Time rendering shared by the text serialisers (connectors.md §2.2 timestamp literals, §3.5
 * DATETIME recommendation): epoch integers scaled to a target precision, and UTC wall-clock text.
 */
import type { ByteBuffer } from './byte-buffer.js';
import { appendInt64, daysToYmd, int64At, int64IsSafe, type TimeUnit } from './columns.js';
import { ConnectorError } from './errors.js';

export type Precision = 'ms' | 'us' | 'ns';

export const PRECISION_SCALE: Record<Precision, number> = { ms: 1, us: 1_000, ns: 1_000_000 };

/** Appends an epoch-ms value scaled to `precision` (exact: digits are appended, not multiplied). */
export function appendEpoch(out: ByteBuffer, ms: number, precision: Precision): void {
  if (ms === 0) { out.byte(48); return; }
  out.int(ms);
  if (precision === 'us') out.ascii('000');
  else if (precision === 'ns') out.ascii('000000');
}

function two(n: number): string { return n < 10 ? `0${n}` : String(n); }

/** Epoch ms → `YYYY-MM-DD HH:MM:SS.mmm` in UTC. */
export function utcDateTime(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rem = ms - days * 86_400_000;
  const ymd = daysToYmd(days);
  const h = Math.floor(rem / 3_600_000); rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000); rem -= mi * 60_000;
  const s = Math.floor(rem / 1000);
  const milli = rem - s * 1000;
  const y = Math.floor(ymd / 10000);
  return `${String(y).padStart(4, '0')}-${two(Math.floor(ymd / 100) % 100)}-${two(ymd % 100)} ` +
    `${two(h)}:${two(mi)}:${two(s)}.${String(milli).padStart(3, '0')}`;
}

const UNIT_NS: Record<TimeUnit, number> = { ms: 1_000_000, us: 1_000, ns: 1 };
const INT64_MAX = 9223372036854775807n;

/**
 * Appends the int64 time at `row` (in `from` units) converted to `to` units: exact digits, a
 * refusal when a finer value would lose digits in a coarser unit or leave the int64 range.
 */
export function appendTimeIn(out: ByteBuffer, words: Int32Array, row: number, from: TimeUnit, to: Precision, sink: string, where: string): void {
  if (from === to) { appendInt64(out, words, row); return; }
  const f = UNIT_NS[from];
  const t = UNIT_NS[to];
  if (f > t) {
    const k = f / t;
    if (int64IsSafe(words, row) && Math.abs(int64At(words, row)) * k < 9e15) {
      const v = int64At(words, row);
      if (v === 0) { out.byte(48); return; }
      out.int(v);
      out.ascii(k === 1000 ? '000' : '000000');
      return;
    }
    const big = ((BigInt(words[2 * row + 1]!) << 32n) | BigInt(words[2 * row]! >>> 0)) * BigInt(k);
    if (big > INT64_MAX || big < -INT64_MAX - 1n) {
      throw new ConnectorError(`${where}: time ${int64At(words, row)} ${from} is outside the int64 range in ${to}`, { sink, failure: 'invalid', retryable: false });
    }
    out.ascii(big.toString());
    return;
  }
  const k = BigInt(t / f);
  const v = (BigInt(words[2 * row + 1]!) << 32n) | BigInt(words[2 * row]! >>> 0);
  if (v % k !== 0n) {
    throw new ConnectorError(`${where}: time ${v} ${from} cannot be written in ${to} precision without losing digits (choose --precision ${from})`, { sink, failure: 'invalid', retryable: false });
  }
  out.ascii((v / k).toString());
}

/** The time at `row` as (approximate) epoch milliseconds, for range checks. */
export function epochMsApprox(words: Int32Array, row: number, unit: TimeUnit): number {
  return int64At(words, row) / (UNIT_NS.ms / UNIT_NS[unit]);
}
