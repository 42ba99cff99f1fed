/**
 * Sorting imported points with bounded memory: points are held in memory up to a bound, then
 * sorted and written to a temporary file as a sorted run; the runs and the last in-memory part are
 * merged at the end. Input that arrives in order keeps appending to one run, so a sorted file costs
 * one sequential copy. Order: device, then time, then measurement (the order the writer needs rows in).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { ErrorCode, TsFileError } from '../io/errors.js';

/** One imported point, its value still as text, with the input line it came from. */
export interface PointRecord {
  device: string;
  measurement: string;
  time: bigint;
  value: string;
  line: number;
}

export function comparePoints(a: PointRecord, b: PointRecord): number {
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.measurement !== b.measurement) return a.measurement < b.measurement ? -1 : 1;
  return 0;
}

export interface SorterOptions {
  /** Points held in memory before a sorted run is written out (default 500 000). */
  maxPointsInMemory?: number;
  /** Directory for the runs (default: the system temporary directory). */
  tempDir?: string;
}

class Run {
  private readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }
  async append(points: readonly PointRecord[]): Promise<void> {
    let text = '';
    for (const p of points) {
      text += `${JSON.stringify([p.device, p.measurement, p.time.toString(), p.value, p.line])}\n`;
      if (text.length > 1 << 20) {
        if (!this.stream.write(text)) await once(this.stream, 'drain');
        text = '';
      }
    }
    if (text !== '' && !this.stream.write(text)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
  async *read(): AsyncGenerator<PointRecord> {
    const lines = createInterface({ input: createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
    for await (const line of lines) {
      const [device, measurement, time, value, at] = JSON.parse(line) as [string, string, string, string, number];
      yield { device, measurement, time: BigInt(time), value, line: at };
    }
  }
}

export class ExternalSorter {
  private buffer: PointRecord[] = [];
  private readonly runs: Run[] = [];
  private dir: string | undefined;
  private last: PointRecord | undefined;
  /** Every point so far came in order: a spill appends to the one run. */
  private inOrder = true;
  private readonly limit: number;
  /** Points added. */
  count = 0;

  constructor(private readonly options: SorterOptions = {}) {
    this.limit = options.maxPointsInMemory ?? 500_000;
  }

  /** Runs written to temporary files so far. */
  get spilledRuns(): number {
    return this.runs.length;
  }

  async add(p: PointRecord): Promise<void> {
    if (this.inOrder && this.last !== undefined && comparePoints(this.last, p) > 0) this.inOrder = false;
    this.last = p;
    this.buffer.push(p);
    this.count++;
    if (this.buffer.length >= this.limit) await this.spill();
  }

  private async spill(): Promise<void> {
    if (!this.inOrder) this.buffer.sort(comparePoints);
    this.dir ??= await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'tsfile-import-'));
    let run = this.inOrder ? this.runs[this.runs.length - 1] : undefined;
    if (run === undefined) {
      run = new Run(join(this.dir, `run-${this.runs.length}.jsonl`));
      this.runs.push(run);
    }
    await run.append(this.buffer);
    this.buffer = [];
    // Once out of order, each spill is a run of its own.
    if (!this.inOrder) this.last = undefined;
  }

  /** Every point added, in order; then the temporary files are removed. */
  async *sorted(): AsyncGenerator<PointRecord> {
    try {
      if (!this.inOrder) this.buffer.sort(comparePoints);
      for (const r of this.runs) await r.close();
      if (this.runs.length === 0) {
        yield* this.buffer;
        return;
      }
      const sources: AsyncGenerator<PointRecord>[] = this.runs.map((r) => r.read());
      const memory = this.buffer;
      sources.push((async function* () {
        yield* memory;
      })());
      const heads: (PointRecord | undefined)[] = [];
      for (const s of sources) heads.push((await s.next()).value as PointRecord | undefined);
      for (;;) {
        let best = -1;
        for (let k = 0; k < heads.length; k++) {
          const h = heads[k];
          if (h !== undefined && (best < 0 || comparePoints(h, heads[best]!) < 0)) best = k;
        }
        if (best < 0) break;
        yield heads[best]!;
        const next = await sources[best]!.next();
        heads[best] = next.done ? undefined : next.value;
      }
    } finally {
      await this.dispose();
    }
  }

  /** Removes the temporary files (also after a failure). */
  async dispose(): Promise<void> {
    this.buffer = [];
    if (this.dir !== undefined) {
      const dir = this.dir;
      this.dir = undefined;
      await rm(dir, { recursive: true, force: true }).catch((cause: unknown) => {
        throw new TsFileError(ErrorCode.IO, 'cannot remove the temporary sort files', { file: dir, cause });
      });
    }
  }
}
