/** Strict CSV (errors with lines), any row order (sorted with spilled runs, or refused with presorted), JSON lines, table model. */
import { readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/compression/native.js';
import { CsvParser } from '../../src/convert/csv-parser.js';
import { importCsv } from '../../src/convert/import-csv.js';
import { importJsonLines } from '../../src/convert/import-jsonl.js';
import { memorySource, mergeSources, RunStore, SeriesBuffer } from '../../src/convert/import-sort.js';
import { exportCsv } from '../../src/export/csv.js';
import { exportJsonLines } from '../../src/export/jsonl.js';
import { StringSink } from '../../src/export/text-sink.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import { MemorySink } from '../../src/writer/sink.js';
import { TsFileWriter } from '../../src/writer/tsfile-writer.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function parseAll(text: string, size = 7): { rows: string[][]; lines: number[] } {
  const p = new CsvParser('in.csv');
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = 0; i < text.length; i += size) {
    rows.push(...p.push(text.slice(i, i + size)));
    lines.push(...p.lines);
  }
  rows.push(...p.end());
  lines.push(...p.lines);
  return { rows, lines };
}

async function csvOf(bytes: Uint8Array): Promise<string> {
  const reader = await TsFileReader.open(bytes);
  const sink = new StringSink();
  await exportCsv(reader, sink);
  await reader.close();
  return sink.toString();
}

async function write(fn: (w: TsFileWriter) => Promise<unknown>): Promise<Uint8Array> {
  const sink = new MemorySink();
  const writer = await TsFileWriter.open(sink);
  await fn(writer);
  await writer.close();
  return sink.bytes();
}

describe('RFC 4180 CSV', () => {
  it('drops a BOM, keeps quoted line breaks, and reports the line each row starts on', () => {
    for (const size of [1, 3, 7, 100]) {
      const { rows, lines } = parseAll('\uFEFFa,b\r\n"x\r\ny",1\r\n"",2\r\nlast,3', size);
      expect(rows).toEqual([['a', 'b'], ['x\r\ny', '1'], ['', '2'], ['last', '3']]);
      expect(lines).toEqual([1, 2, 4, 5]);
    }
  });

  it('refuses an unclosed quote, a stray quote and text after a closing quote, naming file and line', () => {
    expect(() => parseAll('a,b\n1,2\n"open,3\n4,5\n')).toThrow(/line 3: a quoted field is not closed.*\(in\.csv\)/);
    expect(() => parseAll('a,b\n1,x"y\n')).toThrow(/line 2: a quote inside an unquoted field.*\(in\.csv\)/);
    expect(() => parseAll('a,b\n"1"x,2\n')).toThrow(/line 2: text after the closing quote/);
  });

  it('import names the line of a bad row, counting quoted line breaks', async () => {
    const text = 'device,measurement,time,value\nroot.a.d,s,1,"two\nlines"\nroot.a.d,s,2\n';
    await expect(write((w) => importCsv(chunked(text, 5), w, { file: 'x.csv' }))).rejects.toThrow(/line 4: expected 4 fields .*\(x\.csv\)/);
    await expect(write((w) => importCsv(chunked('time,root.a.d.s\n1,1\nsoon,2\n', 5), w))).rejects.toThrow(/line 3: time "soon"/);
  });
});

describe('rows in any order', () => {
  const shuffled = (n: number): string => {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = (i * 7919) % n; // a permutation of 0..n-1
      lines.push(`root.a.d${t % 3},s${t % 2},${t},${t * 2}`);
    }
    return `device,measurement,time,value\n${lines.join('\n')}\n`;
  };
  const sortedCsv = (n: number): string => {
    const rows: string[] = [];
    for (let t = 0; t < n; t++) rows.push(`root.a.d${t % 3},s${t % 2},${t},${t * 2}`);
    rows.sort((a, b) => {
      const [da, ma, ta] = a.split(',');
      const [db, mb, tb] = b.split(',');
      return da! < db! ? -1 : da! > db! ? 1 : ma! < mb! ? -1 : ma! > mb! ? 1 : Number(ta) - Number(tb);
    });
    return `device,measurement,time,value\n${rows.join('\n')}\n`;
  };

  it('sorts per device by time, spilling sorted runs to temporary files and removing them', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'tsfile-sort-'));
    const bytes = await write((w) => importCsv(chunked(shuffled(5000), 999), w, { maxPointsInMemory: 400, tempDir, batchRows: 300 }));
    expect(await csvOf(bytes)).toBe(sortedCsv(5000));
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('merges spilled runs into whole rows for aligned and table-model devices', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'tsfile-sort-'));
    const aligned = await write((w) => importCsv(chunked(shuffled(5000), 999), w, { maxPointsInMemory: 400, tempDir, batchRows: 300, aligned: true }));
    expect(await csvOf(aligned)).toBe(sortedCsv(5000));
    const reader = await TsFileReader.open(aligned);
    expect((await reader.devices()).map((d) => d.aligned)).toEqual([true, true, true]);
    await reader.close();
    const asTable = (csv: string) => csv.replaceAll('root.a.d', 'plant.d');
    const table = await write((w) => importCsv(chunked(asTable(shuffled(5000)), 999), w, { maxPointsInMemory: 400, tempDir, batchRows: 300, table: { name: 'plant', tagColumns: ['unit'] } }));
    expect(await csvOf(table)).toBe(asTable(sortedCsv(5000)));
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('the run store spills sorted series beyond its bound and merges them by time, then line', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'tsfile-sort-'));
    const store = new RunStore(tempDir);
    const buffers = [new SeriesBuffer(), new SeriesBuffer()];
    const input: { series: number; time: bigint; line: number; value: string }[][] = [[], []];
    for (let i = 0; i < 95; i++) {
      // Times repeat (ties order by line); values hold commas, quotes and non-ASCII text.
      const p = { series: i % 2, time: BigInt(((i * 37) % 40) - 20), line: i + 1, value: i % 3 === 0 ? `é"${i},ü` : String(i) };
      input[p.series]!.push(p);
      buffers[p.series]!.pushBig(p.time, p.line, p.value);
      if ((i + 1) % 10 === 0) await store.spill(buffers.map((b, id) => [id, b] as [number, SeriesBuffer]), 3);
    }
    expect(store.spilledRuns).toBe(9);
    for (const id of [0, 1]) {
      const b = buffers[id]!;
      b.sort();
      const out: { time: bigint; line: number; value: string }[] = [];
      for await (const block of mergeSources([...store.sources(id), memorySource(b, 4)], 5)) {
        expect(block.length).toBeLessThanOrEqual(5);
        for (let i = 0; i < block.length; i++) out.push({ time: block.times[i]!, line: block.lines[i]!, value: block.text.slice(i === 0 ? 0 : block.ends[i - 1], block.ends[i]) });
      }
      const want = input[id]!.map(({ time, line, value }) => ({ time, line, value })).sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : x.line - y.line));
      expect(out).toEqual(want);
    }
    await store.dispose();
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('a series buffer sorts by time, ties in arrival order, for times near zero and near the int64 limits', () => {
    for (const spread of [1000n, 2n ** 62n]) {
      const b = new SeriesBuffer();
      const want: { time: bigint; line: number; value: string }[] = [];
      for (let i = 0; i < 500; i++) {
        const time = (BigInt((i * 7919) % 97) - 48n) * (spread / 48n);
        want.push({ time, line: i + 1, value: `v${i}` });
        if (spread === 1000n) b.push(Number(time), i + 1, `v${i}`);
        else b.pushBig(time, i + 1, `v${i}`);
      }
      expect(b.ascending).toBe(false);
      b.sort();
      const block = b.block(0, b.length);
      const got = Array.from({ length: block.length }, (_, i) => ({ time: block.times[i]!, line: block.lines[i]!, value: block.text.slice(i === 0 ? 0 : block.ends[i - 1], block.ends[i]) }));
      expect(got).toEqual(want.sort((x, y) => (x.time < y.time ? -1 : x.time > y.time ? 1 : x.line - y.line)));
    }
  });

  it('with presorted, refuses the first point out of time order, naming its line', async () => {
    const text = 'time,root.a.d.s\n1,1\n3,3\n2,2\n';
    await expect(write((w) => importCsv(chunked(text, 4), w, { presorted: true }))).rejects.toThrow(/line 4: time 2 of root\.a\.d\.s comes after time 3.*leave --presorted out/);
    expect(await csvOf(await write((w) => importCsv(chunked(text, 4), w)))).toBe('device,measurement,time,value\nroot.a.d,s,1,1\nroot.a.d,s,2,2\nroot.a.d,s,3,3\n');
  });

  it('refuses two values of one series at one time, naming both lines', async () => {
    const text = 'device,measurement,time,value\nroot.a.d,s,5,1\nroot.a.d,s,4,1\nroot.a.d,s,5,2\n';
    await expect(write((w) => importCsv(chunked(text, 4), w))).rejects.toThrow(/root\.a\.d\.s has two values at time 5 \(the other on line [24]\)/);
  });
});

describe('JSON lines and the table model', () => {
  it('reads back what export --format jsonl writes, keeping strings that look like numbers as TEXT', async () => {
    const rows = [
      '{"device":"root.j.d","time":2,"n":"12","x":-0.0,"b":true,"big":"9223372036854775807"}',
      '{"device":"root.j.d","time":1,"n":"x","x":"NaN","b":false,"big":1}',
    ];
    const bytes = await write((w) => importJsonLines(chunked(`${rows.join('\n')}\n`, 10), w));
    const reader = await TsFileReader.open(bytes);
    expect(Object.fromEntries((await reader.timeseries('root.j.d')).map((s) => [s.measurement, s.dataType]))).toEqual({ n: 'TEXT', x: 'DOUBLE', b: 'BOOLEAN', big: 'INT64' });
    const out = new StringSink();
    await exportJsonLines(reader, out);
    await reader.close();
    const again = await write((w) => importJsonLines(chunked(out.toString(), 3), w));
    expect(await csvOf(again)).toBe(await csvOf(bytes));
    expect(await csvOf(bytes)).toContain('root.j.d,x,2,-0\n');
  });

  it('table-model devices need --table and --tag-columns, and then come back as they were', async () => {
    const text = 'device,measurement,time,value\nsensors.north,humidity,1,0.5\nsensors.south,humidity,1,0.25\n';
    await expect(write((w) => importCsv(chunked(text, 9), w))).rejects.toThrow(/line 2: device sensors\.north is not a tree path .*give --table sensors --tag-columns/);
    const bytes = await write((w) => importCsv(chunked(text, 9), w, { table: { name: 'sensors', tagColumns: ['region'] } }));
    const reader = await TsFileReader.open(bytes);
    expect((await reader.devices()).map((d) => [d.path, d.model, d.table, d.tags])).toEqual([
      ['sensors.north', 'table', 'sensors', ['north']],
      ['sensors.south', 'table', 'sensors', ['south']],
    ]);
    await reader.close();
    expect(await csvOf(bytes)).toBe(text);
  });
});
