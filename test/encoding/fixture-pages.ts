/**
 * Test-only access to the pages of the shared fixture files (tsfile-format.md §2, §4–§7, §15): a
 * sequential scan of the data section that yields every chunk with its decompressed page bodies,
 * plus the fixtures' canonical CSV. Kept deliberately small and independent of the reader layer,
 * so the encoding tests check decoders against the reference writers' real pages.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { uncompressSync } from 'snappy';
import { Compression, DataType } from '../../src/format/codes.js';
import { deviceIdToString, readDeviceId } from '../../src/format/device-id.js';
import { skipStatistics } from '../../src/format/statistics.js';
import { Cursor } from '../../src/io/cursor.js';
import { parseCsv } from '../helpers/csv.js';

/** `../shared/fixtures` relative to the repository root. */
export const FIXTURES = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/fixtures');
export const haveFixtures = existsSync(FIXTURES);

export interface FixturePage {
  /** Decompressed body, or undefined when the page's compression is not available to the tests. */
  body: Uint8Array | undefined;
  /** The `00` page of an all-null aligned page. */
  empty: boolean;
}

export interface FixtureChunk {
  device: string;
  measurement: string;
  marker: number;
  type: DataType;
  compression: Compression;
  encoding: number;
  pages: FixturePage[];
  /** Index of the chunk group in the file (aligned value chunks pair with the group's time chunk). */
  group: number;
}

/** Decompresses a raw LZ4 block whose decompressed size is known. */
function lz4Block(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  while (i < src.length) {
    const token = src[i++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        b = src[i++]!;
        lit += b;
      } while (b === 255);
    }
    out.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i >= src.length) break;
    const offset = src[i]! | (src[i + 1]! << 8);
    i += 2;
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        b = src[i++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    for (let k = 0; k < len; k++, o++) out[o] = out[o - offset]!;
  }
  if (o !== size) throw new Error(`lz4: ${o} bytes instead of ${size}`);
  return out;
}

function decompress(c: Compression, body: Uint8Array, size: number): Uint8Array | undefined {
  switch (c) {
    case Compression.UNCOMPRESSED:
      return body;
    case Compression.SNAPPY:
      return new Uint8Array(uncompressSync(Buffer.from(body)) as Buffer);
    case Compression.GZIP:
      return new Uint8Array(gunzipSync(body));
    case Compression.LZ4:
      return lz4Block(body, size);
    case Compression.ZSTD:
      return zstdDecompress(body);
    default:
      return undefined;
  }
}

/** Every chunk of a fixture file, in file order. */
export function readFixtureChunks(relative: string): FixtureChunk[] {
  const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, relative)));
  const version = bytes[6]!;
  const c = new Cursor(bytes, 7, bytes.length, 0, relative);
  const chunks: FixtureChunk[] = [];
  let device = '';
  let group = -1;
  for (;;) {
    const marker = c.u8('marker');
    if (marker === 0x02) break;
    if (marker === 0x00) {
      device = version === 3 ? c.vstrNonNull('device') : deviceIdToString(readDeviceId(c, version));
      group++;
      continue;
    }
    if (marker === 0x04) {
      c.skip(16);
      continue;
    }
    const measurement = c.vstrNonNull('measurement');
    const dataSize = c.uvarint('data size');
    const type = c.u8('type') as DataType;
    const compression = c.u8('compression') as Compression;
    const encoding = c.u8('encoding');
    const end = c.pos + dataSize;
    const pages: FixturePage[] = [];
    while (c.pos < end) {
      const size = c.uvarint('uncompressed size');
      if (size === 0) {
        pages.push({ body: new Uint8Array(0), empty: true });
        continue;
      }
      const stored = c.uvarint('compressed size');
      if ((marker & 0x3f) === 0x01) skipStatistics(c, type);
      pages.push({ body: decompress(compression, c.bytesView(stored), size), empty: false });
    }
    chunks.push({ device, measurement, marker, type, compression, encoding, pages, group });
  }
  return chunks;
}


/** The expected points of a fixture, keyed by "device,measurement", each [time, value text] in CSV order. */
export function readFixtureCsv(relative: string): Map<string, [bigint, string][]> {
  const file = path.join(FIXTURES, relative);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : gunzipSync(readFileSync(`${file}.gz`)).toString('utf8');
  const rows = parseCsv(text);
  const out = new Map<string, [bigint, string][]>();
  for (const r of rows.slice(1)) {
    const key = `${r[0]},${r[1]}`;
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push([BigInt(r[2]!), r[3]!]);
  }
  return out;
}
