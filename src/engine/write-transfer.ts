/**
 * Moving the writer's page-encode tasks (tsfile-format.md §6, §7) to a worker and the encoded
 * pages back without copying: the task's arrays are the writer's own copies of the rows, so their
 * buffers are transferred; any view into a larger buffer is copied first (see `transfer.ts`).
 */
import type { ColumnValues } from '../encoding/types.js';
import { isBinaryValues } from '../encoding/types.js';
import type { EncodeResult, EncodeTask } from '../writer/page-task.js';
import { ownedView } from './transfer.js';

function ownedValues(v: ColumnValues, buffers: Set<ArrayBuffer>): ColumnValues {
  if (isBinaryValues(v)) {
    const offsets = ownedView(v.offsets);
    const data = ownedView(v.data);
    buffers.add(offsets.buffer as ArrayBuffer);
    buffers.add(data.buffer as ArrayBuffer);
    return { offsets, data };
  }
  const o = ownedView(v);
  buffers.add(o.buffer as ArrayBuffer);
  return o;
}

/** A copy of an encode task whose arrays can be transferred, and the buffers to transfer. */
export function prepareEncodeTask(task: EncodeTask): { task: EncodeTask; transfer: ArrayBuffer[] } {
  const buffers = new Set<ArrayBuffer>();
  const own = <T extends BigInt64Array | Int32Array | Uint8Array>(v: T): T => {
    const o = ownedView(v);
    buffers.add(o.buffer as ArrayBuffer);
    return o;
  };
  let t: EncodeTask;
  if (task.kind === 'encodeSeriesPages') {
    const series = task.series.map((s) => ({ ...s, times: own(s.times), pageEnds: own(s.pageEnds), values: ownedValues(s.values, buffers) }));
    t = { ...task, series };
  } else {
    const times = own(task.times);
    const pageEnds = own(task.pageEnds);
    const columns = task.columns.map((c) => {
      const present = c.present === undefined ? undefined : own(c.present);
      return { ...c, values: ownedValues(c.values, buffers), present };
    });
    t = { ...task, times, pageEnds, columns };
  }
  return { task: t, transfer: [...buffers] };
}

/** An encode result whose page bytes can be transferred back, and the buffer to transfer. */
export function prepareEncodeResult(r: EncodeResult): { result: EncodeResult; transfer: ArrayBuffer[] } {
  const bytes = ownedView(r.bytes);
  return { result: { ...r, bytes }, transfer: [bytes.buffer as ArrayBuffer] };
}
