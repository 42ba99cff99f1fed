/** CSV (long and wide) and Arrow IPC into TsFiles: what goes in reads back out. */
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { importCsv } from '../../src/convert/import-csv.js';
import { importArrow } from '../../src/convert/import-arrow.js';
import { CsvParser } from '../../src/convert/csv-parser.js';
import { inferType } from '../../src/convert/infer.js';
import { DataType } from '../../src/format/codes.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';
import { MemorySink } from '../../src/writer/sink.js';
import { exportCsv } from '../../src/export/csv.js';
import { exportArrowIpc } from '../../src/export/arrow-ipc.js';
import { StringSink } from '../../src/export/text-sink.js';
import { expectedCsv, HAVE_SHARED, listFixtures } from '../helpers/fixtures.js';
import { epochVector } from '../../src/arrow/epoch-values.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function csvOf(bytes: Uint8Array): Promise<string> {
  const reader = await TsFileReader.open(bytes);
  const sink = new StringSink();
  await exportCsv(reader, sink);
  await reader.close();
  return sink.toString();
}

async function viaCsv(text: string, version: 3 | 4, options: Parameters<typeof importCsv>[2] = {}, chunk = 4093): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = await TsFileWriter.open(sink, { version });
  await importCsv(chunked(text, chunk), writer, options);
  await writer.close();
  return sink.bytes();
}

describe('CSV parsing and type inference', () => {
  it('parses quoted fields across chunk boundaries, doubled quotes and CRLF', () => {
    const text = 'a,b\r\n"x, ""y""\nz",2\r\n,\n';
    for (let size = 1; size <= text.length; size++) {
      const p = new CsvParser();
      const rows: string[][] = [];
      for (let i = 0; i < text.length; i += size) rows.push(...p.push(text.slice(i, i + size)));
      rows.push(...p.end());
      expect(rows, `chunk size ${size}`).toEqual([['a', 'b'], ['x, "y"\nz', '2'], ['', '']]);
    }
  });
  it('infers the narrowest type', () => {
    expect(inferType(['true', 'false', ''])).toBe(DataType.BOOLEAN);
    expect(inferType(['1', '-9223372036854775808'])).toBe(DataType.INT64);
    expect(inferType(['1', '2.5', 'NaN', '-Infinity', '-0', '1e-300'])).toBe(DataType.DOUBLE);
    expect(inferType(['2024-02-29'])).toBe(DataType.DATE);
    expect(inferType(['0x', '0x00ff'])).toBe(DataType.BLOB);
    expect(inferType(['1', 'x'])).toBe(DataType.TEXT);
  });
});

describe('wide CSV', () => {
  it('reads full-path columns, nulls, ISO times and explicit types', async () => {
    const text = ['Time,root.a.d1.s1,root.a.d1.s2,root.a.d2.flag', '1000,1,x,true', '2000,,y,', '1970-01-01T00:00:03Z,3,,false', ''].join('\n');
    const bytes = await viaCsv(text, 4, { types: { s1: DataType.INT32 } });
    expect(await csvOf(bytes)).toBe(
      [
        'device,measurement,time,value',
        'root.a.d1,s1,1000,1',
        'root.a.d1,s1,3000,3',
        'root.a.d1,s2,1000,x',
        'root.a.d1,s2,2000,y',
        'root.a.d2,flag,1000,true',
        'root.a.d2,flag,3000,false',
        '',
      ].join('\n'),
    );
    const reader = await TsFileReader.open(bytes);
    expect((await reader.timeseries('root.a.d1')).map((s) => s.dataType)).toEqual(['INT32', 'TEXT']);
  });

  it('names the device with an option and writes it aligned', async () => {
    const bytes = await viaCsv('time,v\n1,1.5\n2,\n3,2.5\n', 4, { device: 'root.x.y', aligned: true });
    const reader = await TsFileReader.open(bytes);
    const [d] = await reader.devices();
    expect(d).toMatchObject({ path: 'root.x.y', aligned: true });
    const rows: [bigint, number | null][] = [];
    for await (const { batch } of reader.scan()) for (let i = 0; i < batch.numRows; i++) rows.push([epochVector(batch.getChild('time')!)[i]!, batch.getChild('v')!.get(i)]);
    // An empty row holds no point: it is not written.
    expect(rows).toEqual([
      [1n, 1.5],
      [3n, 2.5],
    ]);
  });

  it('rejects a value that does not fit the column, naming it', async () => {
    await expect(viaCsv('time,v\n1,1\n2,x\n', 4, { device: 'root.x.y', types: { v: DataType.INT64 } })).rejects.toThrow(/value "x" is not a INT64 \(root\.x\.y\.v\)/);
    await expect(viaCsv('a,b\n1,2\n', 4)).rejects.toThrow(/line 1: the header must be device,measurement,time,value or start with a column named time/);
  });
});

describe.skipIf(!HAVE_SHARED)('Arrow IPC', () => {
  for (const name of ['aligned_all_types', 'strings', 'many_chunk_groups']) {
    it(`round trips ${name} through tsfile export --format arrow`, async () => {
      const [f] = listFixtures('java').filter((x) => x.name === name);
      const reader = await TsFileReader.open(f!.tsfile);
      const ipc = new StringSinkBytes();
      await exportArrowIpc(reader, ipc);
      await reader.close();
      const sink = new MemorySink();
      const writer = await TsFileWriter.open(sink);
      await importArrow(ipc.bytes(), writer, { aligned: name === 'aligned_all_types' });
      await writer.close();
      expect((await csvOf(sink.bytes())) === expectedCsv(f!)).toBe(true);
    });
  }
});

class StringSinkBytes {
  private parts: Uint8Array[] = [];
  write(chunk: string | Uint8Array): void {
    this.parts.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk.slice());
  }
  bytes(): Uint8Array {
    const n = this.parts.reduce((a, p) => a + p.length, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
