/**
 * Sorting imported points per series with bounded memory. A series' points are held in typed
 * columns (time, input line, value text) in arrival order; a series whose times already ascend is
 * never sorted. When the importer's bound is reached, every series is sorted and written to one
 * temporary file (a run) in a compact binary form; at the end each series is read back as the
 * merge of its runs and what is left in memory, in blocks ordered by time, then input line.
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, TsFileError } from '../io/errors.js';

/**
 * Points of one series ordered by (time, line): `times[i]`, `lines[i]`, and value i, the text
 * `text.slice(ends[i - 1] ?? 0, ends[i])`, for i < length. Values travel as one string per block,
 * not one string per point.
 */
export interface PointBlock {
  times: BigInt64Array;
  lines: Float64Array;
  ends: Float64Array;
  text: string;
  length: number;
}

const TWO32 = 4294967296;

/** One series' points in arrival order: times, input lines, and value texts as UTF-16 code units. */
export class SeriesBuffer {
  times = new BigInt64Array(16);
  private halves = new Int32Array(this.times.buffer);
  lines = new Float64Array(16);
  /** Value i is chars[ends[i - 1] ?? 0, ends[i]). */
  ends = new Float64Array(16);
  chars = new Uint16Array(64);
  length = 0;
  /** Every time so far is at or after the one before it. */
  ascending = true;

  /** A point whose time is a safe integer (written into the int64 column without a BigInt). */
  push(time: number, line: number, value: string): void {
    const n = this.length;
    if (n === this.times.length) this.grow();
    const hi = Math.floor(time / TWO32);
    const lo = (time - hi * TWO32) | 0;
    const w = this.halves;
    if (n > 0 && this.ascending) {
      const ph = w[2 * n - 1]!;
      if (hi < ph || (hi === ph && lo >>> 0 < w[2 * n - 2]! >>> 0)) this.ascending = false;
    }
    w[2 * n] = lo;
    w[2 * n + 1] = hi;
    this.finishPush(n, line, value);
  }

  /** A point with any int64 time. */
  pushBig(time: bigint, line: number, value: string): void {
    const n = this.length;
    if (n === this.times.length) this.grow();
    if (n > 0 && this.ascending && time < this.times[n - 1]!) this.ascending = false;
    this.times[n] = time;
    this.finishPush(n, line, value);
  }

  private finishPush(n: number, line: number, value: string): void {
    this.lines[n] = line;
    const at = n === 0 ? 0 : this.ends[n - 1]!;
    const end = at + value.length;
    if (end > this.chars.length) {
      const c = new Uint16Array(Math.max(end, this.chars.length * 2));
      c.set(this.chars.subarray(0, at));
      this.chars = c;
    }
    const chars = this.chars;
    for (let j = 0; j < value.length; j++) chars[at + j] = value.charCodeAt(j);
    this.ends[n] = end;
    this.length = n + 1;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new BigInt64Array(cap);
    t.set(this.times);
    this.times = t;
    this.halves = new Int32Array(t.buffer);
    const l = new Float64Array(cap);
    l.set(this.lines);
    this.lines = l;
    const e = new Float64Array(cap);
    e.set(this.ends);
    this.ends = e;
  }

  /** Orders the points by time, then line (arrival order: lines only grow). */
  sort(): void {
    if (this.ascending) return;
    const n = this.length;
    const order = sortOrder(this.halves, n);
    const cap = this.times.length;
    const times = new BigInt64Array(cap);
    const lines = new Float64Array(cap);
    const ends = new Float64Array(cap);
    const chars = new Uint16Array(this.chars.length);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const k = order[i]!;
      times[i] = this.times[k]!;
      lines[i] = this.lines[k]!;
      const from = k === 0 ? 0 : this.ends[k - 1]!;
      const to = this.ends[k]!;
      chars.set(this.chars.subarray(from, to), at);
      at += to - from;
      ends[i] = at;
    }
    this.times = times;
    this.halves = new Int32Array(times.buffer);
    this.lines = lines;
    this.ends = ends;
    this.chars = chars;
    this.ascending = true;
  }

  /** Points [from, to) as a block (times and lines are views). */
  block(from: number, to: number): PointBlock {
    const base = from === 0 ? 0 : this.ends[from - 1]!;
    const ends = new Float64Array(to - from);
    for (let i = from; i < to; i++) ends[i - from] = this.ends[i]! - base;
    return { times: this.times.subarray(from, to), lines: this.lines.subarray(from, to), ends, text: charsText(this.chars, base, this.ends[to - 1]!), length: to - from };
  }

  /** Empties the buffer; small arrays are kept for the next points, large ones given back. */
  clear(): void {
    if (this.times.length > 4096) {
      this.times = new BigInt64Array(16);
      this.halves = new Int32Array(this.times.buffer);
      this.lines = new Float64Array(16);
      this.ends = new Float64Array(16);
    }
    if (this.chars.length > 65536) this.chars = new Uint16Array(64);
    this.length = 0;
    this.ascending = true;
  }
}

/**
 * The permutation that orders n int64 times (given as 32-bit halves) by time, ties in index order.
 * When (time - min) * n + index stays below 2^53, those keys are sorted as doubles by the native
 * sort and the index is their remainder; otherwise a comparison sort on the halves (no BigInts).
 */
function sortOrder(w: Int32Array, n: number): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const order = new Uint32Array(n);
  if (Number.isSafeInteger(min) && Number.isSafeInteger(max) && (max - min + 1) * n <= Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0) - min) * n + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i]! % n;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  // Ties keep arrival order: the sort is stable.
  order.sort((a, b) => w[2 * a + 1]! - w[2 * b + 1]! || (w[2 * a]! >>> 0) - (w[2 * b]! >>> 0));
  return order;
}

/** UTF-16 code units [from, to) as a string, in one copy. */
function charsText(chars: Uint16Array, from: number, to: number): string {
  return Buffer.from(chars.buffer, chars.byteOffset + from * 2, (to - from) * 2).toString('utf16le');
}

/** A sorted stream of blocks. */
export interface BlockSource {
  next(): Promise<PointBlock | undefined>;
}

/** The points of a sorted buffer, `size` at a time. */
export function memorySource(b: SeriesBuffer, size: number): BlockSource {
  let at = 0;
  return {
    next: () => {
      if (at >= b.length) return Promise.resolve(undefined);
      const end = Math.min(b.length, at + size);
      const block = b.block(at, end);
      at = end;
      return Promise.resolve(block);
    },
  };
}

/** Where one series' blocks lie in a run file. */
interface Segment {
  offsets: number[];
  sizes: number[];
}

/**
 * A block on disk: u32 count n, u32 code units c, 8 bytes padding, then n int64 times, n float64
 * lines, n u32 value ends (in code units, from the block's start) and the c UTF-16 code units.
 */
function encodeBlock(b: SeriesBuffer, from: number, to: number): Uint8Array {
  const n = to - from;
  const base = from === 0 ? 0 : b.ends[from - 1]!;
  const c = b.ends[to - 1]! - base;
  const head = 16 + n * 20;
  const size = head + c * 2;
  const out = new Uint8Array(size + ((8 - (size & 7)) & 7));
  const u32 = new Uint32Array(out.buffer, 0, 4 + n * 5);
  u32[0] = n;
  u32[1] = c;
  new BigInt64Array(out.buffer, 16, n).set(b.times.subarray(from, to));
  new Float64Array(out.buffer, 16 + n * 8, n).set(b.lines.subarray(from, to));
  for (let i = 0; i < n; i++) u32[4 + n * 4 + i] = b.ends[from + i]! - base;
  new Uint16Array(out.buffer, head, c).set(b.chars.subarray(base, base + c));
  return out;
}

function decodeBlock(buf: Uint8Array): PointBlock {
  const u32 = new Uint32Array(buf.buffer, buf.byteOffset, 4);
  const n = u32[0]!;
  const c = u32[1]!;
  const head = 16 + n * 20;
  return {
    times: new BigInt64Array(buf.buffer, buf.byteOffset + 16, n),
    lines: new Float64Array(buf.buffer, buf.byteOffset + 16 + n * 8, n),
    ends: Float64Array.from(new Uint32Array(buf.buffer, buf.byteOffset + 16 + n * 16, n)),
    text: charsText(new Uint16Array(buf.buffer, buf.byteOffset + head, c), 0, c),
    length: n,
  };
}

/** Bytes read ahead when a run is read where the last read ended. */
const READ_AHEAD = 1 << 18;

class Run {
  readonly segments = new Map<number, Segment>();
  size = 0;
  /** The bytes read ahead, from file offset `windowAt`, and where the last read ended. */
  private window = new Uint8Array(0);
  private windowAt = 0;
  private lastEnd = -1;
  constructor(readonly handle: FileHandle) {}

  /**
   * The block at `offset`. Series are spilled in the order they are written back, so reads mostly
   * follow each other: those are served from one read-ahead window, not one read per block.
   */
  async block(offset: number, size: number): Promise<PointBlock> {
    const sequential = offset === this.lastEnd;
    this.lastEnd = offset + size;
    if (offset >= this.windowAt && offset + size <= this.windowAt + this.window.length) {
      // Copied out, so that the block's typed views are aligned and outlive the window.
      return decodeBlock(this.window.slice(offset - this.windowAt, offset - this.windowAt + size));
    }
    const len = sequential ? Math.min(Math.max(size, READ_AHEAD), this.size - offset) : size;
    const buf = new Uint8Array(len);
    await this.handle.read(buf, 0, len, offset);
    if (len > size) {
      this.window = buf;
      this.windowAt = offset;
      return decodeBlock(buf.slice(0, size));
    }
    return decodeBlock(buf);
  }
}

/** Sorted runs of series in temporary files (removed by `dispose`). */
export class RunStore {
  private readonly runs: Run[] = [];
  private dir: string | undefined;

  /** `tempDir`: where the runs' directory is made (default: the system temporary directory). */
  constructor(private readonly tempDir?: string) {}

  /** Runs written so far. */
  get spilledRuns(): number {
    return this.runs.length;
  }

  /**
   * Writes every non-empty buffer, sorted, as one run, in blocks of at most `blockPoints`
   * points (a merge reads one block per run and series at a time), and empties the buffers.
   * Giving the series in the order they will be read back lets the merge read each run ahead.
   */
  async spill(buffers: Iterable<readonly [id: number, buffer: SeriesBuffer]>, blockPoints: number): Promise<void> {
    this.dir ??= await mkdtemp(join(this.tempDir ?? tmpdir(), 'tsfile-import-'));
    const handle = await open(join(this.dir, `run-${this.runs.length}.bin`), 'w+');
    const run = new Run(handle);
    this.runs.push(run);
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const write = async () => {
      const all = new Uint8Array(pendingBytes);
      let at = 0;
      for (const p of pending) {
        all.set(p, at);
        at += p.length;
      }
      await handle.write(all, 0, all.length, run.size - pendingBytes);
      pending = [];
      pendingBytes = 0;
    };
    for (const [id, b] of buffers) {
      if (b.length === 0) continue;
      b.sort();
      const seg: Segment = { offsets: [], sizes: [] };
      run.segments.set(id, seg);
      for (let from = 0; from < b.length; from += blockPoints) {
        const block = encodeBlock(b, from, Math.min(b.length, from + blockPoints));
        seg.offsets.push(run.size);
        seg.sizes.push(block.length);
        run.size += block.length;
        pending.push(block);
        pendingBytes += block.length;
        if (pendingBytes >= 1 << 22) await write();
      }
      b.clear();
    }
    if (pendingBytes > 0) await write();
  }

  /** The sorted blocks of series `id` in each run that holds some. */
  sources(id: number): BlockSource[] {
    const out: BlockSource[] = [];
    for (const run of this.runs) {
      const seg = run.segments.get(id);
      if (seg === undefined) continue;
      let k = 0;
      out.push({
        next: async () => {
          if (k >= seg.offsets.length) return undefined;
          const block = await run.block(seg.offsets[k]!, seg.sizes[k]!);
          k++;
          return block;
        },
      });
    }
    return out;
  }

  /** Closes and removes the temporary files (also after a failure). */
  async dispose(): Promise<void> {
    const runs = this.runs.splice(0);
    for (const r of runs) await r.handle.close().catch(() => undefined);
    if (this.dir !== undefined) {
      const dir = this.dir;
      this.dir = undefined;
      await rm(dir, { recursive: true, force: true }).catch((cause: unknown) => {
        throw new TsFileError(ErrorCode.IO, 'cannot remove the temporary sort files', { file: dir, cause });
      });
    }
  }
}

/** Orders (time, line) pairs. */
function before(at: bigint, al: number, bt: bigint, bl: number): boolean {
  return at < bt || (at === bt && al < bl);
}

/** A block being filled by a merge. */
class BlockBuilder {
  // Grown as points come (up to the block size): a merge of a few points stays small.
  private times = new BigInt64Array(16);
  private lines = new Float64Array(16);
  private ends = new Float64Array(16);
  private parts: string[] = [];
  private chars = 0;
  length = 0;
  /** Appends points [from, to) of `b`. */
  add(b: PointBlock, from: number, to: number): void {
    const need = this.length + to - from;
    if (need > this.times.length) {
      const cap = Math.max(need, this.times.length * 2);
      const t = new BigInt64Array(cap);
      t.set(this.times.subarray(0, this.length));
      this.times = t;
      const l = new Float64Array(cap);
      l.set(this.lines.subarray(0, this.length));
      this.lines = l;
      const e = new Float64Array(cap);
      e.set(this.ends.subarray(0, this.length));
      this.ends = e;
    }
    const base = from === 0 ? 0 : b.ends[from - 1]!;
    this.times.set(b.times.subarray(from, to), this.length);
    this.lines.set(b.lines.subarray(from, to), this.length);
    for (let i = from; i < to; i++) this.ends[this.length + i - from] = this.chars + b.ends[i]! - base;
    this.parts.push(b.text.slice(base, b.ends[to - 1]!));
    this.chars += b.ends[to - 1]! - base;
    this.length += to - from;
  }
  block(): PointBlock {
    const n = this.length;
    return { times: this.times.subarray(0, n), lines: this.lines.subarray(0, n), ends: this.ends.subarray(0, n), text: this.parts.join(''), length: n };
  }
}

/**
 * The merge of sorted sources as sorted blocks of at most `size` points. A source whose current
 * block ends before every other source's next point gives the rest of that block at once, so
 * runs that follow each other in time are concatenated, not compared point by point.
 */
export async function* mergeSources(sources: BlockSource[], size: number): AsyncGenerator<PointBlock> {
  if (sources.length === 1) {
    for (let b = await sources[0]!.next(); b !== undefined; b = await sources[0]!.next()) yield b;
    return;
  }
  const heads: (PointBlock | undefined)[] = [];
  const pos: number[] = [];
  for (const s of sources) {
    heads.push(await s.next());
    pos.push(0);
  }
  let out = new BlockBuilder();
  for (;;) {
    let best = -1;
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k];
      if (h === undefined) continue;
      if (best < 0) best = k;
      else {
        const b = heads[best]!;
        if (before(h.times[pos[k]!]!, h.lines[pos[k]!]!, b.times[pos[best]!]!, b.lines[pos[best]!]!)) best = k;
      }
    }
    if (best < 0) break;
    const h = heads[best]!;
    let p = pos[best]!;
    // How far the chosen block runs before any other source's next point.
    let end = h.length;
    for (let k = 0; k < heads.length; k++) {
      const o = heads[k];
      if (k === best || o === undefined) continue;
      const ot = o.times[pos[k]!]!;
      const ol = o.lines[pos[k]!]!;
      let e = p + 1;
      while (e < end && before(h.times[e]!, h.lines[e]!, ot, ol)) e++;
      end = e;
    }
    while (p < end) {
      const take = Math.min(end, p + size - out.length);
      out.add(h, p, take);
      p = take;
      if (out.length === size) {
        yield out.block();
        out = new BlockBuilder();
      }
    }
    if (p >= h.length) {
      heads[best] = await sources[best]!.next();
      pos[best] = 0;
    } else pos[best] = p;
  }
  if (out.length > 0) yield out.block();
}
