/**
 * A minimal walk over the data section of a TsFile (tsfile-format.md §2, §4, §5, §6, §9.1) that
 * yields each page's compression code, sizes and still-compressed body — enough to feed real
 * pages written by the reference implementations to the codecs. Not the library's reader.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cursor } from '../../src/io/cursor.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
export const HAVE_FIXTURES = existsSync(FIXTURES);

export interface FixturePage {
  measurement: string;
  compression: number;
  uncompressedSize: number;
  /** The compressed body (a view into the file bytes). */
  body: Uint8Array;
  /** File offset of the body. */
  offset: number;
}

/** Bytes of the type-specific statistics part (§9.1) for fixed-size types; -1 for TEXT/STRING. */
function fixedStatisticsBytes(dataType: number): number {
  switch (dataType) {
    case 0:
      return 10;
    case 1:
    case 9:
    case 3:
      return 24;
    case 2:
    case 8:
    case 4:
      return 40;
    case 5:
    case 11:
      return -1;
    default:
      return 0;
  }
}

function skipStatistics(c: Cursor, dataType: number): void {
  c.uvarint('statistics count');
  c.skip(16, 'statistics times');
  const fixed = fixedStatisticsBytes(dataType);
  if (fixed >= 0) {
    c.skip(fixed, 'statistics');
    return;
  }
  const binaries = dataType === 5 ? 2 : 4;
  for (let i = 0; i < binaries; i++) c.binary('statistics value');
}

/** Every page of the data section, in file order (stopping after `limit` pages if given). */
export function walkPages(bytes: Uint8Array, file: string, limit = Infinity): FixturePage[] {
  const version = bytes[6];
  const c = new Cursor(bytes, 7, bytes.length, 0, file);
  const pages: FixturePage[] = [];
  while (c.remaining > 0 && pages.length < limit) {
    const marker = c.u8('marker');
    if (marker === 0x02) break;
    if (marker === 0x00) {
      if (version === 3) {
        c.vstr('device');
      } else {
        const segments = c.uvarint('segment count');
        for (let i = 0; i < segments; i++) c.vstr('segment');
      }
      continue;
    }
    if (marker === 0x04) {
      c.skip(16, 'operation index range');
      continue;
    }
    const measurement = c.vstrNonNull('measurement');
    const dataSize = c.uvarint('chunk data size');
    const dataType = c.u8('data type');
    const compression = c.u8('compression');
    c.u8('encoding');
    const end = c.pos + dataSize;
    const multiPage = (marker & 0x3f) === 0x01;
    while (c.pos < end && pages.length < limit) {
      const uncompressedSize = c.uvarint('uncompressed size');
      if (uncompressedSize === 0) continue;
      const compressedSize = c.uvarint('compressed size');
      if (multiPage) skipStatistics(c, dataType);
      const offset = c.offset;
      pages.push({ measurement, compression, uncompressedSize, body: c.bytesView(compressedSize, 'page body'), offset });
    }
    c.pos = end;
  }
  return pages;
}
