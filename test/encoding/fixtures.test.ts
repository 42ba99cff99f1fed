/**
 * The shared fixtures (../shared/fixtures, written by the Java and C++ reference writers): every page
 * of every series whose compression the tests can undo is decoded and compared with the expected CSV,
 * and re-encoded to check the encoders produce the reference writer's bytes.
 *
 * Byte comparisons leave out what a per-page encoder cannot reproduce: padding bits of TS_2DIFF blocks
 * (Java may leave stale bits there), single-value TS_2DIFF blocks of the C++ writer (stale minDelta and
 * width), and pages whose decoded values differ from the values written (RLBE/SPRINTZ on FLOAT/DOUBLE,
 * GORILLA_V1 pages cut short by a NaN), which cannot be encoded back to the original bytes.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeTimes, encodeValues } from '../../src/encoding/index.js';
import { DataType, Encoding, encodingName, dataTypeName } from '../../src/format/codes.js';
import { FIXTURES, haveFixtures, readFixtureChunks, readFixtureCsv, type FixtureChunk } from './fixture-pages.js';
import { decodeAlignedChunk, decodeNonAlignedChunk, formatValue, type DecodedPage } from './fixture-values.js';
import { hex } from './helpers.js';

function be32(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

/** Equal TS_2DIFF streams up to the padding bits after the last delta of each block. */
function sameTs2Diff(a: Uint8Array, b: Uint8Array, wide: boolean): boolean {
  if (a.length !== b.length) return false;
  const header = wide ? 24 : 16;
  for (let p = 0; p < a.length; ) {
    const n = be32(a, p);
    const width = be32(a, p + 4);
    const bits = n * width;
    const end = p + header + Math.ceil(bits / 8);
    for (let i = p; i < end; i++) {
      const mask = i === end - 1 && bits % 8 !== 0 ? (0xff << (8 - (bits % 8))) & 0xff : 0xff;
      if ((a[i]! & mask) !== (b[i]! & mask)) return false;
    }
    p = end;
  }
  return true;
}

function isFloatType(t: DataType): boolean {
  return t === DataType.FLOAT || t === DataType.DOUBLE;
}

/** Whether re-encoding the decoded page must reproduce the stored bytes (see the header comment). */
function comparable(chunk: FixtureChunk, page: DecodedPage, cpp: boolean): boolean {
  const e = chunk.encoding;
  if ((e === Encoding.RLBE || e === Encoding.SPRINTZ) && isFloatType(chunk.type)) return false;
  if (e === Encoding.GORILLA_V1) {
    const v = page.values as Float32Array | Float64Array;
    return !v.some((x, i) => i > 0 && i < v.length - 1 && Number.isNaN(x));
  }
  if (cpp && e === Encoding.TS_2DIFF) return page.times.length % 129 !== 1;
  return true;
}

const files = haveFixtures
  ? ['java', 'cpp'].flatMap((dir) =>
      readdirSync(path.join(FIXTURES, dir))
        .filter((f) => f.endsWith('.tsfile'))
        .map((f) => `${dir}/${f}`),
    )
  : [];

describe.skipIf(!haveFixtures)(`shared fixtures (${FIXTURES})`, () => {
  for (const file of files) {
    it(`${file}: decodes to the expected CSV and re-encodes to the same bytes`, () => {
      const cpp = file.startsWith('cpp/');
      const chunks = readFixtureChunks(file);
      const expected = readFixtureCsv(file.replace(/\.tsfile$/, '.csv'));
      const got = new Map<string, [bigint, string][]>();
      const byteMismatches: string[] = [];
      let compared = 0;
      const timeChunks = new Map<number, FixtureChunk>();
      for (const chunk of chunks) {
        if ((chunk.marker & 0x80) !== 0) {
          timeChunks.set(chunk.group, chunk);
          continue;
        }
        const aligned = (chunk.marker & 0x40) !== 0;
        const timeChunk = timeChunks.get(chunk.group);
        // Series stored with a compression the tests cannot undo (LZMA2) are left out entirely.
        if (chunk.pages.some((p) => p.body === undefined) || (aligned && timeChunk!.pages.some((p) => p.body === undefined))) {
          expected.delete(`${chunk.device},${chunk.measurement}`);
          continue;
        }
        const key = `${chunk.device},${chunk.measurement}`;
        const pages = aligned ? decodeAlignedChunk(timeChunk!, chunk) : decodeNonAlignedChunk(chunk);
        const list = got.get(key) ?? [];
        got.set(key, list);
        for (const page of pages) {
          for (let i = 0; i < page.times.length; i++) list.push([page.times[i]!, formatValue(chunk.type, page.values, i)]);
          if (comparable(chunk, page, cpp)) {
            compared++;
            const encoding = chunk.encoding as Encoding;
            const again = encodeValues(encoding, chunk.type, page.values);
            const same =
              encoding === Encoding.TS_2DIFF && !isFloatType(chunk.type)
                ? sameTs2Diff(again, page.valueBytes, chunk.type !== DataType.INT32 && chunk.type !== DataType.DATE)
                : hex(again) === hex(page.valueBytes);
            if (!same) byteMismatches.push(`${key} ${dataTypeName(chunk.type)}/${encodingName(encoding)} page of ${page.times.length}`);
          }
          if (page.timeBytes !== undefined && !(cpp && page.times.length % 129 === 1)) {
            if (!sameTs2Diff(encodeTimes(Encoding.TS_2DIFF, page.times), page.timeBytes, true)) byteMismatches.push(`${key} time column`);
          }
        }
      }
      const mismatches: string[] = [];
      for (const [key, rows] of expected) {
        const ours = (got.get(key) ?? []).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        if (ours.length !== rows.length) {
          mismatches.push(`${key}: ${ours.length} points instead of ${rows.length}`);
          continue;
        }
        const bad = rows.findIndex((r, i) => r[0] !== ours[i]![0] || r[1] !== ours[i]![1]);
        if (bad >= 0) mismatches.push(`${key} #${bad}: got ${ours[bad]!.join(' ')} expected ${rows[bad]!.join(' ')}`);
      }
      expect(mismatches).toEqual([]);
      expect(byteMismatches).toEqual([]);
      expect(got.size + compared).toBeGreaterThan(0);
    });
  }
});
