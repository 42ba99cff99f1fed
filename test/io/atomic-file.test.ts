/** Atomic outputs and file identity: temp beside the target, moved only on success; same file through any spelling. */
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicFile, writeAtomically } from '../../src/io/atomic-file.js';
import { fileIdentity, findOutputConflict, sameIdentity } from '../../src/io/file-identity.js';
import { isTsFileError } from '../../src/io/errors.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'tsfile-atomic-'));

describe('AtomicFile', () => {
  it('writes beside the target and moves it into place on success', async () => {
    const dir = fresh();
    const target = join(dir, 'out.bin');
    await writeAtomically(target, async (temp) => {
      expect(temp.startsWith(join(dir, '.out.bin.'))).toBe(true);
      await writeFile(temp, 'complete');
      expect(readdirSync(dir)).toHaveLength(1);
    });
    expect(readFileSync(target, 'utf8')).toBe('complete');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('leaves an existing target byte-identical and no temporary file when the write fails', async () => {
    const dir = fresh();
    const target = join(dir, 'out.bin');
    writeFileSync(target, 'precious');
    await expect(writeAtomically(target, async (temp) => {
      await writeFile(temp, 'half');
      throw new Error('disk full');
    }, { overwrite: true })).rejects.toThrow('disk full');
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('refuses an existing target without overwrite, a directory, and a missing directory', async () => {
    const dir = fresh();
    const target = join(dir, 'out.bin');
    writeFileSync(target, 'precious');
    await expect(AtomicFile.create(target)).rejects.toSatisfy((e) => isTsFileError(e, 'IO') && /exists/.test((e as Error).message));
    await expect(AtomicFile.create(dir, { overwrite: true })).rejects.toSatisfy((e) => isTsFileError(e, 'IO') && /is a directory/.test((e as Error).message));
    await expect(AtomicFile.create(join(dir, 'no/such/x.bin'))).rejects.toSatisfy((e) => isTsFileError(e, 'IO') && /does not exist/.test((e as Error).message));
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it('does not replace a target that appeared while writing, unless told to', async () => {
    const dir = fresh();
    const target = join(dir, 'out.bin');
    const out = await AtomicFile.create(target);
    writeFileSync(out.tempPath, 'new');
    writeFileSync(target, 'arrived meanwhile');
    await expect(out.commit()).rejects.toSatisfy((e) => isTsFileError(e, 'IO') && /appeared/.test((e as Error).message));
    expect(readFileSync(target, 'utf8')).toBe('arrived meanwhile');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });
});

describe('file identity', () => {
  it('sees one file through a relative path, a symlink, a hard link and an absolute path', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'sub'));
    const file = join(dir, 'sub', 'a.tsfile');
    writeFileSync(file, 'x');
    symlinkSync(file, join(dir, 'link.tsfile'));
    linkSync(file, join(dir, 'hard.tsfile'));
    const id = await fileIdentity(file);
    for (const other of [join(dir, 'sub', '..', 'sub', 'a.tsfile'), join(dir, 'link.tsfile'), join(dir, 'hard.tsfile')]) {
      expect(sameIdentity(id, await fileIdentity(other)), other).toBe(true);
      expect(await findOutputConflict([file], [other])).toMatch(/is the input/);
    }
    writeFileSync(join(dir, 'b.tsfile'), 'x');
    expect(sameIdentity(id, await fileIdentity(join(dir, 'b.tsfile')))).toBe(false);
    expect(await findOutputConflict([file], [join(dir, 'new.tsfile')])).toBeUndefined();
  });

  it('finds two outputs that would be one file, existing or not', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'out'));
    expect(await findOutputConflict([], [join(dir, 'out', 'x'), join(dir, 'out', '..', 'out', 'x')])).toMatch(/two outputs would be one file/);
    symlinkSync(join(dir, 'out'), join(dir, 'alias'));
    expect(await findOutputConflict([], [join(dir, 'out', 'x'), join(dir, 'alias', 'x')])).toMatch(/two outputs would be one file/);
    expect(await findOutputConflict([], [join(dir, 'out', 'x'), join(dir, 'out', 'y')])).toBeUndefined();
  });
});
