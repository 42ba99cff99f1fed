/**
 * The time-aligned outer join of a query: k streams of rows in time order (one per device and
 * file) become one sequence of steps, each a run of merged timestamps — a row for every time any
 * stream has — with, for each output column, where each row's value comes from (null where no
 * stream has one). Rows are taken only up to the earliest last time of the streams' current
 * batches, so one batch per stream is held at a time; a stream is opened only once the merge
 * reaches its first time. Where two streams feed the same column at the same time (the same
 * series in two files), the later stream's non-null value wins.
 */
import { type Data, type DataType, DateUnit, makeData, Precision, Type } from 'apache-arrow';
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import { yieldToEventLoop } from '../io/yield.js';
import { sameTimes, upperBound, wordsOf } from './time-range.js';

export interface StreamBatch {
  times: BigInt64Array;
  /** One Data per column of the stream, times.length rows each. */
  columns: Data[];
}

export interface RowStream {
  /** No row of the stream is earlier than this (from statistics). */
  startTime: bigint;
  /** The output slot each of the stream's columns feeds. */
  slots: readonly number[];
  open(): AsyncIterator<StreamBatch>;
}

/** Where the rows of one output column come from in a step. */
export type SlotRows =
  /** Row i is row i of `data` (one source, every merged row present in it). */
  | { kind: 'whole'; data: Data }
  /** Row i is row idx[i] of sources[part[i]] (idx −1: null). */
  | { kind: 'gather'; sources: Data[]; part: Uint8Array | undefined; idx: Int32Array }
  /** No source in this step: all null. */
  | { kind: 'none' };

export interface JoinStep {
  times: BigInt64Array;
  slots: SlotRows[];
}

interface Live {
  stream: RowStream;
  it: AsyncIterator<StreamBatch>;
  batch: StreamBatch | undefined;
  pos: number;
  last: bigint | undefined;
}

const YIELD_EVERY_ROWS = 1 << 20;

/** Merges the streams on time; `slotCount` output columns. */
export async function* joinStreams(streams: readonly RowStream[], slotCount: number, signal: AbortSignal | undefined): AsyncGenerator<JoinStep> {
  const waiting = [...streams].sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : streams.indexOf(a) - streams.indexOf(b)));
  const order = new Map(streams.map((s, i) => [s, i]));
  const live: Live[] = [];
  let sinceYield = 0;
  try {
    for (;;) {
      throwIfAborted(signal);
      // Give every live stream rows; drop the finished ones.
      for (let k = 0; k < live.length; k++) {
        const l = live[k]!;
        while (l.batch === undefined || l.pos >= l.batch.times.length) {
          const r = await l.it.next();
          if (r.done) {
            l.batch = undefined;
            break;
          }
          const b = r.value;
          if (b.times.length === 0) continue;
          if (l.last !== undefined && b.times[0]! <= l.last) {
            throw new TsFileError(ErrorCode.CORRUPT, 'query rows of a device go back in time', { expected: `> ${l.last}`, actual: String(b.times[0]) });
          }
          l.last = b.times[b.times.length - 1]!;
          l.batch = b;
          l.pos = 0;
        }
        if (l.batch === undefined) {
          live.splice(k, 1);
          k--;
        }
      }
      // Open the streams the merge has reached (all of them when nothing is live).
      let next: bigint | undefined;
      for (const l of live) {
        const t = l.batch!.times[l.pos]!;
        if (next === undefined || t < next) next = t;
      }
      let opened = false;
      while (waiting.length > 0 && (next === undefined || waiting[0]!.startTime <= next)) {
        const s = waiting.shift()!;
        live.push({ stream: s, it: s.open(), batch: undefined, pos: 0, last: undefined });
        opened = true;
        if (next === undefined) break;
      }
      if (opened) {
        live.sort((a, b) => order.get(a.stream)! - order.get(b.stream)!);
        continue;
      }
      if (live.length === 0) return;
      // Every stream's rows up to the earliest current last time are known: merge up to there, but
      // not as far as a stream not yet opened.
      let frontier = live[0]!.batch!.times[live[0]!.batch!.times.length - 1]!;
      for (const l of live) {
        const t = l.batch!.times[l.batch!.times.length - 1]!;
        if (t < frontier) frontier = t;
      }
      if (waiting.length > 0 && waiting[0]!.startTime - 1n < frontier) frontier = waiting[0]!.startTime - 1n;
      const step = mergeStep(live, frontier, slotCount);
      sinceYield += step.times.length + 1024;
      if (sinceYield >= YIELD_EVERY_ROWS) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
      yield step;
    }
  } finally {
    await Promise.all(live.map((l) => l.it.return?.(undefined)));
  }
}

function mergeStep(live: Live[], frontier: bigint, slotCount: number): JoinStep {
  const parts: { l: Live; from: number; to: number }[] = [];
  for (const l of live) {
    const b = l.batch!;
    const to = upperBound(b.times, frontier, l.pos);
    if (to > l.pos) parts.push({ l, from: l.pos, to });
    l.pos = to;
  }
  const first = parts[0]!;
  const firstTimes = first.l.batch!.times.subarray(first.from, first.to);
  const same = parts.every((p) => sameTimes(p.l.batch!.times.subarray(p.from, p.to), firstTimes));
  let times = firstTimes;
  // Merged row of each part's rows (undefined: the identity).
  let maps: (Int32Array | undefined)[] = parts.map(() => undefined);
  if (!same) {
    const slices = parts.map((p) => p.l.batch!.times.subarray(p.from, p.to));
    times = unionTimes(slices);
    maps = slices.map((t) => positions(times, t));
  }
  const n = times.length;
  const feeders: { data: Data; from: number; map: Int32Array | undefined }[][] = Array.from({ length: slotCount }, () => []);
  parts.forEach((p, k) => {
    p.l.stream.slots.forEach((slot, j) => feeders[slot]!.push({ data: p.l.batch!.columns[j]!, from: p.from, map: maps[k] }));
  });
  const slots = feeders.map((fs): SlotRows => {
    if (fs.length === 0) return { kind: 'none' };
    // All-null device columns may carry no value buffer: rebuilt at full size as 'none'.
    if (fs.every((f) => f.data.nullCount === f.data.length)) return { kind: 'none' };
    if (fs.length === 1 && fs[0]!.map === undefined) {
      const f = fs[0]!;
      return { kind: 'whole', data: f.from === 0 && f.data.length === n ? f.data : f.data.slice(f.from, n) };
    }
    const idx = new Int32Array(n).fill(-1);
    const part = fs.length > 1 ? new Uint8Array(n) : undefined;
    if (fs.length > 255) throw new TsFileError(ErrorCode.UNSUPPORTED, 'a query column fed by more than 255 files at once', { actual: String(fs.length) });
    fs.forEach((f, s) => {
      const rows = (f.map?.length ?? n) as number;
      for (let i = 0; i < rows; i++) {
        const r = f.map === undefined ? i : f.map[i]!;
        // A later source's null does not hide an earlier source's value.
        if (part !== undefined && idx[r] !== -1 && !validAt(f.data, f.from + i)) continue;
        idx[r] = f.from + i;
        if (part !== undefined) part[r] = s;
      }
    });
    return { kind: 'gather', sources: fs.map((f) => f.data), part, idx };
  });
  return { times, slots };
}

/** Sorted union of sorted, duplicate-free int64 arrays. */
function unionTimes(parts: BigInt64Array[]): BigInt64Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new BigInt64Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  all.sort();
  const w = wordsOf(all);
  let k = 0;
  for (let r = 0; r < total; r++) {
    if (k > 0 && w[2 * r] === w[2 * k - 2] && w[2 * r + 1] === w[2 * k - 1]) continue;
    w[2 * k] = w[2 * r]!;
    w[2 * k + 1] = w[2 * r + 1]!;
    k++;
  }
  return all.subarray(0, k);
}

/** For each time of `some` (a sorted subset of `all`), its index in `all`. */
function positions(all: BigInt64Array, some: BigInt64Array): Int32Array {
  const out = new Int32Array(some.length);
  const a = wordsOf(all);
  const s = wordsOf(some);
  let i = 0;
  for (let j = 0; j < some.length; j++) {
    while (a[2 * i] !== s[2 * j] || a[2 * i + 1] !== s[2 * j + 1]) i++;
    out[j] = i;
  }
  return out;
}

export function validAt(d: Data, i: number): boolean {
  const bits = d.nullBitmap;
  if (bits === undefined || bits.length === 0 || d.nullCount === 0) return true;
  const k = d.offset + i;
  return ((bits[k >> 3]! >> (k & 7)) & 1) === 1;
}

/**
 * Row i of the result is row idx[i] of sources[part[i] ?? 0], null where idx[i] is −1: values are
 * copied as stored bits (NaN payloads and −0 kept), strings and blobs as bytes.
 */
export function takeRows(sources: readonly Data[], part: Uint8Array | undefined, idx: Int32Array): Data {
  const n = idx.length;
  const type = sources[0]!.type;
  const make = makeData as unknown as (props: Record<string, unknown>) => Data;
  const bitmap = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  if (sources.every((d) => d.nullCount === 0)) {
    // No null in any source: a row is valid where it has a source row.
    for (let i = 0; i < n; i++) {
      if (idx[i]! >= 0) bitmap[i >> 3]! |= 1 << (i & 7);
      else nulls++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      if (j >= 0 && validAt(sources[part === undefined ? 0 : part[i]!]!, j)) bitmap[i >> 3]! |= 1 << (i & 7);
      else nulls++;
    }
  }
  const nullBitmap = nulls > 0 ? bitmap : undefined;
  const src = (i: number) => sources[part === undefined ? 0 : part[i]!]!;
  switch (type.typeId) {
    case Type.Bool: {
      const out = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j < 0) continue;
        const d = src(i);
        const k = d.offset + j;
        if (((d.values as Uint8Array)[k >> 3]! >> (k & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
      }
      return make({ type, length: n, nullCount: nulls, nullBitmap, data: out });
    }
    case Type.Utf8:
    case Type.Binary: {
      const offsets = new Int32Array(n + 1);
      let size = 0;
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j >= 0) {
          const o = src(i).valueOffsets as Int32Array;
          size += o[j + 1]! - o[j]!;
        }
        offsets[i + 1] = size;
      }
      const bytes = new Uint8Array(size);
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (j < 0) continue;
        const d = src(i);
        const o = d.valueOffsets as Int32Array;
        bytes.set((d.values as Uint8Array).subarray(o[j]!, o[j + 1]!), offsets[i]!);
      }
      return make({ type, length: n, nullCount: nulls, nullBitmap, valueOffsets: offsets, data: bytes });
    }
    default: {
      // Fixed width: copy 32-bit words, never values (a float load may quiet a NaN's payload).
      const width = wordsPerValue(type);
      const views = sources.map((d) => {
        const v = d.values as ArrayBufferView;
        return new Int32Array(v.buffer, v.byteOffset, v.byteLength >> 2);
      });
      const out = new Int32Array(n * width);
      if (part === undefined) {
        const w = views[0]!;
        if (width === 1) {
          for (let i = 0; i < n; i++) {
            const j = idx[i]!;
            if (j >= 0) out[i] = w[j]!;
          }
        } else {
          for (let i = 0; i < n; i++) {
            const j = idx[i]!;
            if (j < 0) continue;
            out[2 * i] = w[2 * j]!;
            out[2 * i + 1] = w[2 * j + 1]!;
          }
        }
      } else {
        for (let i = 0; i < n; i++) {
          const j = idx[i]!;
          if (j < 0) continue;
          const w = views[part[i]!]!;
          if (width === 1) out[i] = w[j]!;
          else {
            out[2 * i] = w[2 * j]!;
            out[2 * i + 1] = w[2 * j + 1]!;
          }
        }
      }
      const Ctor = (type as unknown as { ArrayType: new (b: ArrayBuffer, o: number, n: number) => ArrayBufferView }).ArrayType;
      const perValue = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      return make({ type, length: n, nullCount: nulls, nullBitmap, data: new Ctor(out.buffer, 0, (n * width * 4) / perValue) });
    }
  }
}

/** 32-bit words per value of a fixed-width Arrow type. */
function wordsPerValue(type: DataType): 1 | 2 {
  switch (type.typeId) {
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? 2 : 1;
    case Type.Float:
      return (type as unknown as { precision: Precision }).precision === Precision.DOUBLE ? 2 : 1;
    case Type.Date:
      return (type as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? 1 : 2;
    case Type.Timestamp:
      return 2;
    default:
      throw new TsFileError(ErrorCode.UNSUPPORTED, `query column of Arrow type ${String(type)}`);
  }
}

/** A column of n nulls with full-size buffers. */
export function allNull(empty: Data, n: number): Data {
  return takeRows([empty], undefined, new Int32Array(n).fill(-1));
}

/**
 * Rows of a step where some column has a value (aligned devices have rows whose selected columns
 * are all null: the query has no row there). Undefined when every row has one.
 */
export function rowsWithAValue(slots: readonly SlotRows[], n: number): Uint8Array | undefined {
  if (slots.some((s) => s.kind === 'whole' && s.data.nullCount === 0)) return undefined;
  const out = new Uint8Array(n);
  for (const s of slots) {
    if (s.kind === 'whole') {
      for (let i = 0; i < n; i++) if (out[i] === 0 && validAt(s.data, i)) out[i] = 1;
    } else if (s.kind === 'gather') {
      const idx = s.idx;
      if (s.sources.every((d) => d.nullCount === 0)) {
        for (let i = 0; i < n; i++) if (idx[i]! >= 0) out[i] = 1;
        continue;
      }
      for (let i = 0; i < n; i++) {
        const j = idx[i]!;
        if (out[i] === 0 && j >= 0 && validAt(s.sources[s.part === undefined ? 0 : s.part[i]!]!, j)) out[i] = 1;
      }
    }
  }
  return out.every((x) => x === 1) ? undefined : out;
}

/** The rows of a step's column as one offset-free Data of the step's length. */
export function slotData(rows: SlotRows, empty: () => Data): Data {
  switch (rows.kind) {
    case 'whole':
      return rows.data;
    case 'gather':
      return takeRows(rows.sources, rows.part, rows.idx);
    case 'none':
      return empty();
  }
}

/** The rows `keep` of a step's column (indices into the step's rows). */
export function keepRows(rows: SlotRows, keep: Int32Array, empty: (n: number) => Data): Data {
  switch (rows.kind) {
    case 'whole':
      return takeRows([rows.data], undefined, keep);
    case 'gather': {
      const idx = new Int32Array(keep.length);
      const part = rows.part === undefined ? undefined : new Uint8Array(keep.length);
      for (let i = 0; i < keep.length; i++) {
        idx[i] = rows.idx[keep[i]!]!;
        if (part !== undefined) part[i] = rows.part![keep[i]!]!;
      }
      return takeRows(rows.sources, part, idx);
    }
    case 'none':
      return empty(keep.length);
  }
}
