/**
 * Writing chunk groups (tsfile-format.md §4, §16.2): at a flush every device with buffered points
 * gives one chunk group — marker 0x00, the device id, then its chunks — in device order like the
 * Java writer (a map sorted by device id; v3 by path string). A group is built completely (its
 * pages encoded, wherever the runner encodes them, and its chunks assembled in page order) before
 * its first byte goes out, so a failed task writes nothing of it.
 */
import { compareDeviceIds, compareStrings } from '../format/device-id.js';
import { ByteBuffer } from './byte-buffer.js';
import type { BuiltChunk } from './chunk-writer.js';
import type { AlignedDevice } from './aligned-writer.js';
import type { PageSettings } from './device-writer.js';
import type { TreeDevice } from './series-writer.js';
import type { TaskQueue } from './encode-runner.js';
import { writeDeviceId } from './index-writer.js';

/** Where the groups go. */
export interface ChunkGroupTarget {
  /** Offset in the file of the next byte emitted. */
  position(): number;
  emit(bytes: Uint8Array): Promise<unknown>;
  /** Called when a group cannot be built (the file can then only be recovered). */
  fail(): void;
}

/** Flushes every device with data as a chunk group and records each chunk's offset and statistics. */
export async function writeChunkGroups(
  devices: (TreeDevice | AlignedDevice)[],
  version: 3 | 4,
  settings: PageSettings,
  queue: TaskQueue,
  target: ChunkGroupTarget,
): Promise<void> {
  const pending = devices.filter((d) => d.hasData);
  pending.sort((a, b) => (version === 3 ? compareStrings(a.path, b.path) : compareDeviceIds(a.deviceId, b.deviceId)));
  for (const d of pending) await d.seal(settings, queue, true);
  const out = new ByteBuffer(1 << 16);
  for (const d of pending) {
    const group = d.takeGroup(settings);
    if (group === undefined) continue;
    out.reset();
    let chunks: BuiltChunk[];
    try {
      chunks = await group.build(out);
    } catch (e) {
      target.fail();
      throw e;
    }
    const header = new ByteBuffer(64).u8(0x00);
    writeDeviceId(header, d.deviceId, version);
    await target.emit(header.toBytes());
    const base = target.position();
    let start = 0;
    chunks.forEach((c, j) => {
      group.into[j]!.push({ offset: base + start, statistics: c.statistics });
      start = c.end;
    });
    await target.emit(out.view8());
  }
}
