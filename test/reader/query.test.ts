/**
 * reader.query: results equal an outer join computed from the fixtures' expected CSVs, for every
 * operator on every type, across aligned and non-aligned devices; statistics pushdown skips the
 * pages it should (counted exactly on a generated file of small pages); several files as one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { queryFiles } from '../../src/engine/scan-files.js';
import { ErrorCode } from '../../src/io/errors.js';
import { parseFilter } from '../../src/reader/query-filter-text.js';
import { type QueryFilter, where } from '../../src/reader/query-filter.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { expectedCsv, HAVE_SHARED, listFixtures, type Fixture } from '../helpers/fixtures.js';
import { expectedRows, type RefFilter, rowsOfBatches, seriesOfCsv } from '../helpers/outer-join.js';

async function collect(it: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

/** The textual form of a reference filter (what --where takes). */
function textOf(f: RefFilter): string {
  switch (f.op) {
    case 'and':
    case 'or':
      return `(${f.args.map(textOf).join(` ${f.op.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${textOf(f.arg)}`;
    case 'isNull':
      return `${f.path} IS NULL`;
    case 'isNotNull':
      return `${f.path} is not null`;
    default:
      return `${f.path} ${f.op} '${f.value.replace(/'/g, "''")}'`;
  }
}

interface SeriesRef {
  path: string;
  type: string;
}

function seriesOf(f: Fixture): SeriesRef[] {
  const list = (f.json.device_list as { device: string; series: { measurement: string; type: string }[] }[]) ?? [];
  return list.flatMap((d) => d.series.map((s) => ({ path: `${d.device}.${s.measurement}`, type: s.type })));
}

const OPS = ['=', '!=', '<', '<=', '>', '>='] as const;

/** Filters of every operator on `s` with a constant taken from its own values, plus null tests and combinations. */
function filtersFor(s: SeriesRef, other: SeriesRef, values: Map<bigint, string>, otherValues: Map<bigint, string>): RefFilter[] {
  const list = [...values.entries()];
  const times = [...new Set([...values.keys(), ...otherValues.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pick = list[Math.floor(list.length / 3)]?.[1];
  const otherPick = [...otherValues.values()][Math.floor(otherValues.size / 2)];
  const t = times[Math.floor(times.length / 2)];
  const out: RefFilter[] = [{ op: 'isNull', path: s.path }, { op: 'isNotNull', path: s.path }];
  if (pick === undefined || t === undefined) return out;
  for (const op of OPS) out.push({ op, path: s.path, value: pick });
  out.push({ op: 'and', args: [{ op: '>=', path: s.path, value: pick }, { op: '<', path: 'time', value: String(t) }] });
  out.push({ op: 'not', arg: { op: '<', path: s.path, value: pick } });
  if (otherPick !== undefined) {
    out.push({ op: 'or', args: [{ op: '=', path: s.path, value: pick }, { op: '>', path: other.path, value: otherPick }] });
    out.push({ op: 'and', args: [{ op: '!=', path: s.path, value: pick }, { op: 'not', arg: { op: 'isNull', path: other.path } }] });
  }
  return out;
}

const FIXTURES: [string, string, number][] = [
  ['java', 'aligned_and_nonaligned', 12],
  ['java', 'aligned_all_types', 10],
  ['java', 'strings', 10],
  ['java', 'timestamps', 10],
  ['java', 'extremes', 24],
  ['cpp', 'many_chunk_groups', 9],
  ['cpp', 'all_encodings_lz4', 11],
];

describe.skipIf(!HAVE_SHARED)('query equals the outer join of the expected CSV', () => {
  for (const [group, name, maxSeries] of FIXTURES) {
    it(`${group}/${name}: every operator, every type, across devices`, async () => {
      const f = listFixtures(group).find((x) => x.name === name)!;
      const table = seriesOfCsv(expectedCsv(f)!);
      const all = seriesOf(f);
      // Every type at least once, several devices: take series in turn from the list (spread over devices).
      const step = Math.max(1, Math.floor(all.length / maxSeries));
      const chosen = all.filter((_, i) => i % step === 0).slice(0, maxSeries);
      const typeOf = (p: string) => all.find((s) => s.path === p)!.type;
      const reader = await TsFileReader.open(f.tsfile);
      try {
        // Unfiltered: the plain outer join (with and without a time range).
        const paths = chosen.map((s) => s.path);
        expect(rowsOfBatches(await collect(reader.query({ paths })))).toEqual(expectedRows(table, paths, typeOf));
        const times = [...new Set(paths.flatMap((p) => [...(table.get(p)?.keys() ?? [])]))].sort((a, b) => (a < b ? -1 : 1));
        const [start, end] = [times[Math.floor(times.length / 4)]!, times[Math.floor((3 * times.length) / 4)]!];
        expect(rowsOfBatches(await collect(reader.query({ paths, startTime: start, endTime: end, batchRows: 7 })))).toEqual(expectedRows(table, paths, typeOf, { start, end }));
        let nonEmpty = 0;
        for (let i = 0; i < chosen.length; i++) {
          const s = chosen[i]!;
          const other = chosen[(i + 1) % chosen.length]!;
          const output = [s.path, other.path].filter((p, k, a) => a.indexOf(p) === k);
          for (const filter of filtersFor(s, other, table.get(s.path) ?? new Map(), table.get(other.path) ?? new Map())) {
            const expected = expectedRows(table, output, typeOf, { filter });
            const actual = rowsOfBatches(await collect(reader.query({ paths: output, filter: filter as QueryFilter })));
            expect(actual, `${JSON.stringify(filter)}`).toEqual(expected);
            const viaText = rowsOfBatches(await collect(reader.query({ paths: output, filter: textOf(filter) })));
            expect(viaText, textOf(filter)).toEqual(expected);
            if (expected.length > 0) nonEmpty++;
          }
        }
        expect(nonEmpty).toBeGreaterThan(chosen.length);
      } finally {
        await reader.close();
      }
    }, 60_000);
  }

  it('NaN, −0 and int64 limits (extremes)', async () => {
    const f = listFixtures('java').find((x) => x.name === 'extremes')!;
    const table = seriesOfCsv(expectedCsv(f)!);
    const all = seriesOf(f);
    const typeOf = (p: string) => all.find((s) => s.path === p)!.type;
    const reader = await TsFileReader.open(f.tsfile);
    try {
      const cases: [string[], RefFilter][] = [];
      for (const dev of ['root.jv.edge.plain', 'root.jv.edge.aligned']) {
        for (const m of ['float_plain', 'double_gorilla', 'double_plain']) {
          const p = `${dev}.${m}`;
          for (const v of ['NaN', '-0', '0', 'Infinity', '-Infinity']) for (const op of OPS) cases.push([[p], { op, path: p, value: v }]);
          cases.push([[p], { op: 'not', arg: { op: '>', path: p, value: '0' } }]);
        }
        for (const m of ['int64_plain', 'timestamp_rle']) {
          const p = `${dev}.${m}`;
          for (const v of ['9223372036854775807', '-9223372036854775808', '0']) for (const op of OPS) cases.push([[p], { op, path: p, value: v }]);
        }
      }
      for (const [paths, filter] of cases) {
        const expected = expectedRows(table, paths, typeOf, { filter });
        expect(rowsOfBatches(await collect(reader.query({ paths, filter: filter as QueryFilter }))), JSON.stringify(filter)).toEqual(expected);
      }
      // NaN equals nothing, −0 equals 0, and the int64 extremes are found exactly.
      const nanRows = expectedRows(table, ['root.jv.edge.plain.double_plain'], typeOf, { filter: { op: '!=', path: 'root.jv.edge.plain.double_plain', value: 'NaN' } });
      expect(nanRows.length).toBe(table.get('root.jv.edge.plain.double_plain')!.size);
      const maxRows = await collect(reader.query({ paths: ['root.jv.edge.plain.int64_plain'], filter: where.eq('root.jv.edge.plain.int64_plain', 9223372036854775807n) }));
      expect(rowsOfBatches(maxRows).map((r) => r.split('|')[1])).toContain('9223372036854775807');
    } finally {
      await reader.close();
    }
  });
});

describe.skipIf(!HAVE_SHARED)('pushdown on a reference-written file', () => {
  it('cpp/many_pages: a time range and a value filter decode a few of ~300 pages', async () => {
    const f = listFixtures('cpp').find((x) => x.name === 'many_pages')!;
    const table = seriesOfCsv(expectedCsv(f)!);
    const paths = ['root.sg.pages.a', 'root.sg.pages.b', 'root.sg.pages.c'];
    const typeOf = (p: string) => ({ a: 'INT64', b: 'DOUBLE', c: 'INT32' })[p.slice(-1)]!;
    const times = [...table.get(paths[0]!)!.keys()];
    const lo = times[50_000]!;
    const hi = times[52_000]!;
    const pick = table.get('root.sg.pages.c')!.get(times[51_000]!)!;
    const filter: RefFilter = { op: 'and', args: [{ op: '>=', path: 'time', value: String(lo) }, { op: '<=', path: 'time', value: String(hi) }, { op: '>=', path: 'root.sg.pages.c', value: pick }] };
    const reader = await TsFileReader.open(f.tsfile);
    try {
      const rows = rowsOfBatches(await collect(reader.query({ paths, filter: filter as QueryFilter })));
      expect(rows).toEqual(expectedRows(table, paths, typeOf, { filter }));
      expect(rows.length).toBeGreaterThan(0);
      const s = reader.stats;
      // About 1000 points per page: the 2000-point window meets at most 3 pages of each series.
      expect(s.pagesDecoded).toBeLessThanOrEqual(9);
      expect(s.pagesSkipped).toBeGreaterThan(250);
      // A value filter alone: only pages whose statistics allow the maximum of c are decoded, and
      // the pages of a and b meeting their spans (each at most 2 of ~1000 points).
      const c = [...table.get('root.sg.pages.c')!.values()].map(Number);
      const max = Math.max(...c);
      const hits = c.filter((v) => v === max).length;
      const before = s.pagesDecoded;
      const onlyMax: RefFilter = { op: '>=', path: 'root.sg.pages.c', value: String(max) };
      const maxRows = rowsOfBatches(await collect(reader.query({ paths, filter: onlyMax as QueryFilter })));
      expect(maxRows).toEqual(expectedRows(table, paths, typeOf, { filter: onlyMax }));
      expect(maxRows.length).toBe(hits);
      expect(reader.stats.pagesDecoded - before).toBeLessThanOrEqual(hits * 5);
    } finally {
      await reader.close();
    }
  });
});

/** d1 (non-aligned): s1 = i (INT64), s2 = i % 7 (INT32); d2 (aligned): w = 10000 − i (DOUBLE), every 5th null; 100-point pages. */
async function generatedFile(rows = 10_000, offset = 0n, devices = ['root.g.d1', 'root.g.d2']): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = await TsFileWriter.open(sink, { threads: 0, maxPointsPerPage: 100 });
  const [d1, d2] = devices;
  w.registerTimeseries(d1!, [
    { measurement: 's1', dataType: 'INT64' },
    { measurement: 's2', dataType: 'INT32' },
  ]);
  w.registerAlignedDevice(d2!, [{ measurement: 'w', dataType: 'DOUBLE' }, { measurement: 'txt', dataType: 'TEXT' }]);
  const t1 = new BigInt64Array(rows);
  const t2 = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    t1[i] = offset + 1000n + BigInt(i) * 10n;
    t2[i] = offset + 1005n + BigInt(i) * 10n;
  }
  await w.write(d1!, { time: t1, columns: { s1: Array.from({ length: rows }, (_, i) => BigInt(i)), s2: Array.from({ length: rows }, (_, i) => i % 7) } });
  await w.write(d2!, {
    time: t2,
    columns: {
      w: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : 10000 - i)),
      txt: Array.from({ length: rows }, (_, i) => `v${i % 11}`),
    },
  });
  await w.close();
  return sink.bytes();
}

describe('pushdown on a generated file of 100-point pages', () => {
  it('a selective value filter decodes only the matching pages of every selected series', async () => {
    const reader = await TsFileReader.open(await generatedFile());
    try {
      const paths = ['root.g.d1.s1', 'root.g.d1.s2', 'root.g.d2.w'];
      const batches = await collect(reader.query({ paths, filter: 'root.g.d1.s1 >= 9950' }));
      const rows = rowsOfBatches(batches);
      // s1 ≥ 9950: rows 9950..9999 of d1; d2's rows at other times never match (s1 is null there).
      expect(rows.length).toBe(50);
      expect(rows[0]).toBe(`${1000 + 9950 * 10}|9950|${9950 % 7}|∅`);
      // d1's page 99 of s1 and of s2 only; d2's time page 99 (times 991005..991995) meets the span
      // of s1's page 99 (991000..991990), so its time and value pages are decoded too (no d2 row is kept).
      expect(reader.stats.pagesDecoded).toBe(2 + 2);
      expect(reader.stats.pagesSkipped).toBe(2 * 99 + 2 * 99);
    } finally {
      await reader.close();
    }
  });

  it('AND of time and value intersects; OR across devices unions; NOT keeps no null rows', async () => {
    const reader = await TsFileReader.open(await generatedFile());
    try {
      const paths = ['root.g.d1.s1', 'root.g.d2.w'];
      const before = { ...reader.stats };
      // s1 < 300 (pages 0-2, times 1000..3990) and time >= 3000: s1's page 2 only, and the d2 pages
      // meeting its span (time page 2 and its value page; no d2 row is kept: s1 is null there).
      let rows = rowsOfBatches(await collect(reader.query({ paths, filter: where.and(where.lt('root.g.d1.s1', 300), where.ge('time', 3000)) })));
      expect(rows.length).toBe(300 - 200);
      expect(reader.stats.pagesDecoded - before.pagesDecoded).toBe(3);
      // OR: s1 < 100 or w < 100 (w = 10000 − i: rows i > 9900): the first and last pages of both devices.
      const mid = { ...reader.stats };
      rows = rowsOfBatches(await collect(reader.query({ paths, filter: 'root.g.d1.s1 < 100 or root.g.d2.w < 100' })));
      expect(rows.length).toBe(100 + Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 5 !== 0 && 10000 - i < 100).length);
      expect(reader.stats.pagesDecoded - mid.pagesDecoded).toBeLessThanOrEqual(2 * (1 + 2) + 2);
      // NOT (w > 50) never keeps rows where w is null (every 5th row, and all of d1's times).
      rows = rowsOfBatches(await collect(reader.query({ paths: ['root.g.d2.w'], filter: 'not root.g.d2.w > 50' })));
      expect(rows.map((r) => r.split('|')[1])).not.toContain('∅');
      expect(rows.length).toBe(Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 5 !== 0 && 10000 - i <= 50).length);
      // IS NULL cannot be decided from statistics: nothing is skipped, the rows are exact. A row
      // exists where some series of the query has a point: w alone has none where it is null.
      rows = rowsOfBatches(await collect(reader.query({ paths: ['root.g.d2.w', 'root.g.d2.txt'], filter: 'root.g.d2.w is null' })));
      expect(rows.length).toBe(2000);
      expect(rows.every((r) => r.split('|')[1] === '∅')).toBe(true);
      expect(await collect(reader.query({ paths: ['root.g.d2.w'], filter: 'root.g.d2.w is null' })).then(rowsOfBatches)).toEqual([]);
    } finally {
      await reader.close();
    }
  });

  it('a filter on a series not in the result reads it as a hidden column', async () => {
    const reader = await TsFileReader.open(await generatedFile());
    try {
      const batches = await collect(reader.query({ paths: ['root.g.d2.txt'], filter: "root.g.d1.s2 = 3 and root.g.d2.txt = 'v1'" }));
      expect(batches[0]!.schema.fields.map((f) => f.name)).toEqual(['time', 'root.g.d2.txt']);
      // d1 and d2 never share a time: s2 is null wherever txt has a value.
      expect(rowsOfBatches(batches)).toEqual([]);
      const rows = rowsOfBatches(await collect(reader.query({ paths: ['root.g.d2.txt'], filter: "root.g.d1.s2 = 3 or root.g.d2.txt = 'v1'" })));
      expect(rows.length).toBe(Math.ceil(10_000 / 7) + Math.ceil((10_000 - 1) / 11));
    } finally {
      await reader.close();
    }
  });

  it('times as Timestamp in the reader unit; time options take ISO-8601 text', async () => {
    const reader = await TsFileReader.open(await generatedFile(10, 1_700_000_000_000n), { timeUnit: 'ms' });
    try {
      const batches = await collect(reader.query({ paths: ['root.g.d1.s1'], startTime: '2023-11-14T22:13:21.040Z', filter: 'time <= 2023-11-14T22:13:21.060Z' }));
      expect(String(batches[0]!.schema.fields[0]!.type)).toBe('Timestamp<MILLISECOND>');
      expect(rowsOfBatches(batches).map((r) => r.split('|')[1])).toEqual(['4', '5', '6']);
    } finally {
      await reader.close();
    }
  });
});

describe('queryFiles: several files as one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-query-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('joins the files on time with pushdown over all of them', async () => {
    // Two files of the same devices, one after the other in time, and a third with another device.
    writeFileSync(join(dir, 'a.tsfile'), await generatedFile(1000));
    writeFileSync(join(dir, 'b.tsfile'), await generatedFile(1000, 1_000_000n));
    writeFileSync(join(dir, 'c.tsfile'), await generatedFile(500, 0n, ['root.h.d1', 'root.h.d2']));
    const paths = ['root.g.d1.s1', 'root.h.d1.s1'];
    const rows = rowsOfBatches(await collect(queryFiles(dir, { paths, filter: 'root.g.d1.s1 >= 995 or root.h.d1.s1 < 2' })));
    const expected: string[] = [];
    for (let i = 0; i < 2; i++) expected.push(`${1000 + i * 10}|${i}|${i}`);
    for (const base of [0, 1_000_000]) for (let i = 995; i < 1000; i++) expected.push(`${base + 1000 + i * 10}|${i}|${base === 0 && i < 500 ? i : '∅'}`);
    expect(rows).toEqual(expected);
  });

  it('where two files hold the same time, the later file wins, before the filter is decided', async () => {
    // x1: s = t at t 0..9; x2 (later by name): s = 100 + t at t 5..14 except multiples of 3.
    const write = async (name: string, times: number[], value: (t: number) => bigint) => {
      const sink = new MemorySink();
      const w = await TsFileWriter.open(sink, { threads: 0, maxPointsPerPage: 4 });
      w.registerTimeseries('root.o.d1', [{ measurement: 's', dataType: 'INT64' }]);
      await w.write('root.o.d1', { time: BigInt64Array.from(times.map(BigInt)), columns: { s: times.map(value) } });
      await w.close();
      writeFileSync(join(dir, name), sink.bytes());
    };
    const sub = join(dir, 'overlap');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    await write('overlap/x1.tsfile', range(0, 10), (t) => BigInt(t));
    await write('overlap/x2.tsfile', range(5, 15).filter((t) => t % 3 !== 0), (t) => BigInt(100 + t));
    const merged = new Map<number, number>();
    for (const t of range(0, 10)) merged.set(t, t);
    for (const t of range(5, 15).filter((t) => t % 3 !== 0)) merged.set(t, 100 + t);
    const want = (keep: (v: number) => boolean) => [...merged].sort((a, b) => a[0] - b[0]).filter(([, v]) => keep(v)).map(([t, v]) => `${t}|${v}`);
    const paths = ['root.o.d1.s'];
    expect(rowsOfBatches(await collect(queryFiles(sub, { paths })))).toEqual(want(() => true));
    // x1's statistics admit s < 10 at t 5..9, but x2's values replace them there.
    expect(rowsOfBatches(await collect(queryFiles(sub, { paths, filter: 'root.o.d1.s < 10' })))).toEqual(want((v) => v < 10));
    expect(rowsOfBatches(await collect(queryFiles(sub, { paths, filter: 'root.o.d1.s >= 100' })))).toEqual(want((v) => v >= 100));
  });

  it('an unknown path is NOT_FOUND in every file', async () => {
    await expect(collect(queryFiles(dir, { paths: ['root.g.d9.s1'] }))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});

describe('query errors', () => {
  it('unknown paths, duplicate paths, bad constants and malformed text are typed errors', async () => {
    const reader = await TsFileReader.open(await generatedFile(10));
    try {
      await expect(collect(reader.query({ paths: ['root.g.d1.nope'] }))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND, message: expect.stringContaining('root.g.d1.nope') });
      await expect(collect(reader.query({ paths: ['root.g.d1.s1', 'root.g.d1.s1'] }))).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(collect(reader.query({ paths: ['root.g.d1.s1'], filter: 'root.g.d9.x > 1' }))).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      await expect(collect(reader.query({ paths: ['root.g.d1.s1'], filter: 'root.g.d1.s1 > 1.5' }))).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(collect(reader.query({ paths: ['root.g.d1.s1'], filter: "root.g.d2.txt > 'a' and" }))).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('position 24') });
      await expect(collect(reader.query({ paths: ['root.g.d1.s1'], startTime: '2024-13-01' }))).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    } finally {
      await reader.close();
    }
  });

  it('the parser names the position of the problem', () => {
    expect(() => parseFilter('root.a.b > ')).toThrow(/position 12/);
    expect(() => parseFilter('root.a.b 5')).toThrow(/position 10/);
    expect(() => parseFilter("(root.a.b = 'x'")).toThrow(/position 16/);
    expect(parseFilter('NOT (a.b IS NOT NULL or time >= 2024-01-01T00:00:00Z) and a.c <> -1.5e3')).toEqual({
      op: 'and',
      args: [
        { op: 'not', arg: { op: 'or', args: [{ op: 'isNotNull', path: 'a.b' }, { op: '>=', path: 'time', value: '2024-01-01T00:00:00Z' }] } },
        { op: '!=', path: 'a.c', value: '-1.5e3' },
      ],
    });
  });

  it('an aborted signal stops the query', async () => {
    const reader = await TsFileReader.open(await generatedFile());
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(collect(reader.query({ paths: ['root.g.d1.s1'], signal: ac.signal }))).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      await reader.close();
    }
  });
});
