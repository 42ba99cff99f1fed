import type { RunnerOptions } from './task-runner.js';
import { parseTimeUnit, type TimeUnitName } from '../arrow/time-unit.js';

/** Limits and knobs of the reader; every size read from a file is checked against these before allocating. */
export interface ReaderOptions extends RunnerOptions {
  /** Estimated bytes of decoded data that may be in flight ahead of the consumer (default 64 MiB). */
  maxBytesInFlight?: number;
  /** Largest page body accepted after decompression (default 64 MiB). */
  maxPageBytes?: number;
  /** Most points accepted in one page (default 4 Mi). */
  maxPagePoints?: number;
  /** The index area is read in one piece when at most this large, otherwise node by node (default 64 MiB). */
  maxIndexBytes?: number;
  /** Label used in error messages instead of the path. */
  name?: string;
  /**
   * Unit of the file's times (TsFile does not record it): `time` and TIMESTAMP columns come out as
   * Arrow Timestamp in this unit. Default 'ms', IoTDB's default.
   */
  timeUnit?: TimeUnitName;
  /** `time` and TIMESTAMP columns as plain Int64 instead of Timestamp (the unit stays in field metadata). */
  int64Time?: boolean;
}

export interface ResolvedReaderOptions {
  maxBytesInFlight: number;
  maxPageBytes: number;
  maxPagePoints: number;
  maxIndexBytes: number;
  timeUnit: TimeUnitName;
  int64Time: boolean;
}

export function resolveReaderOptions(o: ReaderOptions = {}): ResolvedReaderOptions {
  return {
    maxBytesInFlight: o.maxBytesInFlight ?? 64 * 1024 * 1024,
    maxPageBytes: o.maxPageBytes ?? 64 * 1024 * 1024,
    maxPagePoints: o.maxPagePoints ?? 4 * 1024 * 1024,
    maxIndexBytes: o.maxIndexBytes ?? 64 * 1024 * 1024,
    timeUnit: parseTimeUnit(o.timeUnit),
    int64Time: o.int64Time === true,
  };
}
