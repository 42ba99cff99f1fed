/**
 * Writing chunk groups (tsfile-format.md §4, §16.2): at a flush every device with buffered points
 * gives one chunk group — marker 0x00, the device id, then its chunks — in device order like the
 * Java writer (a map sorted by device id; v3 by path string). Every page of a group is encoded
 * (wherever the runner encodes them) before its first byte goes out, so a failed task writes
 * nothing of it; its chunks are then assembled and passed on a few MiB at a time.
 */
import { compareDeviceIds, compareStrings } from '../format/device-id.js';
import { ByteBuffer } from './byte-buffer.js';
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
    try {
      await group.settle();
    } catch (e) {
      target.fail();
      throw e;
    }
    const header = new ByteBuffer(64).u8(0x00);
    writeDeviceId(header, d.deviceId, version);
    await target.emit(header.toBytes());
    // Chunks go out whenever DRAIN_BYTES have gathered, so the group is never copied whole.
    out.reset();
    let base = target.position();
    for (let j = 0; j < group.chunks.length; j++) {
      const start = out.length;
      const chunk = group.chunks[j]!(out);
      group.into[j]!.push({ offset: base + start, statistics: chunk.statistics });
      if (out.length >= DRAIN_BYTES || j === group.chunks.length - 1) {
        await target.emit(out.view8());
        base += out.length;
        out.reset();
      }
    }
  }
}

/** Assembled chunks are passed on once this many bytes have gathered. */
const DRAIN_BYTES = 4 << 20;
