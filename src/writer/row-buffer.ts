/**
 * Row-wise appends (`TsFileWriter.append`): records that arrive one at a time (MQTT, Kafka, a
 * Flink sink's collect(device, time, values…)) are gathered per device into columns, then handed to
 * the batch write path as one `{ time, columns }` batch when a device holds `appendBatchRows` rows
 * or all devices together hold `appendBufferBytes`. Every record is validated when it is appended
 * (the batch path's own converters, run on the one value), so the later batch write cannot refuse it.
 */
import type { ColumnBatch, ColumnInput } from './input.js';

/** A value as `append` takes it (null / undefined: no value for that measurement at this time). */
export type AppendValue = number | bigint | boolean | string | Uint8Array | null | undefined;

/** Rough memory a buffered value holds: a boxed JS value (or a reference to bytes) plus its bytes. */
export function valueBytes(v: AppendValue): number {
  if (typeof v === 'string') return 16 + v.length * 2;
  if (v instanceof Uint8Array) return 32 + v.length;
  return 16;
}

/** The rows appended to one device (tree model) or one tag tuple of a table, not yet written. */
export class RowBuffer {
  times: bigint[] = [];
  private columns = new Map<string, AppendValue[]>();
  /** Memory the buffered rows hold (estimate). */
  bytes = 0;
  /** Time of the last record appended to this device, written or not. */
  lastTime: bigint | undefined;

  constructor(
    /** What `write` is called with: the device path, or the table name. */
    readonly target: string,
    /** Table model: the tag columns and this device's values, repeated on every row written. */
    readonly tags: ReadonlyMap<string, string | null> | undefined,
  ) {}

  get rows(): number {
    return this.times.length;
  }

  /** Values already buffered for one measurement (dense: nulls left out), for stream-wide checks. */
  valuesOf(measurement: string): AppendValue[] {
    const col = this.columns.get(measurement);
    return col === undefined ? [] : col.filter((v) => v !== null && v !== undefined);
  }

  /** Adds one validated record. */
  push(time: bigint, values: ReadonlyMap<string, AppendValue>): void {
    const row = this.times.length;
    this.times.push(time);
    this.bytes += 24;
    for (const [name, v] of values) {
      let col = this.columns.get(name);
      if (col === undefined) {
        col = new Array<AppendValue>(row).fill(null);
        this.columns.set(name, col);
        this.bytes += 8 * row;
      }
      col.push(v);
      this.bytes += valueBytes(v);
    }
    for (const [name, col] of this.columns) {
      if (!values.has(name)) {
        col.push(null);
        this.bytes += 8;
      }
    }
    this.lastTime = time;
  }

  /** The buffered rows as a batch for `write` (tags filled in), and the buffer emptied. */
  take(): ColumnBatch {
    const n = this.times.length;
    const columns: Record<string, ColumnInput> = {};
    if (this.tags !== undefined) for (const [tag, v] of this.tags) columns[tag] = new Array<string | null>(n).fill(v);
    for (const [name, col] of this.columns) {
      if (col.some((v) => v !== null && v !== undefined)) columns[name] = col;
    }
    const batch: ColumnBatch = { time: BigInt64Array.from(this.times), columns };
    this.times = [];
    this.columns = new Map();
    this.bytes = 0;
    return batch;
  }
}
