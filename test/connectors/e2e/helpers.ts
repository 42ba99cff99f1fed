/**
 * Helpers of the end-to-end connector tests: load a TsFile through `tsfile load`, read a TsFile
 * back as canonical CSV lines, and the fixture's own expected lines.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import '../../../src/compression/native.js';
import { exportCsv } from '../../../src/export/csv.js';
import { StringSink } from '../../../src/export/text-sink.js';
import { TsFileReader } from '../../../src/reader/tsfile-reader.js';

export function expectedLines(base: string): string[] {
  return readFileSync(`${base}.csv`, 'utf8').split('\n').slice(1).filter((l) => l.length > 0);
}

export function fixtureTypes(base: string): Map<string, string> {
  const j = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { device_list: { series: { measurement: string; type: string }[] }[] };
  return new Map(j.device_list.flatMap((d) => d.series.map((s) => [s.measurement, s.type] as [string, string])));
}

export async function csvLinesOf(file: string): Promise<string[]> {
  const r = await TsFileReader.open(file);
  try {
    const out = new StringSink();
    await exportCsv(r, out);
    return out.toString().split('\n').slice(1).filter((l) => l.length > 0);
  } finally { await r.close(); }
}

export function cliIo(): { stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => { o += d.toString(); });
  stderr.on('data', (d: Buffer) => { e += d.toString(); });
  return { stdout, stderr, out: () => o, err: () => e };
}
