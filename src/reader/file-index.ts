/**
 * Opening a file and walking its index (tsfile-format.md §2, §13, §14): header and footer checks,
 * TsFileMetadata, the device-level tree of every table, and each device's TimeseriesMetadata.
 * Only the footer and index area are read here; data chunks are read by the chunk reader.
 */
import { type ByteSource, readRange } from '../io/byte-source.js';
import { Cursor } from '../io/cursor.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { MetadataIndexNodeType } from '../format/codes.js';
import { type DeviceId, deviceIdToString, tableNameOf } from '../format/device-id.js';
import { readTsFileMetadata, type TsFileMetadata } from '../format/file-metadata.js';
import { childRange, type MetadataIndexNode, readMetadataIndexNode } from '../format/metadata-index.js';
import { readTimeseriesMetadata, type TimeseriesMetadata } from '../format/timeseries-metadata.js';
import type { ResolvedReaderOptions } from './options.js';

const MAGIC = [0x54, 0x73, 0x46, 0x69, 0x6c, 0x65]; // "TsFile"
const MAX_TREE_DEPTH = 64;

export interface DeviceEntry {
  id: DeviceId;
  /** Device path as printed: segments joined with "." (v4), or the stored path (v3). */
  path: string;
  /** Table name (v4: segment 0; v3: ""). */
  table: string;
  /** Byte range of the device's measurement-level root node. */
  range: [number, number];
}

export class FileIndex {
  private indexBytes: Uint8Array | undefined;
  private deviceList: DeviceEntry[] | undefined;

  private constructor(
    readonly source: ByteSource,
    readonly version: 3 | 4,
    readonly metadata: TsFileMetadata,
    readonly metadataStart: number,
  ) {}

  get name(): string | undefined {
    return this.source.name;
  }

  static async open(source: ByteSource, options: ResolvedReaderOptions): Promise<FileIndex> {
    const file = source.name;
    const len = source.byteLength;
    if (len < 7) throw new TsFileError(ErrorCode.NOT_A_TSFILE, 'file is too short to be a TsFile', { file, offset: 0, expected: 'at least 7 bytes', actual: `${len} bytes` });
    const head = await readRange(source, 0, 7);
    if (!MAGIC.every((b, i) => head[i] === b)) {
      throw new TsFileError(ErrorCode.NOT_A_TSFILE, 'missing TsFile magic', { file, offset: 0, expected: '"TsFile"', actual: hexBytes(head.subarray(0, 6)) });
    }
    const version = head[6]!;
    if (version !== 3 && version !== 4) {
      throw new TsFileError(ErrorCode.UNSUPPORTED_VERSION, 'unsupported TsFile format version', { file, offset: 6, expected: '3 or 4', actual: String(version) });
    }
    const tailLen = Math.min(len - 7, 10);
    const tail = await readRange(source, len - tailLen, tailLen);
    if (tailLen < 10 || !MAGIC.every((b, i) => tail[4 + i] === b)) {
      throw new TsFileError(ErrorCode.INCOMPLETE, 'file has no footer (its writer did not finish); `tsfile recover` can repair it', {
        file,
        offset: len - 6,
        expected: 'tail magic "TsFile"',
        actual: hexBytes(tail.subarray(Math.max(0, tailLen - 6))),
      });
    }
    const size = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0);
    const metadataStart = len - 10 - size;
    if (size < 0 || metadataStart < 8) {
      throw new TsFileError(ErrorCode.CORRUPT, 'footer metadata size does not fit the file', { file, offset: len - 10, expected: `0..${len - 18}`, actual: String(size) });
    }
    const metaBytes = await readRange(source, metadataStart, size);
    const metadata = readTsFileMetadata(new Cursor(metaBytes, 0, size, metadataStart, file), version);
    if (metadata.metaOffset < 7 || metadata.metaOffset >= metadataStart) {
      throw new TsFileError(ErrorCode.CORRUPT, 'meta offset points outside the file body', { file, offset: metadataStart, expected: `7..${metadataStart - 1}`, actual: String(metadata.metaOffset) });
    }
    // Encrypted page bodies (§12) would decode to garbage: refuse them plainly.
    const encryptLevel = metadata.properties.get('encryptLevel');
    if (encryptLevel !== undefined && encryptLevel !== null && encryptLevel !== '0') {
      throw new TsFileError(ErrorCode.UNSUPPORTED, 'encrypted TsFiles are not supported', {
        file,
        offset: metadataStart,
        expected: 'encryptLevel 0',
        actual: `encryptLevel ${encryptLevel} (${metadata.properties.get('encryptType') ?? 'unknown cipher'})`,
      });
    }
    const index = new FileIndex(source, version, metadata, metadataStart);
    const indexSize = metadataStart - metadata.metaOffset;
    if (indexSize <= options.maxIndexBytes) index.indexBytes = await readRange(source, metadata.metaOffset, indexSize);
    return index;
  }

  /** Whether the whole index area was read at open (so walking all of it costs no reads). */
  get indexInMemory(): boolean {
    return this.indexBytes !== undefined;
  }

  /** End of the data section (the separator's offset): chunks must lie before it. */
  get dataEnd(): number {
    return this.metadata.metaOffset;
  }

  /** A cursor over an index-area range [start, end). */
  private async region(start: number, end: number, what: string): Promise<Cursor> {
    const lo = this.metadata.metaOffset;
    if (start < lo || end > this.metadataStart || start >= end) {
      throw new TsFileError(ErrorCode.CORRUPT, `${what} range lies outside the index area`, {
        file: this.name,
        offset: start,
        expected: `within [${lo}, ${this.metadataStart})`,
        actual: `[${start}, ${end})`,
      });
    }
    if (this.indexBytes !== undefined) return new Cursor(this.indexBytes, start - lo, end - lo, lo, this.name);
    return new Cursor(await readRange(this.source, start, end - start), 0, end - start, start, this.name);
  }

  /** Every device of the file, in index order (tables by name, devices in the version's order). */
  async devices(): Promise<DeviceEntry[]> {
    if (this.deviceList !== undefined) return this.deviceList;
    const out: DeviceEntry[] = [];
    for (const root of this.metadata.tableRoots.values()) await this.collectDevices(root, out, 0);
    this.deviceList = out;
    return out;
  }

  private async collectDevices(node: MetadataIndexNode, out: DeviceEntry[], depth: number): Promise<void> {
    if (depth > MAX_TREE_DEPTH) throw new TsFileError(ErrorCode.CORRUPT, 'device index tree is too deep (a cycle?)', { file: this.name });
    if (node.nodeType === MetadataIndexNodeType.LEAF_DEVICE) {
      for (let i = 0; i < node.children.length; i++) {
        const id = node.children[i]!.device;
        out.push({ id, path: deviceIdToString(id), table: tableNameOf(id, this.version), range: childRange(node, i) });
      }
      return;
    }
    if (node.nodeType !== MetadataIndexNodeType.INTERNAL_DEVICE) {
      throw new TsFileError(ErrorCode.CORRUPT, 'expected a device-level index node', { file: this.name, actual: `type ${node.nodeType}` });
    }
    for (let i = 0; i < node.children.length; i++) {
      const [s, e] = childRange(node, i);
      const child = readMetadataIndexNode(await this.region(s, e, 'device index node'), this.version, true);
      await this.collectDevices(child, out, depth + 1);
    }
  }

  /** All TimeseriesMetadata of a device, in measurement order (the aligned time column first). */
  async deviceSeries(device: DeviceEntry): Promise<TimeseriesMetadata[]> {
    const out: TimeseriesMetadata[] = [];
    const [s, e] = device.range;
    const root = readMetadataIndexNode(await this.region(s, e, 'measurement index node'), this.version, false);
    await this.collectSeries(root, out, 0);
    return out;
  }

  private async collectSeries(node: MetadataIndexNode, out: TimeseriesMetadata[], depth: number): Promise<void> {
    if (depth > MAX_TREE_DEPTH) throw new TsFileError(ErrorCode.CORRUPT, 'measurement index tree is too deep (a cycle?)', { file: this.name });
    for (let i = 0; i < node.children.length; i++) {
      const [s, e] = childRange(node, i);
      const c = await this.region(s, e, 'timeseries metadata');
      if (node.nodeType === MetadataIndexNodeType.LEAF_MEASUREMENT) {
        while (c.remaining > 0) out.push(readTimeseriesMetadata(c));
      } else {
        await this.collectSeries(readMetadataIndexNode(c, this.version, false), out, depth + 1);
      }
    }
  }
}

function hexBytes(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
