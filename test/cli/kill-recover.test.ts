/**
 * Crash safety: a writer process killed (SIGKILL) at random moments leaves a file that
 * `tsfile recover` repairs into a valid file holding exactly the chunk groups that were complete.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { epochVector } from '../../src/arrow/epoch-values.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

/** A writer that flushes a chunk group of 1000 rows per device every few milliseconds, for a long time. */
const WRITER_SCRIPT = `
import '${join(REPO_ROOT, 'src/local-files.ts')}';
import { TsFileWriter } from '${join(REPO_ROOT, 'src/writer/tsfile-writer.ts')}';
const w = await TsFileWriter.open(process.argv[2], { chunkGroupSizeBytes: 1 });
w.registerTimeseries('root.kill.d1', [{ measurement: 'v', dataType: 'INT64', encoding: 'TS_2DIFF', compression: 'LZ4' }]);
w.registerAlignedDevice('root.kill.d2', [{ measurement: 'a', dataType: 'DOUBLE', encoding: 'GORILLA' }, { measurement: 's', dataType: 'TEXT' }]);
process.stdout.write('ready\\n');
for (let g = 0; g < 100000; g++) {
  const time = BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(g * 1000 + i));
  await w.write('root.kill.d1', { time, columns: { v: BigInt64Array.from({ length: 1000 }, (_, i) => BigInt(g * 1000 + i) * 3n) } });
  await w.write('root.kill.d2', { time, columns: { a: Float64Array.from({ length: 1000 }, (_, i) => g + i / 1000), s: Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? null : 'g' + g)) } });
  await w.flush();
}
await w.close();
`;

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, stdout: Buffer.concat(chunks).toString() };
}

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('killed writers', () => {
  it('recover keeps every complete chunk group, at any kill point', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfile-kill-'));
    const script = join(dir, 'writer.mts');
    writeFileSync(script, WRITER_SCRIPT);
    const rnd = prng(20261121);
    for (let round = 0; round < 6; round++) {
      const file = join(dir, `killed-${round}.tsfile`);
      const child = spawn(process.execPath, ['--import', 'tsx', script, file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<[number | null, string | null]>((r) => child.once('exit', (code, signal) => r([code, signal])));
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      // Kill at a random moment once the first bytes reached the file (before that there is nothing to recover).
      for (let i = 0; i < 500 && (!existsSync(file) || statSync(file).size < 7); i++) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, rnd() * 400));
      child.kill('SIGKILL');
      const [code, signal] = await exited;
      // The writer was still running when it was killed (it never stops by itself in time).
      expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
      const rec = await run(['recover', file]);
      expect(rec.code, rec.stdout).toBe(0);
      // The recovered file is valid and holds whole chunk groups: equal row counts for both devices
      // (a group of d1 may be complete while the following d2 group was cut), each a multiple of 1000.
      const reader = await TsFileReader.open(file);
      const rows = new Map<string, number>();
      for await (const { device, batch } of reader.scan({ threads: 0 })) {
        rows.set(device, (rows.get(device) ?? 0) + batch.numRows);
        const t = epochVector(batch.getChild('time')!);
        for (let i = 0; i < batch.numRows; i += 97) {
          const time = t[i]!;
          if (device === 'root.kill.d1') expect(batch.getChild('v')!.get(i)).toBe(time * 3n);
          else expect(batch.getChild('a')!.get(i)).toBe(Number(time / 1000n) + Number(time % 1000n) / 1000);
        }
      }
      await reader.close();
      const d1 = rows.get('root.kill.d1') ?? 0;
      const d2 = rows.get('root.kill.d2') ?? 0;
      expect(d1 % 1000).toBe(0);
      expect(d2 % 1000).toBe(0);
      expect(d1 - d2 === 0 || d1 - d2 === 1000).toBe(true);
      expect(readFileSync(file).subarray(-6).toString()).toBe('TsFile');
    }
  }, 120_000);
});
