/**
 * The index area (tsfile-format.md §13): TimeseriesMetadata with their ChunkMetadata lists (§13.1,
 * §13.2), the metadata index tree built exactly as §13.4 (maxDegree, node order, tight end
 * offsets), TsFileMetadata of format v4 (tables, table schemas, encryption properties with the
 * svarint count quirk) or v3 (§13.5), the bloom filter (§13.6) and the footer (§2).
 */
import { BloomFilter } from '../format/bloom-filter.js';
import { DataType, MetadataIndexNodeType } from '../format/codes.js';
import { compareDeviceIds, compareStrings, deviceIdToString, type DeviceId } from '../format/device-id.js';
import type { Statistics } from '../format/statistics.js';
import { ByteBuffer } from './byte-buffer.js';
import { emptyStatistics, mergeStatistics, writeStatistics } from './statistics-writer.js';
import { writeTableSchema, type TableSchema } from './table-schema.js';

export interface ChunkIndexEntry {
  /** Absolute offset of the chunk's marker byte. */
  offset: number;
  statistics: Statistics;
}

export interface SeriesIndexEntry {
  measurement: string;
  dataType: DataType;
  /** 0 for non-aligned series, 0x80 for the aligned time column, 0x40 for aligned value columns. */
  mask: number;
  /** In file order. */
  chunks: ChunkIndexEntry[];
}

export interface DeviceIndexEntry {
  deviceId: DeviceId;
  series: SeriesIndexEntry[];
}

export interface IndexOptions {
  version: 3 | 4;
  maxDegree: number;
  tableSchemas: readonly TableSchema[];
  bloomFilterErrorRate: number;
  /**
   * The C++ writer's bloom filter (§13.6, §19): sized by the number of measurement-name changes in
   * index order and without the aligned time column's entry.
   */
  cppBloomFilter?: boolean;
}

const MAGIC = new Uint8Array([0x54, 0x73, 0x46, 0x69, 0x6c, 0x65]);

interface IndexNode {
  type: MetadataIndexNodeType;
  keys: (string | DeviceId)[];
  offsets: number[];
  endOffset: number;
}

function newNode(type: MetadataIndexNodeType): IndexNode {
  return { type, keys: [], offsets: [], endOffset: 0 };
}

/** Serializes a v4 `StringArrayDeviceID` (§3.2): trailing null segments are dropped. */
export function writeDeviceId(out: ByteBuffer, id: DeviceId, version: 3 | 4): void {
  if (version === 3) {
    out.vstr(id[0] ?? '');
    return;
  }
  let n = id.length;
  while (n > 0 && id[n - 1] === null) n--;
  out.uvarint(n);
  for (let i = 0; i < n; i++) out.vstr(id[i]!);
}

/** Builds the bytes from the separator to the end of the file; `metaOffset` is the separator's offset. */
export function buildIndexArea(metaOffset: number, devices: readonly DeviceIndexEntry[], options: IndexOptions): Uint8Array {
  const { version, maxDegree } = options;
  const out = new ByteBuffer(4096);
  const pos = () => metaOffset + out.length;
  const writeNode = (node: IndexNode) => {
    out.uvarint(node.keys.length);
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i]!;
      if (typeof key === 'string') out.vstr(key);
      else writeDeviceId(out, key, version);
      out.i64n(node.offsets[i]!);
    }
    out.i64n(node.endOffset);
    out.u8(node.type);
  };
  const buildUpperLevels = (queue: IndexNode[], type: MetadataIndexNodeType): IndexNode => {
    while (queue.length > 1) {
      const next: IndexNode[] = [];
      let cur = newNode(type);
      for (const node of queue) {
        if (cur.keys.length === maxDegree) {
          cur.endOffset = pos();
          next.push(cur);
          cur = newNode(type);
        }
        cur.keys.push(node.keys[0]!);
        cur.offsets.push(pos());
        writeNode(node);
      }
      cur.endOffset = pos();
      next.push(cur);
      queue = next;
    }
    return queue[0]!;
  };

  const compareDevices =
    version === 3 ? (a: DeviceId, b: DeviceId) => compareStrings(a[0] ?? '', b[0] ?? '') : compareDeviceIds;
  const sorted = [...devices].sort((a, b) => compareDevices(a.deviceId, b.deviceId));

  out.u8(0x02);
  let chunkCount = 0;
  let nameChanges = 0;
  let previousName: string | undefined;
  const bloomPaths: string[] = [];
  const measurementRoots: IndexNode[] = [];
  for (const device of sorted) {
    const deviceString = version === 3 ? (device.deviceId[0] ?? '') : deviceIdToString(device.deviceId);
    const series = [...device.series].sort((a, b) => compareStrings(a.measurement, b.measurement));
    const queue: IndexNode[] = [];
    let leaf = newNode(MetadataIndexNodeType.LEAF_MEASUREMENT);
    series.forEach((s, i) => {
      if (i % maxDegree === 0) {
        if (leaf.keys.length === maxDegree) {
          leaf.endOffset = pos();
          queue.push(leaf);
          leaf = newNode(MetadataIndexNodeType.LEAF_MEASUREMENT);
        }
        leaf.keys.push(s.dataType === DataType.VECTOR ? '' : s.measurement);
        leaf.offsets.push(pos());
      }
      writeTimeseriesMetadata(out, s);
      chunkCount += s.chunks.length;
      if (s.measurement !== previousName) nameChanges++;
      previousName = s.measurement;
      if (!(options.cppBloomFilter && s.dataType === DataType.VECTOR)) bloomPaths.push(`${deviceString}.${s.measurement}`);
    });
    leaf.endOffset = pos();
    queue.push(leaf);
    measurementRoots.push(buildUpperLevels(queue, MetadataIndexNodeType.INTERNAL_MEASUREMENT));
  }

  // Device level: one group per table (v4), a single group (v3).
  const byTable = new Map<string, number[]>();
  for (let i = 0; i < sorted.length; i++) {
    const name = version === 3 ? '' : (sorted[i]!.deviceId[0] ?? '');
    let members = byTable.get(name);
    if (members === undefined) byTable.set(name, (members = []));
    members.push(i);
  }
  const groups = [...byTable].map(([name, members]) => ({ name, members }));
  groups.sort((a, b) => compareStrings(a.name, b.name));
  const tableRoots: { name: string; root: IndexNode }[] = [];
  for (const g of groups) {
    const queue: IndexNode[] = [];
    let cur = newNode(MetadataIndexNodeType.LEAF_DEVICE);
    for (const i of g.members) {
      if (cur.keys.length === maxDegree) {
        cur.endOffset = pos();
        queue.push(cur);
        cur = newNode(MetadataIndexNodeType.LEAF_DEVICE);
      }
      cur.keys.push(sorted[i]!.deviceId);
      cur.offsets.push(pos());
      writeNode(measurementRoots[i]!);
    }
    cur.endOffset = pos();
    queue.push(cur);
    const top = queue.length === 1 ? queue[0]! : buildUpperLevels(queue, MetadataIndexNodeType.INTERNAL_DEVICE);
    top.endOffset = pos();
    tableRoots.push({ name: g.name, root: top });
  }

  const bloom = BloomFilter.forExpectedEntries(options.cppBloomFilter ? nameChanges : chunkCount, options.bloomFilterErrorRate);
  for (const p of bloomPaths) bloom.add(p);

  const metadataStart = out.length;
  if (version === 4) {
    out.uvarint(tableRoots.length);
    for (const t of tableRoots) {
      out.vstr(t.name);
      writeNode(t.root);
    }
    out.uvarint(options.tableSchemas.length);
    for (const schema of options.tableSchemas) {
      out.vstr(schema.tableName);
      writeTableSchema(out, schema);
    }
  } else {
    // v3 has a single root; an empty file still gets an (empty) LEAF_DEVICE node.
    writeNode(tableRoots[0]?.root ?? { type: MetadataIndexNodeType.LEAF_DEVICE, keys: [], offsets: [], endOffset: pos() });
  }
  out.i64n(metaOffset);
  const bits = bloom.serializedBits();
  out.uvarint(bits.length);
  if (bits.length > 0) out.bytes(bits).uvarint(bloom.sizeInBits).uvarint(bloom.hashFunctionCount);
  if (version === 4) {
    // Java writes the property count as a zig-zag varint (§13.5 quirk), in its HashMap order.
    const properties: [string, string][] = [
      ['encryptLevel', '0'],
      ['encryptKey', ''],
      ['encryptType', 'UNENCRYPTED'],
    ];
    out.svarint(properties.length);
    for (const [k, v] of properties) out.vstr(k).vstr(v);
  }
  out.i32(out.length - metadataStart);
  out.bytes(MAGIC);
  return out.toBytes();
}

/** One TimeseriesMetadata record (§13.2) with its ChunkMetadata list (§13.1). */
function writeTimeseriesMetadata(out: ByteBuffer, s: SeriesIndexEntry): void {
  const many = s.chunks.length > 1;
  let stats = emptyStatistics(s.dataType);
  for (const c of s.chunks) stats = mergeStatistics(stats, c.statistics);
  const list = new ByteBuffer(many ? 64 * s.chunks.length : 8);
  for (const c of s.chunks) {
    list.i64n(c.offset);
    if (many) writeStatistics(list, c.statistics);
  }
  out.u8((many ? 1 : 0) | s.mask);
  out.vstr(s.dataType === DataType.VECTOR ? '' : s.measurement);
  out.u8(s.dataType);
  out.uvarint(list.length);
  writeStatistics(out, stats);
  out.bytes(list.view8());
}
