/**
 * Rewrites a `java/` fixture from its canonical CSV and JSON (series, encodings, compressions,
 * writer settings, rows per chunk group) with our writer, so the result can be compared byte for
 * byte with the file the Java writer produced. Independent of our reader.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { decompressPage, getCodec, registerCodec } from '../../src/compression/registry.js';
import { readChunkGroupHeader, readChunkHeader } from '../../src/format/chunk-header.js';
import { readPageHeader } from '../../src/format/page-header.js';
import { Cursor } from '../../src/io/cursor.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import type { ColumnInput } from '../../src/writer/input.js';
import { parseCsv } from '../helpers/csv.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
export const JAVA_FIXTURES = path.join(FIXTURES, 'java');
export const CPP_FIXTURES = path.join(FIXTURES, 'cpp');
export const haveFixtures = existsSync(JAVA_FIXTURES);

interface SeriesJson {
  measurement: string;
  type: string;
  encoding: string;
  compression: string;
}
interface DeviceJson {
  device: string;
  aligned: boolean;
  table?: string;
  tag_columns?: string[];
  devices?: string[];
  rows_per_chunk_group: number[];
  /** cpp/ fixtures: the device's rows, split evenly over `chunk_groups_per_device`. */
  rows?: number;
  series: SeriesJson[];
}
export interface FixtureJson {
  name: string;
  chunk_groups_per_device?: number;
  format_version: number;
  writer_settings: { page_max_points: number; max_index_node_degree: number };
  device_list: DeviceJson[];
  lossy_series?: unknown;
}


function parseValue(type: string, text: string): number | bigint | boolean | string | Uint8Array {
  switch (type) {
    case 'BOOLEAN':
      return text === 'true';
    case 'INT32':
      return Number(text);
    case 'INT64':
    case 'TIMESTAMP':
      return BigInt(text);
    case 'FLOAT':
      return Math.fround(Number(text));
    case 'DOUBLE':
      return Number(text);
    case 'DATE': {
      const [y, m, d] = text.split('-').map(Number);
      return y! * 10000 + m! * 100 + d!;
    }
    case 'BLOB':
      return Uint8Array.from(Buffer.from(text.slice(2), 'hex'));
    default:
      return text;
  }
}

/** Points of one series, in time order. */
type SeriesPoints = Map<string, { times: bigint[]; values: string[] }>;

function loadPoints(dir: string, name: string): Map<string, SeriesPoints> {
  const plain = path.join(dir, `${name}.csv`);
  const text = existsSync(plain) ? readFileSync(plain, 'utf8') : gunzipSync(readFileSync(`${plain}.gz`)).toString('utf8');
  const rows = parseCsv(text).slice(1);
  const byDevice = new Map<string, SeriesPoints>();
  for (const [device, measurement, time, value] of rows) {
    let d = byDevice.get(device!);
    if (d === undefined) byDevice.set(device!, (d = new Map()));
    let s = d.get(measurement!);
    if (s === undefined) d.set(measurement!, (s = { times: [], values: [] }));
    s.times.push(BigInt(time!));
    s.values.push(value!);
  }
  return byDevice;
}

/** Rows of a device: union of its series' times, each series' value or null per row. */
/**
 * Rows of a device: union of its series' times, each series' value or null per row. A row whose
 * values are all null is absent from the CSV; the generators used the grid 1700000000000 + 1000·i,
 * so when every time lies on it the full grid of `totalRows` rows is restored.
 */
function deviceRows(series: SeriesJson[], points: SeriesPoints | undefined, totalRows: number): { times: bigint[]; columns: Map<string, unknown[]> } {
  const all = new Set<bigint>();
  for (const s of series) for (const t of points?.get(s.measurement)?.times ?? []) all.add(t);
  let times = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const base = 1700000000000n;
  const onGrid = times.every((t) => t >= base && (t - base) % 1000n === 0n && (t - base) / 1000n < BigInt(totalRows));
  if (onGrid && times.length < totalRows) times = Array.from({ length: totalRows }, (_, i) => base + 1000n * BigInt(i));
  const rowOf = new Map(times.map((t, i) => [t, i]));
  const columns = new Map<string, unknown[]>();
  for (const s of series) {
    const col: unknown[] = new Array(times.length).fill(null);
    const p = points?.get(s.measurement);
    if (p !== undefined) p.times.forEach((t, i) => (col[rowOf.get(t)!] = parseValue(s.type, p.values[i]!)));
    columns.set(s.measurement, col);
  }
  return { times, columns };
}

/**
 * The device list, with a trailing `{ note: "N more devices with the same layout" }` expanded: the
 * generators named devices `<prefix>d<i>` and repeated the listed layouts cyclically.
 */
function expandDeviceList(json: FixtureJson & { devices?: number }): DeviceJson[] {
  const listed = json.device_list.filter((d) => d.device !== undefined);
  if (listed.length === json.device_list.length || json.devices === undefined) return listed;
  const prefix = listed[0]!.device.replace(/d0$/, 'd');
  const out = [...listed];
  for (let i = listed.length; i < json.devices; i++) out.push({ ...listed[i % listed.length]!, device: `${prefix}${i}` });
  return out;
}

/** Writes the fixture's content with its settings; returns the file bytes. */
export async function rewriteFixture(name: string, dir = JAVA_FIXTURES): Promise<{ bytes: Uint8Array; json: FixtureJson }> {
  const json = JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as FixtureJson;
  const points = loadPoints(dir, name);
  const sink = new MemorySink();
  const cpp = json.format_version === 3;
  const w = await TsFileWriter.open(sink, {
    maxPointsPerPage: json.writer_settings.page_max_points,
    maxIndexDegree: json.writer_settings.max_index_node_degree,
    ...(cpp ? { version: 3 as const, layout: 'cpp' as const } : {}),
  });
  // Per device: its rows split into the chunk groups the generator flushed.
  const plans: { key: string; groups: { times: bigint[]; columns: Record<string, ColumnInput> }[] }[] = [];
  for (const d of expandDeviceList(json)) {
    if (d.rows !== undefined) {
      const k = json.chunk_groups_per_device ?? 1;
      d.rows_per_chunk_group = Array.from({ length: k }, (_, i) => Math.floor((d.rows! * (i + 1)) / k) - Math.floor((d.rows! * i) / k));
    }
    const specs = d.series.map((s) => ({ measurement: s.measurement, dataType: s.type as never, encoding: s.encoding as never, compression: s.compression as never }));
    const targets: { key: string; csvDevice: string; tags: (string | null)[] }[] = [];
    if (d.table !== undefined) {
      w.registerTable(d.table, [
        ...d.tag_columns!.map((t) => ({ name: t, category: 'TAG' as const })),
        ...specs.map((s) => ({ name: s.measurement, category: 'FIELD' as const, dataType: s.dataType, encoding: s.encoding, compression: s.compression })),
      ]);
      for (const dev of d.devices!) {
        const segs = dev.split('.').slice(1);
        const tags = d.tag_columns!.map((_, i) => (segs[i] === undefined || segs[i] === 'null' ? null : segs[i]!));
        targets.push({ key: d.table, csvDevice: dev, tags });
      }
    } else {
      if (d.aligned) w.registerAlignedDevice(d.device, specs);
      else w.registerTimeseries(d.device, specs);
      targets.push({ key: d.device, csvDevice: d.device, tags: [] });
    }
    for (const t of targets) {
      const rows = deviceRows(d.series, points.get(t.csvDevice), d.aligned ? d.rows_per_chunk_group.reduce((a, b) => a + b, 0) : 0);
      const groups: { times: bigint[]; columns: Record<string, ColumnInput> }[] = [];
      let from = 0;
      d.rows_per_chunk_group.forEach((n, gi) => {
        const to = gi === d.rows_per_chunk_group.length - 1 ? rows.times.length : Math.min(rows.times.length, from + n);
        const columns: Record<string, ColumnInput> = {};
        d.tag_columns?.forEach((tag, i) => (columns[tag] = new Array(to - from).fill(t.tags[i])));
        for (const [m, col] of rows.columns) columns[m] = col.slice(from, to) as ColumnInput;
        groups.push({ times: rows.times.slice(from, to), columns });
        from = to;
      });
      plans.push({ key: t.key, groups });
    }
  }
  const groupCount = Math.max(...plans.map((p) => p.groups.length));
  for (let g = 0; g < groupCount; g++) {
    for (const p of plans) {
      const grp = p.groups[g];
      if (grp === undefined || grp.times.length === 0) continue;
      await w.write(p.key, { time: BigInt64Array.from(grp.times), columns: grp.columns });
    }
    await w.flush();
  }
  await w.close();
  return { bytes: sink.bytes(), json };
}

/** First differing byte offset, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/**
 * The Java file's stored page bodies keyed by compression and the hash of their decompressed bytes,
 * so a rewrite can reuse the reference compressor's exact output: what is left to compare is then
 * everything our writer decides (layout, headers, statistics, index), not the codec libraries.
 */
export async function javaCompressedBodies(name: string, dir = JAVA_FIXTURES): Promise<Map<string, Uint8Array>> {
  const bytes = readFileSync(path.join(dir, `${name}.tsfile`));
  const scan = new Map<string, Uint8Array>();
  const version = bytes[6]!;
  let pos = 7;
  while (pos < bytes.length) {
    const m = bytes[pos]!;
    if (m === 0x00) {
      const c = new Cursor(bytes, pos);
      readChunkGroupHeader(c, version);
      pos = c.pos;
      continue;
    }
    if (m === 0x02) break;
    if (m === 0x04) {
      pos += 17;
      continue;
    }
    const c = new Cursor(bytes, pos);
    const h = readChunkHeader(c);
    const pc = new Cursor(bytes, c.pos, c.pos + h.dataSize);
    while (pc.remaining > 0) {
      const ph = readPageHeader(pc, h.dataType, h.multiPage, 1 << 30);
      if (ph.uncompressedSize === 0) continue;
      const stored = pc.bytesView(ph.compressedSize, 'page body');
      const raw = await decompressPage(getCodec(h.compression), stored, ph.uncompressedSize);
      scan.set(bodyKey(h.compression, raw), stored.slice());
    }
    pos = c.pos + h.dataSize;
  }
  return scan;
}

export function bodyKey(compression: number, raw: Uint8Array): string {
  return `${compression}:${createHash('sha1').update(raw).digest('hex')}`;
}

let transplant: Map<string, Uint8Array> | undefined;

/** Makes every codec return the Java bytes for bodies found in `bodies` (undefined: normal codecs). */
export function useJavaCompressedBodies(bodies: Map<string, Uint8Array> | undefined): void {
  if (!installed) {
    for (const code of [1, 2, 7, 8, 9]) {
      const original = getCodec(code);
      registerCodec({
        compression: original.compression,
        kind: 'native',
        decompress: (src, size) => original.decompress(src, size),
        compress: (src) => transplant?.get(bodyKey(code, src)) ?? original.compress(src),
      });
    }
    installed = true;
  }
  transplant = bodies;
}
let installed = false;
