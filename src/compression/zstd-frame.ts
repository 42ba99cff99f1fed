/**
 * Zstandard frame headers (tsfile-format.md §11, code 8: zstd-jni writes one standard frame that
 * records its content size). Decoders allocate their output from the frame header's content size
 * or window size, so `inspectZstdFrames` reads those fields — and walks the block headers to find
 * where each frame ends — before any decoder runs: a page whose frames declare a size other than
 * the page header's, or an absurd window, is refused without allocating.
 */
import { corruptStream } from './codec-error.js';

const FORMAT = 'Zstandard frame';
const MAGIC = 0xfd2fb528;
/** Skippable frames use magics 0x184D2A50 .. 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** Largest window accepted for a frame that does not declare its content size (zstd level 22's). */
export const MAX_UNDECLARED_WINDOW = 2 ** 27;

export interface ZstdFramesInfo {
  /** Sum of the declared content sizes, or undefined if some frame does not declare one. */
  declaredSize: number | undefined;
  /** Largest window size of a frame without a declared content size (0 if none). */
  largestUndeclaredWindow: number;
  /** Number of (non-skippable) frames. */
  frames: number;
}

function readU32LE(a: Uint8Array, i: number): number {
  return (a[i]! | (a[i + 1]! << 8) | (a[i + 2]! << 16)) + a[i + 3]! * 16777216;
}

function readUIntLE(a: Uint8Array, i: number, bytes: number): number {
  let v = 0;
  for (let k = bytes - 1; k >= 0; k--) v = v * 256 + a[i + k]!;
  return v;
}

/** Where one (non-skippable) frame lies in the input, and the content size it declares. */
export interface ZstdFrameSpan {
  start: number;
  end: number;
  size: number | undefined;
}

/**
 * Walks every frame of `src` (skippable frames included) and reports the sizes they declare;
 * `spans`, when given, receives where each frame lies.
 */
export function inspectZstdFrames(src: Uint8Array, spans?: ZstdFrameSpan[]): ZstdFramesInfo {
  const end = src.length;
  let pos = 0;
  let declared: number | undefined = 0;
  let largestUndeclaredWindow = 0;
  let frames = 0;
  if (end === 0) throw corruptStream(FORMAT, 'empty input', 0);
  while (pos < end) {
    if (end - pos < 4) throw corruptStream(FORMAT, 'truncated frame magic', pos);
    const magic = readU32LE(src, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (end - pos < 8) throw corruptStream(FORMAT, 'truncated skippable frame', pos);
      const size = readU32LE(src, pos + 4);
      if (size > end - pos - 8) throw corruptStream(FORMAT, 'skippable frame runs past the end', pos);
      pos += 8 + size;
      continue;
    }
    if (magic !== MAGIC) throw corruptStream(FORMAT, 'bad magic number', pos, '28 b5 2f fd', hex(src.subarray(pos, pos + 4)));
    const frameStart = pos;
    let frameSize: number | undefined;
    pos += 4;
    if (pos >= end) throw corruptStream(FORMAT, 'truncated frame header', pos);
    const fhd = src[pos++]!;
    if (fhd & 0x08) throw corruptStream(FORMAT, 'reserved bit set in the frame header', pos - 1);
    const fcsFlag = fhd >>> 6;
    const singleSegment = (fhd >>> 5) & 1;
    const hasChecksum = (fhd >>> 2) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
    const headerRest = (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
    if (end - pos < headerRest) throw corruptStream(FORMAT, 'truncated frame header', pos);
    let window = 0;
    if (!singleSegment) {
      const wd = src[pos++]!;
      const base = 2 ** (10 + (wd >>> 3));
      window = base + (base / 8) * (wd & 7);
    }
    pos += dictBytes;
    if (fcsBytes > 0) {
      const fcs = readUIntLE(src, pos, fcsBytes) + (fcsBytes === 2 ? 256 : 0);
      if (!Number.isSafeInteger(fcs)) throw corruptStream(FORMAT, 'content size too large', pos);
      if (declared !== undefined) declared += fcs;
      frameSize = fcs;
    } else {
      declared = undefined;
      largestUndeclaredWindow = Math.max(largestUndeclaredWindow, window);
    }
    pos += fcsBytes;
    for (;;) {
      if (end - pos < 3) throw corruptStream(FORMAT, 'truncated block header', pos);
      const header = src[pos]! | (src[pos + 1]! << 8) | (src[pos + 2]! << 16);
      pos += 3;
      const last = header & 1;
      const type = (header >>> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw corruptStream(FORMAT, 'reserved block type', pos - 3);
      const stored = type === 1 ? 1 : size;
      if (stored > end - pos) throw corruptStream(FORMAT, 'block runs past the end', pos, `${stored} bytes`, `${end - pos} bytes left`);
      pos += stored;
      if (last) break;
    }
    if (hasChecksum) {
      if (end - pos < 4) throw corruptStream(FORMAT, 'truncated content checksum', pos);
      pos += 4;
    }
    frames++;
    spans?.push({ start: frameStart, end: pos, size: frameSize });
  }
  if (frames === 0) throw corruptStream(FORMAT, 'no frame found', 0);
  return { declaredSize: declared, largestUndeclaredWindow, frames };
}

function hex(a: Uint8Array): string {
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
