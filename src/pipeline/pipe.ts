/**
 * `pipe({ source, process?, sink })`, extract → process → connect as in IoTDB's pipes: reads
 * TsFiles (and, when watching, files that appear later), runs the processor over each Arrow batch,
 * writes to the sink, and checkpoints after every segment of `segmentBatches` source batches once
 * the sink says the rows are durable. Re-running with the same checkpoint skips what was written.
 * With a transactional sink each segment is loaded under a label derived from the checkpoint
 * (file, first batch, attempt) and recorded before its transaction begins, so a resumed run
 * commits or rolls back what a crashed run left and never loads a segment twice.
 */
import { createHash } from 'node:crypto';
import { AbortError, ErrorCode, TsFileError } from '../io/errors.js';
import { TsFileReader, type ScanOptions } from '../reader/tsfile-reader.js';
import { Checkpoint, type FileProgress } from './checkpoint.js';
import { DirectoryWatcher, listSourceFiles, type SourceFile } from './file-source.js';
import { isSplitSource, isTransactionalSink, type PipeBatch, type PipeSink, type PipeStatus, type Processor, type SourceSplit, type SplitSource } from './types.js';

export interface SourceOptions {
  /** Files and directories (searched recursively for *.tsfile). */
  paths: string[];
  /** Keep polling the directories for new files after the history is loaded. */
  watch?: boolean;
  watchIntervalMs?: number;
  /** Device path patterns (`root.sg.**`), measurements and inclusive time range. */
  devices?: string[];
  measurements?: string[];
  startTime?: bigint | number;
  endTime?: bigint | number;
  batchRows?: number;
}

/** What the pipeline needs from a reader (the TsFile reader by default; tests may substitute). */
export interface PipeReader {
  scan(o: ScanOptions): AsyncIterable<PipeBatch>;
  close(): Promise<void>;
}

export interface PipeOptions {
  /** TsFiles (paths, watched or not) or a database source of resumable splits. */
  source: SourceOptions | SplitSource;
  process?: Processor;
  sink: PipeSink;
  /** Checkpoint file; without it progress is kept in memory only. */
  checkpoint?: string;
  /** Identity of this load (target and options); a checkpoint of another job is refused. */
  job?: string;
  /** Source batches per checkpoint (and per transaction); 0 = a whole file. Default 64. */
  segmentBatches?: number;
  /** Replays of a failed transactional segment. Default 2. */
  segmentRetries?: number;
  labelPrefix?: string;
  signal?: AbortSignal;
  onProgress?: (status: PipeStatus) => void;
  openReader?: (file: string) => Promise<PipeReader>;
}

function sha(s: string): string { return createHash('sha1').update(s).digest('hex'); }

export class Pipe {
  private readonly st: PipeStatus;
  private readonly controller = new AbortController();
  private running: Promise<PipeStatus> | undefined;
  private checkpoint: Checkpoint | undefined;
  private readonly segmentBatches: number;
  private readonly labelPrefix: string;
  /** Split sources: split by id, and readers opened ahead of their turn. */
  private readonly splitsById = new Map<string, SourceSplit>();
  private readonly opened = new Map<string, Promise<PipeReader>>();

  constructor(private readonly o: PipeOptions) {
    // 0 = one segment (one transaction) per source file.
    this.segmentBatches = o.segmentBatches === 0 ? Number.MAX_SAFE_INTEGER : Math.max(1, o.segmentBatches ?? 64);
    this.labelPrefix = o.labelPrefix ?? `tsfile-${sha(o.job ?? o.sink.name).slice(0, 8)}`;
    this.st = { state: 'idle', filesDone: 0, filesTotal: 0, currentFile: undefined, batchesRead: 0, rowsRead: 0, rowsSkipped: 0, sink: o.sink.metrics, startedAt: undefined, error: undefined };
    o.signal?.addEventListener('abort', () => this.controller.abort(o.signal?.reason), { once: true });
  }

  /** Runs until the source is exhausted (or, when watching, until stopped); resolves with the final status. */
  start(): Promise<PipeStatus> {
    this.running ??= this.run();
    return this.running;
  }

  /** Stops after the batch in progress; what was checkpointed stays written. */
  async stop(): Promise<PipeStatus> {
    if (this.st.state === 'running') this.st.state = 'stopping';
    this.controller.abort(new AbortError('pipe stopped'));
    return this.running ?? this.st;
  }

  status(): PipeStatus { return { ...this.st, sink: { ...this.o.sink.metrics } }; }

  private get signal(): AbortSignal { return this.controller.signal; }

  private async run(): Promise<PipeStatus> {
    this.st.state = 'running';
    this.st.startedAt = Date.now();
    try {
      this.checkpoint = await Checkpoint.open(this.o.checkpoint, this.o.job ?? this.o.sink.name);
      const src = this.o.source;
      let files: SourceFile[];
      if (isSplitSource(src)) {
        const splits = await src.splits(this.signal);
        for (const s of splits) this.splitsById.set(s.id, s);
        files = splits.map((s) => ({ path: s.id, size: 0, mtimeMs: 0 }));
      } else files = await listSourceFiles(src.paths);
      this.st.filesTotal = files.length;
      await this.settleOrphan(files);
      const ahead = isSplitSource(src) ? Math.max(1, src.parallel ?? 1) : 1;
      for (let i = 0; i < files.length; i++) {
        // Open the next splits now so that their first pages are fetched while this one is written.
        for (let k = i + 1; k < Math.min(files.length, i + ahead); k++) this.openAhead(files[k]!.path);
        await this.loadFile(files[i]!);
      }
      if (!isSplitSource(src) && src.watch === true) await this.watch(files);
      if (isSplitSource(src)) await src.close?.();
      await this.o.sink.close(this.signal);
      this.st.state = 'done';
    } catch (e) {
      const stopped = this.signal.aborted && (e instanceof AbortError || (e as Error).name === 'AbortError' || (this.st.state as string) === 'stopping');
      this.st.state = stopped ? 'stopped' : 'failed';
      if (!stopped) this.st.error = e;
      // An open transaction is rolled back, never committed on the way out (its label is in the checkpoint).
      const sink = this.o.sink;
      if (isTransactionalSink(sink)) await sink.abort().catch(() => undefined);
      await sink.close().catch(() => undefined);
      for (const r of this.opened.values()) await r.then((x) => x.close(), () => undefined).catch(() => undefined);
      this.opened.clear();
      const src = this.o.source;
      if (isSplitSource(src)) await src.close?.().catch(() => undefined);
    }
    this.st.currentFile = undefined;
    this.report();
    return this.status();
  }

  /** A transaction in flight for a file that is no longer among the sources is settled and forgotten. */
  private async settleOrphan(files: SourceFile[]): Promise<void> {
    const cp = this.checkpoint!;
    const p = cp.data.pending;
    if (p === undefined || files.some((f) => f.path === p.file)) return;
    const sink = this.o.sink;
    if (isTransactionalSink(sink)) {
      const outcome = await sink.settle(p.label, this.signal);
      const prog = cp.data.files[p.file];
      if (outcome === 'committed' && prog !== undefined) prog.done = Math.max(prog.done, p.to);
    }
    cp.data.pending = undefined;
    await cp.save();
  }

  private async watch(initial: SourceFile[]): Promise<void> {
    const dirs = (this.o.source as SourceOptions).paths;
    const watcher = new DirectoryWatcher(dirs, initial.map((f) => f.path));
    const interval = (this.o.source as SourceOptions).watchIntervalMs ?? 1000;
    while (!this.signal.aborted) {
      await new Promise<void>((resolve) => {
        const onAbort = (): void => { clearTimeout(t); resolve(); };
        const t = setTimeout(() => { this.signal.removeEventListener('abort', onAbort); resolve(); }, interval);
        this.signal.addEventListener('abort', onAbort, { once: true });
      });
      if (this.signal.aborted) break;
      for (const f of await watcher.poll()) {
        this.st.filesTotal++;
        await this.loadFile(f);
      }
    }
    throw new AbortError('pipe stopped');
  }

  private report(): void { this.o.onProgress?.(this.status()); }

  private openAhead(id: string): void {
    const split = this.splitsById.get(id);
    if (split === undefined || this.opened.has(id)) return;
    const p = split.open(this.signal);
    p.catch(() => undefined);
    this.opened.set(id, p);
  }

  private async openReader(file: string): Promise<PipeReader> {
    const split = this.splitsById.get(file);
    if (split !== undefined) {
      const ahead = this.opened.get(file);
      this.opened.delete(file);
      return ahead ?? split.open(this.signal);
    }
    if (this.o.openReader !== undefined) return this.o.openReader(file);
    return TsFileReader.open(file);
  }

  private labelFor(f: SourceFile, from: number, attempt: number): string {
    return `${this.labelPrefix}-${sha(`${f.path}:${f.size}`).slice(0, 12)}-${from}-${attempt}`;
  }

  private async loadFile(f: SourceFile): Promise<void> {
    const cp = this.checkpoint!;
    const sink = this.o.sink;
    const txn = isTransactionalSink(sink);
    let prog: FileProgress | undefined = cp.progress(f.path);
    const changed = prog !== undefined && (prog.size !== f.size || prog.mtimeMs !== f.mtimeMs);
    if (changed) prog = undefined;
    if (prog?.complete === true) { this.st.filesDone++; this.st.rowsSkipped += prog.rows; return; }
    prog ??= { size: f.size, mtimeMs: f.mtimeMs, done: 0, rows: 0, complete: false };
    cp.data.files[f.path] = prog;
    this.st.currentFile = f.path;
    let attempt = 0;
    const pending = cp.data.pending;
    if (pending !== undefined && pending.file === f.path) {
      if (!txn) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'the checkpoint has a transaction in flight but the sink is not transactional', { file: this.o.checkpoint });
      const outcome = await sink.settle(pending.label, this.signal);
      // A changed file starts over whatever the old segment's fate (its rows came from old content).
      if (outcome === 'committed' && !changed) prog.done = Math.max(prog.done, pending.to);
      else attempt = pending.attempt + 1;
      cp.data.pending = undefined;
      await cp.save();
    }
    for (let replays = 0; ; replays++) {
      const reader = await this.openReader(f.path);
      try {
        await this.scanFile(f, reader, prog, attempt, txn);
        prog.complete = true;
        await cp.save();
        this.st.filesDone++;
        this.report();
        return;
      } catch (e) {
        if (!txn || this.signal.aborted || replays >= (this.o.segmentRetries ?? 2)) throw e;
        // Settle the failed segment's transaction first: a commit whose answer was lost may have
        // landed, and then the segment is done; otherwise replay it under the next label.
        const p = cp.data.pending;
        const outcome = p === undefined ? 'absent' : await sink.settle(p.label, this.signal);
        await sink.abort();
        if (p !== undefined && outcome === 'committed') prog.done = Math.max(prog.done, p.to);
        else attempt++;
        cp.data.pending = undefined;
        await cp.save();
      } finally {
        await reader.close();
      }
    }
  }

  private async scanFile(f: SourceFile, reader: PipeReader, prog: FileProgress, attempt: number, txn: boolean): Promise<void> {
    const cp = this.checkpoint!;
    const sink = this.o.sink;
    const s = (isSplitSource(this.o.source) ? {} : this.o.source) as Partial<SourceOptions>;
    const scan: ScanOptions = { signal: this.signal };
    if (s.devices !== undefined) scan.devices = s.devices;
    if (s.measurements !== undefined) scan.measurements = s.measurements;
    if (s.startTime !== undefined) scan.startTime = s.startTime;
    if (s.endTime !== undefined) scan.endTime = s.endTime;
    if (s.batchRows !== undefined) scan.batchRows = s.batchRows;
    let i = 0;
    let segFrom = -1;
    let segRows = 0;
    const endSegment = async (to: number): Promise<void> => {
      await sink.flush(this.signal);
      prog.done = to;
      prog.rows += segRows;
      cp.data.pending = undefined;
      await cp.save();
      segFrom = -1;
      segRows = 0;
      this.report();
    };
    for await (const item of reader.scan(scan)) {
      if (i < prog.done) { i++; this.st.rowsSkipped += item.batch.numRows; continue; }
      if (segFrom < 0) {
        segFrom = i;
        if (txn && isTransactionalSink(sink)) {
          const label = this.labelFor(f, segFrom, attempt);
          cp.data.pending = { file: f.path, from: segFrom, to: segFrom + this.segmentBatches, segment: Math.floor(segFrom / this.segmentBatches), attempt, label };
          await cp.save();
          sink.useLabel(label);
        }
      }
      this.st.batchesRead++;
      this.st.rowsRead += item.batch.numRows;
      segRows += item.batch.numRows;
      const out = this.o.process === undefined ? item : await this.o.process(item);
      const list = out === null ? [] : Array.isArray(out) ? out : [out];
      for (const b of list) await sink.write(b, this.signal);
      i++;
      if (i - segFrom >= this.segmentBatches) await endSegment(i);
    }
    if (segFrom >= 0) await endSegment(i);
  }
}

export function pipe(o: PipeOptions): Pipe {
  return new Pipe(o);
}
