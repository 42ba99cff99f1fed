/**
 * The WebAssembly kernels against their TypeScript twins: on every page of the shared fixtures, on
 * round trips of every type × encoding they serve (extremes included), on damaged streams (same
 * values or the same typed error), and through whole scans inline and pooled. The committed module
 * must also be what the AssemblyScript sources compile to.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { tableToIPC, Table } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { createDecodePool, PoolRunner } from '../../src/engine/pool-runner.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { inlineRunner, type TaskRunner } from '../../src/reader/task-runner.js';
import { decodeTimes, decodeValues, encodeTimes, encodeValues } from '../../src/encoding/index.js';
import type { ColumnValues } from '../../src/encoding/types.js';
import { useWasmKernels, wasmKernelsActive } from '../../src/encoding/wasm-kernels.js';
import { DataType as T, Encoding as E, encodingName, dataTypeName } from '../../src/format/codes.js';
import { isTsFileError } from '../../src/io/errors.js';
import { FIXTURES, haveFixtures, readFixtureChunks } from './fixture-pages.js';
import { doubleSets, floatSets, int32Sets, int64Sets, rng, SIZES } from './data.js';

const pool = createDecodePool(2);
afterAll(async () => {
  useWasmKernels(true);
  await pool.destroy();
});

/** Raw bytes of a decoded fixed-width column (bit-exact comparison, NaN payloads included). */
function bytesOf(v: ColumnValues): Uint8Array {
  if ('offsets' in v) throw new Error('binary column');
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

type Outcome = { bytes: Uint8Array } | { error: string };

function outcome(run: () => ColumnValues): Outcome {
  try {
    return { bytes: bytesOf(run()).slice() };
  } catch (e) {
    if (!isTsFileError(e)) throw e;
    return { error: `${e.code}: ${e.message}` };
  }
}

/** '' when both outcomes are the same error or the same bytes; otherwise where they first differ (fast on large pages). */
function difference(a: Outcome, b: Outcome | Uint8Array): string {
  const other: Outcome = b instanceof Uint8Array ? { bytes: b } : b;
  if ('error' in a || 'error' in other) return JSON.stringify(a) === JSON.stringify(other) ? '' : `${'error' in a ? a.error : 'values'} vs ${'error' in other ? other.error : 'values'}`;
  const x = a.bytes;
  const y = other.bytes;
  if (x.length !== y.length) return `${x.length} vs ${y.length} bytes`;
  const i = Buffer.compare(x, y) === 0 ? -1 : x.findIndex((v, k) => v !== y[k]);
  return i < 0 ? '' : `byte ${i}: ${x[i]} vs ${y[i]}`;
}

/** Decodes with the kernels and with TypeScript only; both outcomes. */
function bothWays(run: () => ColumnValues): [Outcome, Outcome] {
  useWasmKernels(true);
  const wasm = outcome(run);
  useWasmKernels(false);
  const ts = outcome(run);
  useWasmKernels(true);
  return [wasm, ts];
}

const VALUE_CASES: [E, T][] = [
  [E.TS_2DIFF, T.INT64],
  [E.TS_2DIFF, T.TIMESTAMP],
  [E.GORILLA, T.INT64],
  [E.GORILLA, T.DOUBLE],
  [E.GORILLA, T.INT32],
  [E.GORILLA, T.FLOAT],
  [E.PLAIN, T.INT64],
  [E.PLAIN, T.DOUBLE],
  [E.PLAIN, T.FLOAT],
];
const served = (e: number, t: T) => VALUE_CASES.some(([ce, ct]) => ce === e && ct === t);

function datasets(t: T, n: number): { name: string; values: ColumnValues }[] {
  switch (t) {
    case T.INT32:
      return int32Sets(n);
    case T.FLOAT:
      return floatSets(n);
    case T.DOUBLE:
      return doubleSets(n);
    default:
      return int64Sets(n);
  }
}

/** The column with every NaN replaced by the canonical quiet NaN (other values keep their bits). */
function canonicalNaN(v: ColumnValues): ColumnValues {
  if (v instanceof Float32Array) return v.map((x) => (Number.isNaN(x) ? NaN : x));
  if (v instanceof Float64Array) return v.map((x) => (Number.isNaN(x) ? NaN : x));
  return v;
}

describe('WebAssembly kernels', () => {
  it('are active in Node', () => {
    expect(wasmKernelsActive()).toBe(true);
  });

  it('are what the AssemblyScript sources compile to', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    expect(() => execFileSync(process.execPath, ['src/encoding/build-kernels.mjs', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  describe('round trips agree with TypeScript and give the values back', () => {
    for (const [e, t] of VALUE_CASES) {
      for (const n of SIZES) {
        it(`${encodingName(e)} ${dataTypeName(t)} × ${n}`, () => {
          for (const d of datasets(t, n)) {
            const bytes = encodeValues(e, t, d.values);
            const [wasm, ts] = bothWays(() => decodeValues(e, t, bytes, n));
            expect(difference(wasm, ts), d.name).toBe('');
            // Lossless, except that PLAIN writes every NaN as the canonical one (like Java).
            const expected = e === E.PLAIN ? canonicalNaN(d.values) : d.values;
            expect(difference(wasm, bytesOf(expected)), d.name).toBe('');
          }
        });
      }
    }
    it('TS_2DIFF time columns', () => {
      for (const n of SIZES) {
        for (const d of int64Sets(n)) {
          const bytes = encodeTimes(E.TS_2DIFF, d.values as BigInt64Array);
          const [wasm, ts] = bothWays(() => decodeTimes(E.TS_2DIFF, bytes, 1 << 20));
          expect(difference(wasm, ts), d.name).toBe('');
          expect(difference(wasm, bytesOf(d.values)), d.name).toBe('');
          // Into a caller's buffer with room, and past a limit.
          const into = new BigInt64Array(n + 3);
          expect(difference({ bytes: bytesOf(decodeTimes(E.TS_2DIFF, bytes, 1 << 20, { into })) }, bytesOf(d.values))).toBe('');
          if (n > 1) expect(bothWays(() => decodeTimes(E.TS_2DIFF, bytes, n - 1))[0]).toHaveProperty('error');
        }
      }
    }, 30_000);
  });

  it('the TS_2DIFF encoder kernel writes the TypeScript encoder\'s bytes', () => {
    for (const n of [...SIZES, 0, 2, 257, 1000]) {
      for (const d of int64Sets(n)) {
        const v = d.values as BigInt64Array;
        useWasmKernels(true);
        const wasm = encodeValues(E.TS_2DIFF, T.INT64, v);
        const wasmTimes = encodeTimes(E.TS_2DIFF, v);
        useWasmKernels(false);
        const ts = encodeValues(E.TS_2DIFF, T.INT64, v);
        useWasmKernels(true);
        expect(difference({ bytes: wasm }, ts), `${d.name} × ${n}`).toBe('');
        expect(difference({ bytes: wasmTimes }, ts), `${d.name} × ${n}`).toBe('');
      }
    }
    // Every delta width 0..64 (a block per width), through the into-path the writer uses.
    const r = rng(64);
    const v = new BigInt64Array(129 * 65);
    for (let width = 0; width <= 64; width++) {
      for (let k = 1; k < 129; k++) {
        const delta = width === 0 ? 0n : BigInt.asIntN(64, (1n << BigInt(width - 1)) | BigInt(Math.floor(r() * 2 ** 31)));
        v[129 * width + k] = BigInt.asIntN(64, v[129 * width + k - 1]! + (k % 2 === 0 ? delta : 0n));
      }
    }
    useWasmKernels(false);
    const ts = encodeValues(E.TS_2DIFF, T.INT64, v);
    useWasmKernels(true);
    expect(difference({ bytes: encodeValues(E.TS_2DIFF, T.INT64, v) }, ts)).toBe('');
    expect(difference({ bytes: bytesOf(decodeValues(E.TS_2DIFF, T.INT64, ts, v.length)) }, bytesOf(v))).toBe('');
  });

  it('damaged streams give the same values or the same typed error', () => {
    const r = rng(12);
    let errors = 0;
    for (const [e, t] of VALUE_CASES) {
      for (const d of datasets(t, 300)) {
        const good = encodeValues(e, t, d.values);
        for (let trial = 0; trial < 12; trial++) {
          const bad = good.slice();
          const kind = trial % 3;
          let src = bad;
          if (kind === 0) bad[Math.floor(r() * bad.length)] ^= 1 << Math.floor(r() * 8);
          else if (kind === 1) src = bad.subarray(0, Math.floor(r() * bad.length));
          else for (let k = 0; k < 4; k++) bad[Math.floor(r() * Math.min(bad.length, 32))] = Math.floor(r() * 256);
          const count = trial === 11 ? 301 : 300;
          const [wasm, ts] = bothWays(() => decodeValues(e, t, src, count));
          expect(difference(wasm, ts), `${encodingName(e)} ${dataTypeName(t)} ${d.name} trial ${trial}`).toBe('');
          if ('error' in ts) errors++;
        }
        const times = encodeTimes(E.TS_2DIFF, int64Sets(300)[0]!.values as BigInt64Array);
        const cut = times.subarray(0, Math.floor(r() * times.length));
        const [wasm, ts] = bothWays(() => decodeTimes(E.TS_2DIFF, cut, 1 << 20));
        expect(difference(wasm, ts)).toBe('');
      }
    }
    expect(errors).toBeGreaterThan(50);
  }, 60_000);

  const files = haveFixtures
    ? ['java', 'cpp'].flatMap((dir) =>
        readdirSync(path.join(FIXTURES, dir))
          .filter((f) => f.endsWith('.tsfile'))
          .map((f) => `${dir}/${f}`),
      )
    : [];
  describe.skipIf(!haveFixtures)('every fixture page the kernels serve decodes identically', () => {
    for (const file of files) {
      it(file, () => {
        let checked = 0;
        for (const chunk of readFixtureChunks(file)) {
          for (const page of chunk.pages) {
            if (page.body === undefined || page.empty) continue;
            const body = page.body;
            // Non-aligned pages: uvarint time length, TS_2DIFF times, then the values.
            const aligned = (chunk.marker & 0xc0) !== 0;
            if (aligned) {
              if (chunk.type === T.VECTOR && chunk.encoding === E.TS_2DIFF) {
                const [wasm, ts] = bothWays(() => decodeTimes(E.TS_2DIFF, body, 1 << 22));
                expect(difference(wasm, ts)).toBe('');
                checked++;
              }
              continue;
            }
            let p = 0;
            let timeLen = 0;
            for (let shift = 0; ; shift += 7) {
              const b = body[p++]!;
              timeLen |= (b & 127) << shift;
              if ((b & 128) === 0) break;
            }
            const timeBytes = body.subarray(p, p + timeLen);
            const [wt, tt] = bothWays(() => decodeTimes(E.TS_2DIFF, timeBytes, 1 << 22));
            expect(difference(wt, tt)).toBe('');
            checked++;
            if ('error' in tt || !served(chunk.encoding, chunk.type)) continue;
            const count = tt.bytes.length / 8;
            const [wv, tv] = bothWays(() => decodeValues(chunk.encoding as E, chunk.type, body.subarray(p + timeLen), count));
            expect(difference(wv, tv), `${chunk.device}.${chunk.measurement}`).toBe('');
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(0);
      }, 60_000);
    }
  });

  describe.skipIf(!haveFixtures)('whole scans: pooled with kernels = inline without', () => {
    /** Every batch of a scan as Arrow IPC bytes: identical bytes mean identical data and layout. */
    async function scanBytes(file: string, runner: TaskRunner): Promise<string[]> {
      const reader = await TsFileReader.open(path.join(FIXTURES, file), { runner });
      const out: string[] = [];
      for await (const { device, batch } of reader.scan({ batchRows: 4096 })) out.push(`${device}:${Buffer.from(tableToIPC(new Table([batch]), 'stream')).toString('base64')}`);
      await reader.close();
      return out;
    }
    for (const file of ['cpp/all_encodings_lz4.tsfile', 'cpp/many_pages.tsfile', 'java/combo_timestamp_ts_2diff.tsfile']) {
      it(file, async () => {
        useWasmKernels(false);
        const ts = await scanBytes(file, inlineRunner);
        useWasmKernels(true);
        const inline = await scanBytes(file, inlineRunner);
        const pooled = await scanBytes(file, new PoolRunner(pool, { minTaskBytes: 0 }));
        expect(ts.length).toBeGreaterThan(0);
        expect(inline.join() === ts.join()).toBe(true);
        expect(pooled.join() === ts.join()).toBe(true);
      }, 60_000);
    }
  });
});
