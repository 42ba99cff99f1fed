/**
 * Table-model rows → devices (tsfile-format.md §3.2): the device of a row is
 * `[table, tag values...]` with trailing null tags dropped (Java drops trailing null segments, so
 * `["t","a",null]` and `["t","a"]` are one device). Rows are grouped per device in order of first
 * appearance and gathered into per-device batches.
 */
import type { BinaryValues, ColumnValues } from '../encoding/types.js';
import type { DeviceId } from '../format/device-id.js';
import type { ColumnSource, RowColumn, SourceBatch } from './input.js';

export interface RowGroup {
  key: string;
  deviceId: DeviceId;
  rows: Int32Array;
}

const textDecoder = new TextDecoder();

/** A map key for a device id (segments are strings or null). */
export function groupKeyOf(id: DeviceId): string {
  return JSON.stringify(id);
}

function trimTrailingNulls(id: (string | null)[]): (string | null)[] {
  let n = id.length;
  while (n > 1 && id[n - 1] === null) n--;
  return id.slice(0, n);
}

/** True when row r has the same tag values (bytes and nulls) as row r - 1. */
function sameTagsAsPrevious(tags: readonly RowColumn[], r: number): boolean {
  for (const t of tags) {
    const a = t.valid === undefined || t.valid[r - 1] !== 0;
    const b = t.valid === undefined || t.valid[r] !== 0;
    if (a !== b) return false;
    if (!a) continue;
    const v = t.values as BinaryValues;
    const o = v.offsets;
    const len = o[r + 1]! - o[r]!;
    if (len !== o[r]! - o[r - 1]!) return false;
    for (let i = 0; i < len; i++) if (v.data[o[r - 1]! + i] !== v.data[o[r]! + i]) return false;
  }
  return true;
}

export function groupRowsByTags(table: string, tags: readonly RowColumn[], rows: number): RowGroup[] {
  const groups = new Map<string, { deviceId: DeviceId; rows: number[] }>();
  let current: { deviceId: DeviceId; rows: number[] } | undefined;
  for (let r = 0; r < rows; r++) {
    // Rows usually arrive grouped by device: tags are only decoded when they change.
    if (current !== undefined && sameTagsAsPrevious(tags, r)) {
      current.rows.push(r);
      continue;
    }
    const segs: (string | null)[] = [table];
    for (const t of tags) {
      if (t.valid !== undefined && t.valid[r] === 0) segs.push(null);
      else {
        const b = t.values as BinaryValues;
        segs.push(textDecoder.decode(b.data.subarray(b.offsets[r]!, b.offsets[r + 1]!)));
      }
    }
    const id = trimTrailingNulls(segs);
    const key = groupKeyOf(id);
    current = groups.get(key);
    if (current === undefined) groups.set(key, (current = { deviceId: id, rows: [] }));
    current.rows.push(r);
  }
  return [...groups].map(([key, g]) => ({ key, deviceId: g.deviceId, rows: Int32Array.from(g.rows) }));
}

/** Values of the given rows, in the same shape. */
export function gatherValues(v: ColumnValues, rows: Int32Array): ColumnValues {
  if ('offsets' in v) {
    let total = 0;
    for (const r of rows) total += v.offsets[r + 1]! - v.offsets[r]!;
    const offsets = new Int32Array(rows.length + 1);
    const data = new Uint8Array(total);
    let at = 0;
    rows.forEach((r, i) => {
      data.set(v.data.subarray(v.offsets[r]!, v.offsets[r + 1]!), at);
      at += v.offsets[r + 1]! - v.offsets[r]!;
      offsets[i + 1] = at;
    });
    return { offsets, data };
  }
  const out = new (v.constructor as new (n: number) => typeof v)(rows.length);
  if (v instanceof BigInt64Array) {
    // Two 32-bit words per value: no BigInt per row.
    const s = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    const d = new Int32Array((out as BigInt64Array).buffer, 0, rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      d[2 * i] = s[2 * rows[i]!]!;
      d[2 * i + 1] = s[2 * rows[i]! + 1]!;
    }
    return out;
  }
  const src = v as Exclude<ColumnValues, BinaryValues | BigInt64Array>;
  const dst = out as Exclude<ColumnValues, BinaryValues | BigInt64Array>;
  for (let i = 0; i < rows.length; i++) dst[i] = src[rows[i]!]!;
  return out;
}

/** The sub-batch of `rows` holding only the named columns (already converted to their types). */
export function takeRows(batch: SourceBatch, converted: Map<string, RowColumn>, rows: Int32Array): SourceBatch {
  const all = rows.length === batch.rows;
  const time = all ? batch.time : (gatherValues(batch.time, rows) as BigInt64Array);
  const columns = new Map<string, ColumnSource>();
  for (const [name, col] of converted) {
    const values = all ? col.values : gatherValues(col.values, rows);
    const valid = col.valid === undefined ? undefined : all ? col.valid : (gatherValues(col.valid, rows) as Uint8Array);
    columns.set(name, { kind: 'plain', input: valid === undefined ? values : { values, valid } });
  }
  return { rows: rows.length, time, columns };
}
