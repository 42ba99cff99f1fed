/**
 * What one fuzz case does with a mutant: everything a user would — open it, list devices and
 * series, ask the bloom filter, read every point (as Arrow batches, or exported as CSV) — and classify the end: read fine, a
 * TsFileError (with its code), or anything else (an untyped error, which is a finding).
 */
import { TsFileError } from '../../src/io/errors.js';
import { TsFileReader } from '../../src/reader/tsfile-reader.js';
import type { TaskRunner } from '../../src/reader/task-runner.js';
import { exportCsv } from '../../src/export/csv.js';
import type { TextSink } from '../../src/export/text-sink.js';

export type Outcome = { kind: 'ok'; rows: number } | { kind: 'typed'; code: string } | { kind: 'untyped'; message: string };

/** Counts the characters written, keeps nothing. */
class CountingSink implements TextSink {
  chars = 0;
  write(s: string | Uint8Array): void {
    this.chars += s.length;
  }
}

/** `exportText`: export CSV (formats every value) instead of scanning the Arrow batches. */
export async function runCase(bytes: Uint8Array, runner: TaskRunner | undefined, exportText = false): Promise<Outcome> {
  try {
    const reader = await TsFileReader.open(bytes, { name: 'mutant.tsfile', runner, maxPagePoints: 1 << 20, maxPageBytes: 16 << 20 });
    try {
      for (const d of await reader.devices()) {
        for (const s of await reader.timeseries(d.path)) await reader.hasSeries(d.path, s.measurement);
      }
      if (exportText) return { kind: 'ok', rows: await exportCsv(reader, new CountingSink()) };
      // Every batch is assembled as Arrow; reading the last value of each column's buffer touches it
      // (raw: Arrow's own getters refuse int64 timestamps past 2^53 ms, which a mutant easily has).
      let rows = 0;
      for await (const { batch } of reader.scan()) {
        rows += batch.numRows;
        for (const child of batch.data.children) {
          const values = child.values as ArrayLike<unknown> | undefined;
          if (values !== undefined && values.length > 0) void values[values.length - 1];
        }
      }
      return { kind: 'ok', rows };
    } finally {
      await reader.close();
    }
  } catch (e) {
    if (e instanceof TsFileError) return { kind: 'typed', code: e.code };
    const err = e as Error;
    return { kind: 'untyped', message: `${err?.name ?? 'thrown'}: ${err?.message ?? String(e)}\n${err?.stack ?? ''}` };
  }
}
