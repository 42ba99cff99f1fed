/**
 * Time rendering shared by the text serialisers (connectors.md §2.2 timestamp literals, §3.5
 * DATETIME recommendation): epoch integers scaled to a target precision, and UTC wall-clock text.
 */
import type { ByteBuffer } from './byte-buffer.js';
import { daysToYmd } from './columns.js';

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
