/**
 * Every command × every misuse class: the exit code, exactly one line on stderr without a stack
 * trace, and every file that existed before byte-identical with nothing added (no partial output,
 * no temporary file).
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ExitCode } from '../../src/cli/args.js';
import { ErrorCode, TsFileError } from '../../src/io/errors.js';
import { CsvFileSink } from '../../src/pipeline/file-sinks.js';
import { FileSink } from '../../src/writer/file-sink.js';

const SAMPLE = join(import.meta.dirname, '../../fixtures/sample.tsfile');

async function run(argv: string[], signal?: AbortSignal): Promise<{ code: number; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  out.resume();
  const chunks: Buffer[] = [];
  err.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, { stdout: out, stderr: err, ...(signal !== undefined ? { signal } : {}) });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

/** Every entry below `dir`: files by content, links by target, directories as such. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, `link:${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(p);
      } else out.set(rel, readFileSync(p).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

let sampleCsv = '';

/** A fresh directory with the inputs every case draws on. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsfile-matrix-'));
  copyFileSync(SAMPLE, join(dir, 'in.tsfile'));
  writeFileSync(join(dir, 'in.csv'), sampleCsv);
  copyFileSync(SAMPLE, join(dir, 'existing.out'));
  writeFileSync(join(dir, 'text.txt'), 'these are not the bytes you are looking for\n');
  writeFileSync(join(dir, 'empty.tsfile'), '');
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'cut.tsfile'), readFileSync(SAMPLE).subarray(0, 4));
  writeFileSync(join(dir, 'cut.csv'), 'device,measurement,time,value\nroot.a.d,s,1,"never closed\n');
  mkdirSync(join(dir, 'emptydir'));
  mkdirSync(join(dir, 'sub'));
  symlinkSync(join(dir, 'in.tsfile'), join(dir, 'link.tsfile'));
  linkSync(join(dir, 'in.tsfile'), join(dir, 'hard.tsfile'));
  symlinkSync(join(dir, 'in.csv'), join(dir, 'link.csv'));
  linkSync(join(dir, 'in.csv'), join(dir, 'hard.csv'));
  mkdirSync(join(dir, 'd1'));
  mkdirSync(join(dir, 'd2'));
  copyFileSync(SAMPLE, join(dir, 'd1', 'x.tsfile'));
  copyFileSync(SAMPLE, join(dir, 'd2', 'x.tsfile'));
  copyFileSync(SAMPLE, join(dir, 'sub', 'in.tsfile'));
  return dir;
}

type Command = 'info' | 'export' | 'rewrite' | 'import' | 'recover' | 'load' | 'bench';

/** The command line of `cmd` reading IN and writing OUT (in `dir`). */
function argv(cmd: Command, dir: string, input: string, output: string, extra: string[] = []): string[] {
  const i = join(dir, input);
  const o = join(dir, output);
  switch (cmd) {
    case 'info': return ['info', i, ...extra];
    case 'export': return ['export', i, '-o', o, ...extra];
    case 'rewrite': return ['rewrite', i, o, '--threads', '0', ...extra];
    case 'import': return ['import', i, '-o', o, '--table', 'sensors', '--tag-columns', 'region', ...extra];
    case 'recover': return ['recover', i, '-o', o, ...extra];
    case 'load': return ['load', i, '--to', `csv:${o}`, ...extra];
    case 'bench': return ['bench', i, '--runs', '1', '--threads', '0', ...extra];
  }
}

const COMMANDS: Command[] = ['info', 'export', 'rewrite', 'import', 'recover', 'load', 'bench'];
const WRITERS: Command[] = ['export', 'rewrite', 'import', 'recover', 'load'];
const inputOf = (cmd: Command, kind: 'ok' | 'empty' | 'cut' | 'link' | 'hard') =>
  cmd === 'import' ? { ok: 'in.csv', empty: 'empty.csv', cut: 'cut.csv', link: 'link.csv', hard: 'hard.csv' }[kind] : { ok: 'in.tsfile', empty: 'empty.tsfile', cut: 'cut.tsfile', link: 'link.tsfile', hard: 'hard.tsfile' }[kind];

const BAD_VALUE: Record<Command, string[]> = {
  info: ['--json=yes'],
  export: ['--format', 'xml'],
  rewrite: ['--page-points', '0'],
  import: ['--sort-buffer', '-5'],
  recover: ['--index-degree', '1'],
  load: ['--batch-rows', '0'],
  bench: ['--runs', '0'],
};

interface Case {
  command: Command;
  misuse: string;
  code: number;
  argv: (dir: string) => string[];
  inject?: 'sink-error' | 'sigint';
}

const cases: Case[] = [];
for (const c of COMMANDS) {
  const ok = inputOf(c, 'ok');
  const fresh = 'new.out';
  cases.push({ command: c, misuse: 'missing path', code: ExitCode.FAILURE, argv: (d) => argv(c, d, 'no/such/file', fresh) });
  cases.push({ command: c, misuse: 'directory as input', code: ExitCode.FAILURE, argv: (d) => argv(c, d, 'emptydir', fresh) });
  cases.push({ command: c, misuse: 'not a TsFile / not CSV', code: ExitCode.FAILURE, argv: (d) => argv(c, d, c === 'import' ? 'in.tsfile' : 'text.txt', fresh) });
  cases.push({ command: c, misuse: 'empty', code: ExitCode.FAILURE, argv: (d) => argv(c, d, inputOf(c, 'empty'), fresh) });
  cases.push({ command: c, misuse: 'truncated', code: ExitCode.FAILURE, argv: (d) => argv(c, d, inputOf(c, 'cut'), fresh) });
  cases.push({ command: c, misuse: 'unknown option', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, fresh, ['--compresion', 'ZSTD']) });
  cases.push({ command: c, misuse: 'bad value', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, fresh, BAD_VALUE[c]) });
}
for (const c of WRITERS) {
  const ok = inputOf(c, 'ok');
  // --force: even when replacing is allowed, an input is never an output.
  cases.push({ command: c, misuse: 'input named twice (relative path)', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, `sub/../${ok}`, ['--force']) });
  cases.push({ command: c, misuse: 'input named twice (symlink)', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, inputOf(c, 'link'), ['--force']) });
  cases.push({ command: c, misuse: 'input named twice (hard link)', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, inputOf(c, 'hard'), ['--force']) });
  cases.push({
    command: c,
    misuse: 'input named twice (directory target)',
    code: ExitCode.USAGE,
    argv: (d) => (c === 'rewrite' ? ['rewrite', join(d, 'sub', 'in.tsfile'), join(d, 'sub'), '--force'] : argv(c, d, ok, 'sub', ['--force'])),
  });
  cases.push({ command: c, misuse: 'existing output', code: ExitCode.USAGE, argv: (d) => argv(c, d, ok, 'existing.out') });
  cases.push({ command: c, misuse: 'failure mid-write (sink error)', code: ExitCode.FAILURE, argv: (d) => argv(c, d, ok, 'existing.out', ['--force']), inject: 'sink-error' });
  cases.push({ command: c, misuse: 'SIGINT mid-write', code: ExitCode.CANCELLED, argv: (d) => argv(c, d, ok, 'existing.out', ['--force']), inject: 'sigint' });
}
cases.push({ command: 'rewrite', misuse: 'colliding outputs', code: ExitCode.USAGE, argv: (d) => ['rewrite', join(d, 'd1', 'x.tsfile'), join(d, 'd2', 'x.tsfile'), join(d, 'sub')] });

describe('misuse matrix', () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsfile-matrix-src-'));
    expect((await run(['export', SAMPLE, '-o', join(dir, 's.csv')])).code).toBe(0);
    sampleCsv = readFileSync(join(dir, 's.csv'), 'utf8');
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('each command with its input works (the baseline the misuses are measured against)', async () => {
    for (const c of COMMANDS) {
      const dir = workspace();
      const r = await run(argv(c, dir, inputOf(c, 'ok'), 'fresh.out'));
      expect(r.code, `${c}: ${r.stderr}`).toBe(0);
      if (WRITERS.includes(c)) expect(readdirSync(dir)).toContain('fresh.out');
    }
  }, 60_000);

  for (const k of cases) {
    it(`${k.command} × ${k.misuse} → exit ${k.code}`, async () => {
      const dir = workspace();
      const before = snapshot(dir);
      const controller = new AbortController();
      if (k.inject !== undefined) {
        const fail = () => {
          if (k.inject === 'sink-error') throw new TsFileError(ErrorCode.IO, 'injected write failure: no space left on device');
          controller.abort();
        };
        for (const proto of [FileSink.prototype, CsvFileSink.prototype] as { write(...a: unknown[]): unknown }[]) {
          const original = proto.write;
          let calls = 0;
          vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, ...a: unknown[]) {
            if (++calls === 2) fail();
            return original.apply(this, a);
          });
        }
      }
      const r = await run(k.argv(dir), controller.signal);
      expect(r.code, r.stderr).toBe(k.code);
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^tsfile ${k.command}: `));
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(snapshot(dir)).toEqual(before);
    }, 30_000);
  }
});
