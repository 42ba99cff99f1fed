/**
 * The cross-device query (a QueryExpression: selected series, a time range and a value filter):
 * Arrow batches `time, <one column per path>` aligned on time across devices and files — a row for
 * every timestamp any selected series has, null where a series has no point there.
 *
 * Statistics first: the filter is decided per chunk from the index, then per page of the chunks
 * still possible from page headers, giving the set of times at which a row can still match. Every
 * selected series (filtered or not) then reads only chunks and pages meeting that set, through the
 * ordinary device scan; the filter is evaluated vectorised over the joined rows.
 */
import { type Data, Field, makeData, RecordBatch, Schema, Struct } from 'apache-arrow';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import { DataType } from '../format/codes.js';
import type { Statistics } from '../format/statistics.js';
import { measurementField, timeField } from '../arrow/types.js';
import { TIME_UNIT_KEY, type TimeUnitName } from '../arrow/time-unit.js';
import { parseInstant } from '../arrow/instant-text.js';
import { bindFilter, type BoundFilter, candidateTimes, evaluateFilter, filterSlots, type QueryFilter, TRUE } from './query-filter.js';
import { parseFilter } from './query-filter-text.js';
import { allNull, joinStreams, keepRows, rowsWithAValue, type RowStream, slotData, type StreamBatch } from './query-join.js';
import { nullColumn } from './device-windows.js';
import type { ReadStats } from './read-context.js';
import type { RunnerOptions, TaskRunner } from './task-runner.js';
import { intersect, type TimeSet } from './time-intervals.js';
import type { TimeRange } from './time-range.js';

export interface QueryOptions extends RunnerOptions {
  /** Full series paths (`root.sg.d1.s1`): the result's columns after `time`, in this order. */
  paths: readonly string[];
  /** Inclusive time bounds: epoch values in the file's unit, or ISO-8601 text. */
  startTime?: bigint | number | string;
  endTime?: bigint | number | string;
  /** Rows to keep: a filter tree (see `where`) or its text (`root.sg.d1.s1 > 10 and time >= 2024-01-01`). */
  filter?: QueryFilter | string;
  /** Most rows per batch (default 65 536). */
  batchRows?: number;
  signal?: AbortSignal;
}

/** A series of one source as the query sees it. */
export interface QuerySeries {
  device: string;
  measurement: string;
  dataType: DataType;
  /** Series statistics (time span, count). */
  statistics: Statistics;
}

/** What the query needs of one file (implemented by TsFileReader). */
export interface QuerySource {
  readonly name: string | undefined;
  readonly timeUnit: TimeUnitName;
  readonly timeTyping: { unit: TimeUnitName; int64: boolean };
  readonly stats: ReadStats;
  /** The series a full path names in this file, if any. */
  findSeries(path: string): Promise<QuerySeries | undefined>;
  /**
   * Statistics blocks of a series meeting `range`: its chunks from the index, or, with `pages`, the
   * pages (from page headers) of those chunks.
   */
  seriesBlocks(device: string, measurement: string, range: TimeRange, pages: boolean): Promise<Statistics[]>;
  /** Rows of one device's measurements within `range`, in time order. */
  deviceRows(device: string, measurements: readonly string[], range: TimeRange, options: { signal?: AbortSignal; batchRows: number; runner: TaskRunner; maxBytesInFlight: number }): AsyncIterable<RecordBatch>;
  /** The runner the query's decode tasks run on. */
  runnerFor(options: RunnerOptions): TaskRunner;
  readonly maxBytesInFlight: number;
}

interface Slot {
  path: string;
  type: DataType;
  /** Part of the result (false: read only for the filter). */
  output: boolean;
  /** Per source: the series there, if the file has it. */
  series: (QuerySeries | undefined)[];
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Runs a query over one or more sources (files): batches in time order, joined across all of them. */
export async function* runQuery(sources: readonly QuerySource[], options: QueryOptions): AsyncGenerator<RecordBatch> {
  if (sources.length === 0) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'a query needs at least one file');
  const o = options ?? ({} as QueryOptions);
  const first = sources[0]!;
  const unit = first.timeUnit;
  for (const s of sources) {
    if (s.timeUnit !== unit || s.timeTyping.int64 !== first.timeTyping.int64) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'files of one query must be read with the same time unit', { file: s.name, expected: unit, actual: s.timeUnit });
    }
  }
  if (!Array.isArray(o.paths) || o.paths.length === 0 || o.paths.some((p) => typeof p !== 'string' || p.length === 0)) {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'query paths must be a non-empty list of series paths', { actual: JSON.stringify(o.paths) ?? String(o.paths) });
  }
  const batchRows = o.batchRows ?? 65536;
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'batchRows must be a positive integer', { actual: String(batchRows) });
  const start = bound(o.startTime, I64_MIN, unit, 'startTime');
  const end = bound(o.endTime, I64_MAX, unit, 'endTime');

  const slots: Slot[] = [];
  const bySlotPath = new Map<string, number>();
  const addSlot = async (path: string, output: boolean): Promise<number | undefined> => {
    const known = bySlotPath.get(path);
    if (known !== undefined) return known;
    const series = await Promise.all(sources.map((s) => s.findSeries(path)));
    const found = series.filter((x): x is QuerySeries => x !== undefined);
    if (found.length === 0) return undefined;
    const type = found[0]!.dataType;
    const other = found.find((x) => x.dataType !== type);
    if (other !== undefined) {
      throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `series "${path}" has different types in the files of the query`, { file: sources[series.indexOf(other)]?.name, expected: String(type), actual: String(other.dataType) });
    }
    slots.push({ path, type, output, series });
    bySlotPath.set(path, slots.length - 1);
    return slots.length - 1;
  };
  for (const p of o.paths) {
    if (bySlotPath.has(p)) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `query path "${p}" is listed twice`);
    if ((await addSlot(p, true)) === undefined) throw unknownPath(p, sources);
  }
  // Series the filter reads but the result does not show are read as hidden columns.
  let filter: BoundFilter | undefined;
  if (o.filter !== undefined) {
    const tree = typeof o.filter === 'string' ? parseFilter(o.filter) : o.filter;
    const extra = new Set<string>();
    collectPaths(tree, extra);
    for (const p of extra) if (p !== 'time' && (await addSlot(p, false)) === undefined) throw unknownPath(p, sources);
    filter = bindFilter(tree, (p) => {
      const k = bySlotPath.get(p);
      return k === undefined ? undefined : { slot: k, type: slots[k]!.type };
    }, unit);
  }

  // Which times can still give a row: the time range, then the filter's verdict on chunk
  // statistics, then on the page statistics of the chunks left.
  let within: TimeSet = start <= end ? [start, end] : [];
  if (filter !== undefined && within.length > 0) {
    for (const pages of [false, true]) {
      const range: TimeRange = { start, end, within };
      const blocks = new Map<number, Statistics[]>();
      for (const k of filterSlots(filter)) {
        const lists = await Promise.all(slots[k]!.series.map((s, i) => (s === undefined ? [] : sources[i]!.seriesBlocks(s.device, s.measurement, range, pages))));
        blocks.set(k, lists.flat());
      }
      throwIfAborted(o.signal);
      within = intersect(within, candidateTimes(filter, (k) => blocks.get(k) ?? []));
      if (within.length === 0) break;
    }
  }
  const schema = querySchema(slots, first.timeTyping, unit);
  if (within.length === 0) {
    yield emptyBatch(schema, slots);
    return;
  }
  const range: TimeRange = { start: within[0]!, end: within[within.length - 1]!, within: within.length === 2 && within[0] === start && within[1] === end ? undefined : within };

  // One stream per (file, device) holding any slot.
  const streams: RowStream[] = [];
  const runner = first.runnerFor(o);
  sources.forEach((src, i) => {
    const byDevice = new Map<string, { measurements: string[]; slots: number[]; start: bigint }>();
    slots.forEach((slot, k) => {
      const s = slot.series[i];
      if (s === undefined || s.statistics.count === 0 || s.statistics.endTime < range.start || s.statistics.startTime > range.end) return;
      let d = byDevice.get(s.device);
      if (d === undefined) byDevice.set(s.device, (d = { measurements: [], slots: [], start: I64_MAX }));
      d.measurements.push(s.measurement);
      d.slots.push(k);
      if (s.statistics.startTime < d.start) d.start = s.statistics.startTime;
    });
    const count = [...byDevice.values()].length;
    for (const [device, d] of byDevice) {
      streams.push({
        startTime: d.start > range.start ? d.start : range.start,
        slots: d.slots,
        open: () => deviceStream(src, device, d.measurements, range, { signal: o.signal, batchRows: Math.max(batchRows, 1024), runner, maxBytesInFlight: budget(src, count * sources.length) }),
      });
    }
  });

  const filterCols = filter === undefined ? [] : filterSlots(filter);
  const outSlots = slots.map((s, k) => (s.output ? k : -1)).filter((k) => k >= 0);
  let yielded = false;
  for await (const step of joinStreams(streams, slots.length, o.signal)) {
    const n = step.times.length;
    const empty = (k: number, m: number) => allNull(nullColumn(slots[k]!.type, 0), m);
    // Rows to keep: those with a value in some column, where the filter is true.
    let keepMask = rowsWithAValue(step.slots, n);
    const dense: (Data | undefined)[] = [];
    if (filter !== undefined) {
      for (const k of filterCols) dense[k] = slotData(step.slots[k]!, () => empty(k, n));
      const verdict = evaluateFilter(filter, n, step.times, dense);
      if (keepMask === undefined) keepMask = verdict.map((v) => (v === TRUE ? 1 : 0));
      else for (let i = 0; i < n; i++) keepMask[i] = keepMask[i]! & (verdict[i] === TRUE ? 1 : 0);
    }
    let kept = n;
    if (keepMask !== undefined) {
      kept = 0;
      for (let i = 0; i < n; i++) kept += keepMask[i]!;
    }
    if (kept === 0) continue;
    let times = step.times;
    let columns: Data[];
    if (kept === n) {
      columns = outSlots.map((k) => dense[k] ?? slotData(step.slots[k]!, () => empty(k, n)));
    } else {
      const keep = new Int32Array(kept);
      for (let i = 0, w = 0; i < n; i++) if (keepMask![i] === 1) keep[w++] = i;
      times = new BigInt64Array(kept);
      const tw = new Int32Array(times.buffer);
      const sw = new Int32Array(step.times.buffer, step.times.byteOffset, n * 2);
      for (let i = 0; i < kept; i++) {
        tw[2 * i] = sw[2 * keep[i]!]!;
        tw[2 * i + 1] = sw[2 * keep[i]! + 1]!;
      }
      columns = outSlots.map((k) => keepRows(step.slots[k]!, keep, (m) => empty(k, m)));
    }
    for (const b of toBatches(schema, times, columns, batchRows)) {
      yielded = true;
      yield b;
    }
  }
  if (!yielded) yield emptyBatch(schema, slots);
}

/** A device's batches as (times, columns in the order asked for). */
async function* deviceStream(
  src: QuerySource,
  device: string,
  measurements: readonly string[],
  range: TimeRange,
  options: { signal?: AbortSignal; batchRows: number; runner: TaskRunner; maxBytesInFlight: number },
): AsyncGenerator<StreamBatch> {
  let order: number[] | undefined;
  for await (const b of src.deviceRows(device, measurements, range, options)) {
    order ??= measurements.map((m) => b.schema.fields.findIndex((f) => f.name === m));
    const times = b.getChildAt(0)!.data[0]!;
    yield { times: epochOf(times), columns: order.map((j) => b.getChildAt(j)!.data[0]!) };
  }
}

function epochOf(d: Data): BigInt64Array {
  const v = d.values as unknown as BigInt64Array | Int32Array;
  if (v instanceof BigInt64Array) return v.length === d.length ? v : v.subarray(0, d.length);
  return new BigInt64Array(v.buffer, v.byteOffset, d.length);
}

/** Decode budget of one device stream: the file's share of in-flight bytes, at least 4 MiB. */
function budget(src: QuerySource, streams: number): number {
  return Math.max(4 << 20, Math.floor(src.maxBytesInFlight / Math.max(1, streams)));
}

function bound(v: bigint | number | string | undefined, fallback: bigint, unit: TimeUnitName, name: string): bigint {
  if (v === undefined) return fallback;
  if (typeof v === 'string') return parseInstant(v, unit, name);
  if (typeof v === 'bigint' && v >= I64_MIN && v <= I64_MAX) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `${name} must be an int64 timestamp (bigint, safe integer or ISO-8601 text)`, { actual: typeof v === 'bigint' ? `${v}n` : String(v) });
}

function collectPaths(f: QueryFilter, out: Set<string>): void {
  if (f === null || typeof f !== 'object') return;
  if ('args' in f && Array.isArray(f.args)) for (const a of f.args) collectPaths(a, out);
  else if ('arg' in f) collectPaths(f.arg, out);
  else if ('path' in f && typeof f.path === 'string') out.add(f.path);
}

function unknownPath(path: string, sources: readonly QuerySource[]): TsFileError {
  return new TsFileError(ErrorCode.NOT_FOUND, `no series "${path}" in ${sources.length === 1 ? 'the file' : `any of the ${sources.length} files`}`, { file: sources.length === 1 ? sources[0]!.name : undefined });
}

function querySchema(slots: Slot[], typing: { unit: TimeUnitName; int64: boolean }, unit: TimeUnitName): Schema {
  const fields: Field[] = [timeField(typing)];
  for (const s of slots) {
    if (!s.output) continue;
    const where = s.series.find((x) => x !== undefined)!;
    fields.push(measurementField(s.path, s.type, { 'tsfile.device': where.device, 'tsfile.measurement': where.measurement }, typing));
  }
  return new Schema(fields, new Map([[TIME_UNIT_KEY, unit], ['tsfile.query', 'aligned']]));
}

/** A batch of no rows: the schema, for consumers that need one even when nothing matches. */
function emptyBatch(schema: Schema, slots: Slot[]): RecordBatch {
  const cols = slots.filter((s) => s.output).map((s) => nullColumn(s.type, 0));
  return toBatches(schema, new BigInt64Array(0), cols, 1).next().value as RecordBatch;
}

/** Record batches of at most `batchRows` rows; columns are relabelled to the schema's types (sharing buffers). */
function* toBatches(schema: Schema, times: BigInt64Array, columns: Data[], batchRows: number): Generator<RecordBatch> {
  const n = times.length;
  const timeData = makeData({ type: schema.fields[0]!.type, length: n, data: times }) as Data;
  const children = [timeData, ...columns.map((c, i) => (String(c.type) === String(schema.fields[i + 1]!.type) ? c : c.clone(schema.fields[i + 1]!.type)))];
  const type = new Struct(schema.fields);
  if (n === 0) {
    yield new RecordBatch(schema, makeData({ type, length: 0, nullCount: 0, children }));
    return;
  }
  for (let lo = 0; lo < n; lo += batchRows) {
    const len = Math.min(batchRows, n - lo);
    const parts = lo === 0 && len === n ? children : children.map((c) => c.slice(lo, len));
    yield new RecordBatch(schema, makeData({ type, length: len, nullCount: 0, children: parts }));
  }
}
