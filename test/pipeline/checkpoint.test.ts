import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Checkpoint } from '../../src/pipeline/checkpoint.js';
import { DirectoryWatcher, listSourceFiles } from '../../src/pipeline/file-source.js';
import { isTsFileError } from '../../src/io/errors.js';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ckpt-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('checkpoint file', () => {
  it('round-trips progress and a pending transaction through an atomic save', async () => {
    const file = path.join(dir, 'sub', 'c.json');
    const c = await Checkpoint.open(file, 'job-1');
    c.data.files['/a.tsfile'] = { size: 10, mtimeMs: 5, done: 3, rows: 300, complete: false };
    c.data.pending = { file: '/a.tsfile', from: 3, to: 6, segment: 1, attempt: 2, label: 'p-x-3-2' };
    await c.save();
    expect((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = await Checkpoint.open(file, 'job-1');
    expect(again.data).toEqual(c.data);
  });

  it('refuses a checkpoint of another job, a corrupt one and an unknown layout, with typed errors', async () => {
    const file = path.join(dir, 'c.json');
    await (await Checkpoint.open(file, 'job-1')).save();
    await expect(Checkpoint.open(file, 'job-2')).rejects.toSatisfy((e: unknown) => isTsFileError(e, 'INVALID_ARGUMENT'));
    await fs.writeFile(file, '{"version":1,"job":"job-1","fi');
    await expect(Checkpoint.open(file, 'job-1')).rejects.toSatisfy((e: unknown) => isTsFileError(e, 'CORRUPT'));
    await fs.writeFile(file, '{"version":7,"job":"job-1","files":{}}');
    await expect(Checkpoint.open(file, 'job-1')).rejects.toSatisfy((e: unknown) => isTsFileError(e, 'CORRUPT'));
  });
});

describe('file source', () => {
  it('lists .tsfile files of directories recursively, sorted, once each', async () => {
    await fs.mkdir(path.join(dir, 'x', 'y'), { recursive: true });
    for (const f of ['b.tsfile', 'x/a.tsfile', 'x/y/c.tsfile', 'x/notes.txt']) await fs.writeFile(path.join(dir, f), 'z');
    const files = await listSourceFiles([dir, path.join(dir, 'b.tsfile')]);
    expect(files.map((f) => path.relative(dir, f.path))).toEqual(['b.tsfile', 'x/a.tsfile', 'x/y/c.tsfile']);
    await expect(listSourceFiles([path.join(dir, 'missing')])).rejects.toSatisfy((e: unknown) => isTsFileError(e, 'NOT_FOUND'));
  });

  it('reports a new file only once its size has stopped changing', async () => {
    const w = new DirectoryWatcher([dir], []);
    expect(await w.poll()).toEqual([]);
    const f = path.join(dir, 'n.tsfile');
    await fs.writeFile(f, 'part');
    expect(await w.poll()).toEqual([]);
    await fs.appendFile(f, 'more');
    expect(await w.poll()).toEqual([]);
    const ready = await w.poll();
    expect(ready.map((r) => r.path)).toEqual([f]);
    expect(await w.poll()).toEqual([]);
  });
});
