/**
 * Device identifiers (tsfile-format.md §3): v3 stores a plain path string, v4 a segment array
 * (`StringArrayDeviceID`). We keep both as `DeviceId` = readonly (string | null)[] plus the version's
 * ordering; v3 ids are one-segment arrays compared as whole strings.
 */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';

/** v4: segments (a null segment is a null tag value); v3: a single segment holding the whole path. */
export type DeviceId = readonly (string | null)[];

/** Reads a device id in the given format version's serialization. */
export function readDeviceId(c: Cursor, version: number): DeviceId {
  if (version === 3) return [c.vstrNonNull('device path')];
  const at = c.offset;
  const n = c.uvarint('device id segment count');
  // Each segment takes at least one byte: a count beyond the bytes left is corrupt (checked before allocating).
  if (n > c.remaining) throw c.error(ErrorCode.CORRUPT, 'device id segment count exceeds its region', `<= ${c.remaining}`, String(n), at);
  if (n === 0) return [''];
  const segs: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) segs[i] = c.vstr('device id segment');
  return segs;
}

/** The string form: segments joined with "." (null prints as "null"), §3.2. */
export function deviceIdToString(id: DeviceId): string {
  return id.map((s) => (s === null ? 'null' : s)).join('.');
}

/** Table name of a v4 device (segment 0); v3 devices belong to the single table "". */
export function tableNameOf(id: DeviceId, version: number): string {
  return version === 3 ? '' : (id[0] ?? '');
}

/** Java String.compareTo order: UTF-16 code units, which is JavaScript's `<` on strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Device order of the index (§3.2): segment-wise, null first, shorter prefix first. */
export function compareDeviceIds(a: DeviceId, b: DeviceId): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Splits a tree-model path into v4 segments (§3.2): 1 node → [n0]; 2–3 nodes → [prefix, last];
 * ≥ 4 nodes → [first three joined, n3, n4, ...]. Back-quoted nodes (`a.b`) keep their dots.
 */
export function treePathToDeviceId(path: string): DeviceId {
  const nodes = splitPathNodes(path);
  if (nodes.length <= 1) return [path];
  if (nodes.length <= 3) return [nodes.slice(0, -1).join('.'), nodes[nodes.length - 1]!];
  return [nodes.slice(0, 3).join('.'), ...nodes.slice(3)];
}

/** Splits a dotted path into nodes, keeping back-quoted nodes (with their quotes) whole. */
export function splitPathNodes(path: string): string[] {
  const nodes: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch === '`') {
      // A doubled back-quote inside a quoted node is an escaped quote.
      if (quoted && path[i + 1] === '`') {
        cur += '``';
        i++;
        continue;
      }
      quoted = !quoted;
      cur += ch;
    } else if (ch === '.' && !quoted) {
      nodes.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  nodes.push(cur);
  return nodes;
}
