/** MetadataIndexNode and its entries (§13.3): the tree that locates devices and their series. */
import type { Cursor } from '../io/cursor.js';
import { ErrorCode } from '../io/errors.js';
import { MetadataIndexNodeType } from './codes.js';
import { readDeviceId, type DeviceId } from './device-id.js';

export interface DeviceIndexEntry {
  device: DeviceId;
  offset: number;
}
export interface MeasurementIndexEntry {
  measurement: string;
  offset: number;
}

export type MetadataIndexNode =
  | {
      nodeType: typeof MetadataIndexNodeType.INTERNAL_DEVICE | typeof MetadataIndexNodeType.LEAF_DEVICE;
      children: DeviceIndexEntry[];
      endOffset: number;
    }
  | {
      nodeType: typeof MetadataIndexNodeType.INTERNAL_MEASUREMENT | typeof MetadataIndexNodeType.LEAF_MEASUREMENT;
      children: MeasurementIndexEntry[];
      endOffset: number;
    };

/**
 * Reads a node. The node type comes last on disk, so the entries are read as raw ranges first and
 * decoded once the type is known. `expectDeviceLevel` tells which entry kind to expect (the parent knows).
 */
export function readMetadataIndexNode(c: Cursor, version: number, expectDeviceLevel: boolean): MetadataIndexNode {
  const at = c.offset;
  const count = c.uvarint('index node child count');
  // The smallest entry is 9 bytes (empty key + i64): bound the count by the bytes left before allocating.
  if (count * 9 > c.remaining) {
    throw c.error(ErrorCode.CORRUPT, 'index node child count exceeds its region', `<= ${Math.floor(c.remaining / 9)}`, String(count), at);
  }
  if (expectDeviceLevel) {
    const children: DeviceIndexEntry[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const device = readDeviceId(c, version);
      children[i] = { device, offset: c.offset64('index entry offset') };
    }
    const endOffset = c.offset64('index node end offset');
    const nodeType = readNodeType(c);
    if (nodeType !== MetadataIndexNodeType.INTERNAL_DEVICE && nodeType !== MetadataIndexNodeType.LEAF_DEVICE) {
      throw c.error(ErrorCode.CORRUPT, 'expected a device-level index node', 'INTERNAL_DEVICE or LEAF_DEVICE', `type ${nodeType}`, at);
    }
    checkOffsets(c, children, endOffset, at);
    return { nodeType, children, endOffset };
  }
  const children: MeasurementIndexEntry[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const measurement = c.vstrNonNull('index entry measurement');
    children[i] = { measurement, offset: c.offset64('index entry offset') };
  }
  const endOffset = c.offset64('index node end offset');
  const nodeType = readNodeType(c);
  if (nodeType !== MetadataIndexNodeType.INTERNAL_MEASUREMENT && nodeType !== MetadataIndexNodeType.LEAF_MEASUREMENT) {
    throw c.error(ErrorCode.CORRUPT, 'expected a measurement-level index node', 'INTERNAL_MEASUREMENT or LEAF_MEASUREMENT', `type ${nodeType}`, at);
  }
  checkOffsets(c, children, endOffset, at);
  return { nodeType, children, endOffset };
}

function readNodeType(c: Cursor): number {
  const t = c.u8('index node type');
  if (t > 3) throw c.error(ErrorCode.UNKNOWN_CODE, 'unknown index node type', '0-3', String(t), c.offset - 1);
  return t;
}

/** Child ranges must be ordered and non-empty: [offset_i, offset_{i+1}) and the last ends at endOffset. */
function checkOffsets(c: Cursor, children: { offset: number }[], endOffset: number, at: number): void {
  let prev = -1;
  for (const ch of children) {
    if (ch.offset <= prev) throw c.error(ErrorCode.CORRUPT, 'index entry offsets are not increasing', `> ${prev}`, String(ch.offset), at);
    prev = ch.offset;
  }
  if (children.length > 0 && endOffset <= prev) {
    throw c.error(ErrorCode.CORRUPT, 'index node end offset precedes its last child', `> ${prev}`, String(endOffset), at);
  }
}

/** The byte range of child i: [offset_i, offset_{i+1} or endOffset). */
export function childRange(node: MetadataIndexNode, i: number): [number, number] {
  const start = node.children[i]!.offset;
  const end = i + 1 < node.children.length ? node.children[i + 1]!.offset : node.endOffset;
  return [start, end];
}
