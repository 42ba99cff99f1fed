/**
 * Moving decode tasks and results between threads without copying: every typed array that owns its
 * whole ArrayBuffer is transferred; views into larger buffers (a file held in memory, a pooled Node
 * buffer, a decompressed page) are copied first, because transferring their buffer would detach
 * memory that other data still uses.
 */
import type { ChunkTask, TaskChunk, TaskResult } from '../reader/chunk-task.js';
import type { ColumnValues } from '../encoding/types.js';
import { isBinaryValues } from '../encoding/types.js';

type View = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/** Returns a view that owns its buffer (the same one when it already does). */
export function ownedView<T extends View>(v: T): T {
  if (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer) return v;
  return v.slice() as T;
}


function buffersOf(v: ColumnValues, out: Set<ArrayBuffer>): void {
  if (isBinaryValues(v)) {
    out.add(v.offsets.buffer as ArrayBuffer);
    out.add(v.data.buffer as ArrayBuffer);
  } else {
    out.add(v.buffer as ArrayBuffer);
  }
}

function ownedChunk(c: TaskChunk): TaskChunk {
  return { ...c, data: ownedView(c.data) };
}

/** A copy of the task whose chunk bytes can be transferred, and the buffers to transfer. */
export function prepareTask(task: ChunkTask): { task: ChunkTask; transfer: ArrayBuffer[] } {
  const t: ChunkTask =
    task.kind === 'series'
      ? { ...task, chunks: task.chunks.map(ownedChunk) }
      : { ...task, time: ownedChunk(task.time), values: task.values.map((v) => (v === null ? null : ownedChunk(v))) };
  const chunks = t.kind === 'series' ? t.chunks : [t.time, ...t.values.filter((v): v is TaskChunk => v !== null)];
  return { task: t, transfer: [...new Set(chunks.map((c) => c.data.buffer as ArrayBuffer))] };
}

/**
 * A copy of the result whose arrays can be transferred (shared time arrays stay shared), and the
 * buffers. Views into buffers the task allocated itself (its chunk arenas) move with their buffer.
 */
export function prepareResult(r: TaskResult): { result: TaskResult; transfer: ArrayBuffer[] } {
  const own = new Set(r.ownBuffers ?? []);
  const owned = <T extends View>(v: T): T => (own.has(v.buffer as ArrayBuffer) ? v : ownedView(v));
  const ownedValues = (v: ColumnValues): ColumnValues => (isBinaryValues(v) ? { offsets: owned(v.offsets), data: owned(v.data) } : owned(v));
  const seen = new Map<BigInt64Array, BigInt64Array>();
  const times = (t: BigInt64Array) => {
    let o = seen.get(t);
    if (o === undefined) seen.set(t, (o = owned(t)));
    return o;
  };
  const buffers = new Set<ArrayBuffer>();
  let result: TaskResult;
  if (r.kind === 'series') {
    result = { ...r, ownBuffers: undefined, pages: r.pages.map((p) => ({ series: p.series, times: times(p.times), values: ownedValues(p.values) })) };
    for (const p of result.pages) {
      buffers.add(p.times.buffer as ArrayBuffer);
      buffersOf(p.values, buffers);
    }
  } else {
    result = {
      ...r,
      ownBuffers: undefined,
      pages: r.pages.map((p) => ({
        times: times(p.times),
        lo: p.lo,
        hi: p.hi,
        columns: p.columns.map((c) => (c === null ? null : { values: ownedValues(c.values), validity: ownedView(c.validity), nullCount: c.nullCount })),
      })),
    };
    for (const p of result.pages) {
      buffers.add(p.times.buffer as ArrayBuffer);
      for (const c of p.columns) {
        if (c === null) continue;
        buffersOf(c.values, buffers);
        buffers.add(c.validity.buffer as ArrayBuffer);
      }
    }
  }
  return { result, transfer: [...buffers] };
}
