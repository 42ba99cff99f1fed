/**
 * Time units of TsFile times ↔ Arrow Timestamp types. A TsFile does not record the unit of its
 * int64 times (IoTDB's default is milliseconds), so readers and writers are told it; Arrow
 * carries it in the Timestamp type. Inputs in another unit are converted exactly or refused.
 */
import { type DataType as ArrowType, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimeUnit, Type } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';

/** Units a file's times can be in. */
export type TimeUnitName = 'ms' | 'us' | 'ns';
/** Units an Arrow input may arrive in (Timestamp(s) included). */
export type InputTimeUnit = 's' | TimeUnitName;

/** Schema metadata key naming the unit of `time` and TIMESTAMP columns. */
export const TIME_UNIT_KEY = 'tsfile.time_unit';

const PER_SECOND: Record<InputTimeUnit, bigint> = { s: 1n, ms: 1000n, us: 1_000_000n, ns: 1_000_000_000n };

export function parseTimeUnit(v: unknown, option = 'timeUnit'): TimeUnitName {
  if (v === undefined) return 'ms';
  if (v === 'ms' || v === 'us' || v === 'ns') return v;
  throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `option ${option} must be 'ms', 'us' or 'ns'`, { expected: "'ms' | 'us' | 'ns'", actual: String(v) });
}

/** The Arrow Timestamp type of a unit (no time zone: TsFile times are UTC epoch offsets). */
export function timestampType(unit: TimeUnitName): ArrowType {
  switch (unit) {
    case 'ms':
      return new TimestampMillisecond();
    case 'us':
      return new TimestampMicrosecond();
    case 'ns':
      return new TimestampNanosecond();
  }
}

/** The unit of an Arrow Timestamp type, or undefined for any other type. */
export function unitOfTimestamp(type: ArrowType): InputTimeUnit | undefined {
  if (type.typeId !== Type.Timestamp) return undefined;
  switch ((type as unknown as { unit: TimeUnit }).unit) {
    case TimeUnit.SECOND:
      return 's';
    case TimeUnit.MILLISECOND:
      return 'ms';
    case TimeUnit.MICROSECOND:
      return 'us';
    default:
      return 'ns';
  }
}

/** How a value in unit `from` becomes one in unit `to`: multiply by `up` or divide by `down` (one of them is 1). */
export function unitRatio(from: InputTimeUnit, to: InputTimeUnit): { up: bigint; down: bigint } {
  const a = PER_SECOND[from];
  const b = PER_SECOND[to];
  return a <= b ? { up: b / a, down: 1n } : { up: 1n, down: a / b };
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Converts int64 epoch values in place from one unit to another. A value that does not survive
 * (a fraction of the target unit, or beyond int64 after scaling) calls `refuse(row, value)`,
 * which must throw; nothing is rounded.
 */
export function rescaleEpoch(values: BigInt64Array, from: InputTimeUnit, to: InputTimeUnit, refuse: (row: number, value: bigint, why: string) => never, valid?: Uint8Array): void {
  const { up, down } = unitRatio(from, to);
  if (up === 1n && down === 1n) return;
  const n = values.length;
  if (up !== 1n) {
    const lo = INT64_MIN / up;
    const hi = INT64_MAX / up;
    for (let i = 0; i < n; i++) {
      if (valid !== undefined && valid[i] === 0) continue;
      const v = values[i]!;
      if (v < lo || v > hi) refuse(i, v, `${v} ${from} is beyond the int64 range in ${to}`);
      values[i] = v * up;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const v = values[i]!;
    if (v % down !== 0n) refuse(i, v, `${v} ${from} is not a whole number of ${to}`);
    values[i] = v / down;
  }
}

/** Arrow Date32 (days since the epoch) as int64 milliseconds (always in range: |days| < 2^31). */
export function millisFromDays(days: Int32Array): BigInt64Array {
  const out = new BigInt64Array(days.length);
  for (let i = 0; i < days.length; i++) out[i] = BigInt(days[i]!) * 86_400_000n;
  return out;
}
