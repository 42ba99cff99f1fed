/**
 * Recovery (§15): a file written through the file sink is cut at many offsets; recovering keeps
 * exactly the chunk groups whose following marker survived, and the result reads back.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/io/errors.js';
import { recoverTsFile } from '../../src/writer/recover.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { readBack } from './read-back.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsfile-recover-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Written {
  bytes: Uint8Array;
  /** End offset of each flush's chunk groups (= offset of the next marker). */
  flushEnds: number[];
  /** Times written per flush, per device. */
  perFlush: Map<string, bigint[]>[];
}

async function writeSample(file: string): Promise<Written> {
  const w = await TsFileWriter.open(file, { maxPointsPerPage: 40 });
  w.registerTimeseries('root.r.plain', [
    { measurement: 'i', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' },
    { measurement: 's', dataType: 'TEXT', encoding: 'DICTIONARY', compression: 'GZIP' },
  ]);
  w.registerAlignedDevice('root.r.al', [
    { measurement: 'd', dataType: 'DOUBLE', encoding: 'GORILLA', compression: 'SNAPPY' },
    { measurement: 'b', dataType: 'BOOLEAN', encoding: 'RLE' },
  ]);
  const flushEnds: number[] = [];
  const perFlush: Map<string, bigint[]>[] = [];
  let t = 0;
  for (let g = 0; g < 4; g++) {
    const n = 30 + g * 25;
    const time = BigInt64Array.from({ length: n }, () => BigInt(++t));
    // One chunk group per flush, so every flush end is a group end.
    await w.write('root.r.plain', { time, columns: { i: Array.from(time, (x) => x * 3n), s: Array.from(time, (x) => `v${x % 4n}`) } });
    await w.flush();
    flushEnds.push(w.bytesWritten);
    perFlush.push(new Map([['plain', [...time]]]));
    await w.write('root.r.al', { time, columns: { d: Array.from(time, (x) => (x % 5n === 0n ? null : Number(x) / 2)), b: Array.from(time, (x) => x % 2n === 0n) } });
    await w.flush();
    flushEnds.push(w.bytesWritten);
    perFlush.push(new Map([['al', [...time]]]));
  }
  await w.close();
  return { bytes: readFileSync(file), flushEnds, perFlush };
}

describe('recoverTsFile', () => {
  it('keeps every complete chunk group for cuts all through the file', async () => {
    const src = path.join(dir, 'full.tsfile');
    const { bytes, flushEnds, perFlush } = await writeSample(src);
    const metaOffset = flushEnds[flushEnds.length - 1]!;
    const cuts = new Set<number>([7, 8, bytes.length - 1, bytes.length - 6, metaOffset, metaOffset + 1, metaOffset + 2]);
    for (const e of flushEnds) for (const d of [-2, -1, 0, 1, 2, 25]) cuts.add(e + d);
    for (let c = 7; c < bytes.length; c += 97) cuts.add(c);
    const cut = path.join(dir, 'cut.tsfile');
    for (const at of [...cuts].filter((c) => c >= 7 && c < bytes.length).sort((a, b) => a - b)) {
      writeFileSync(cut, bytes);
      truncateSync(cut, at);
      const result = await recoverTsFile(cut);
      expect(result.status).toBe('recovered');
      // A flush's groups are kept when the marker after them (next group or separator) is in the file.
      const kept = flushEnds.filter((e) => at > e).length;
      const back = await readBack(readFileSync(cut));
      const plainTimes = perFlush.slice(0, kept).flatMap((m) => m.get('plain') ?? []);
      const alTimes = perFlush.slice(0, kept).flatMap((m) => m.get('al') ?? []);
      expect(back.size, `cut at ${at}`).toBe((plainTimes.length > 0 ? 1 : 0) + (alTimes.length > 0 ? 1 : 0));
      if (plainTimes.length > 0) {
        expect(back.get('root.r.plain')!.get('i')!.times, `cut at ${at}`).toEqual(plainTimes);
        expect(back.get('root.r.plain')!.get('i')!.values).toEqual(plainTimes.map((x) => x * 3n));
        expect(back.get('root.r.plain')!.get('s')!.values).toEqual(plainTimes.map((x) => `v${x % 4n}`));
      }
      if (alTimes.length > 0) {
        expect(back.get('root.r.al')!.get('b')!.times, `cut at ${at}`).toEqual(alTimes);
        expect(back.get('root.r.al')!.get('d')!.times).toEqual(alTimes.filter((x) => x % 5n !== 0n));
        expect(back.get('root.r.al')!.get('d')!.values).toEqual(alTimes.filter((x) => x % 5n !== 0n).map((x) => Number(x) / 2));
      }
      expect(result.chunkGroups).toBe(kept);
    }
  });

  it('leaves a complete file alone and rebuilds the same index as the writer', async () => {
    const src = path.join(dir, 'complete.tsfile');
    const { bytes, flushEnds } = await writeSample(src);
    expect((await recoverTsFile(src)).status).toBe('complete');
    expect(Buffer.from(readFileSync(src)).equals(Buffer.from(bytes))).toBe(true);
    // Cut right after the separator: the rebuilt index must equal the one the writer wrote.
    truncateSync(src, flushEnds[flushEnds.length - 1]! + 1);
    const r = await recoverTsFile(src);
    expect(r.finalSize).toBe(bytes.length);
    expect(Buffer.from(readFileSync(src)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('puts table schemas back when given', async () => {
    const file = path.join(dir, 'table.tsfile');
    const w = await TsFileWriter.open(file);
    w.registerTable('t1', [
      { name: 'id1', category: 'TAG' },
      { name: 'm1', category: 'FIELD', dataType: 'INT64', encoding: 'PLAIN', compression: 'UNCOMPRESSED' },
    ]);
    await w.write('t1', { time: [1, 2], columns: { id1: ['a', 'a'], m1: [100n, 101n] } });
    await w.close();
    const whole = readFileSync(file);
    const sep = whole.indexOf(0x02, 7);
    truncateSync(file, whole.length - 3);
    await recoverTsFile(file, {
      tableSchemas: [
        {
          tableName: 't1',
          columns: [
            { name: 'id1', dataType: 11, category: 0, encoding: 0, compression: 0 },
            { name: 'm1', dataType: 2, category: 1, encoding: 0, compression: 0 },
          ],
        },
      ],
    });
    expect(sep).toBeGreaterThan(7);
    expect(Buffer.from(readFileSync(file)).equals(whole)).toBe(true);
  });

  it('a writer whose sink fails mid-way leaves bytes that recover to the groups before the failure', async () => {
    const kept: Uint8Array[] = [];
    let total = 0;
    const failing = {
      name: 'failing',
      write(b: Uint8Array) {
        if (total + b.length > 3000) throw new Error('disk full');
        kept.push(b.slice());
        total += b.length;
      },
      close() {},
    };
    const w = await TsFileWriter.open(failing);
    w.registerTimeseries('root.f.d', [{ measurement: 'v', dataType: 'INT64', encoding: 'PLAIN', compression: 'UNCOMPRESSED' }]);
    let written = 0;
    await expect(
      (async () => {
        for (let g = 0; g < 100; g++) {
          const time = BigInt64Array.from({ length: 50 }, (_, i) => BigInt(g * 50 + i));
          await w.write('root.f.d', { time, columns: { v: time } });
          await w.flush();
          written = (g + 1) * 50;
        }
      })(),
    ).rejects.toThrow(/disk full/);
    await expect(w.write('root.f.d', { time: [1_000_000], columns: { v: [1n] } })).rejects.toMatchObject({ code: ErrorCode.IO });
    const file = path.join(dir, 'failed.tsfile');
    writeFileSync(file, Buffer.concat(kept));
    await recoverTsFile(file);
    const v = (await readBack(readFileSync(file))).get('root.f.d')!.get('v')!;
    // Every flushed group whose successor's marker reached the disk is back, in order.
    expect(v.times.length).toBeGreaterThan(0);
    expect(v.times.length).toBeLessThanOrEqual(written);
    expect(v.times).toEqual(v.times.map((_, i) => BigInt(i)));
    expect(v.values).toEqual(v.times);
  });

  it('refuses what is not a TsFile', async () => {
    const file = path.join(dir, 'junk.bin');
    writeFileSync(file, Buffer.from('not a tsfile at all'));
    await expect(recoverTsFile(file)).rejects.toMatchObject({ code: ErrorCode.NOT_A_TSFILE });
  });
});
