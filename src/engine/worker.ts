/**
 * The pool's worker: runs the reader's decode tasks and the writer's page-encode tasks with exactly
 * their own functions (dispatched by task kind) and moves the resulting arrays back. Errors travel
 * as plain data, so a TsFileError keeps its code and offsets.
 */
import { Piscina } from 'piscina';
import '../compression/native.js';
import { runChunkTask, type ChunkTask } from '../reader/chunk-task.js';
import { TsFileError } from '../io/errors.js';
import { runEncodeTask, type EncodeTask } from '../writer/page-task.js';
import { prepareResult } from './transfer.js';
import { prepareEncodeResult } from './write-transfer.js';

export interface WorkerError {
  error: { code?: string; message: string; file?: string; offset?: number; expected?: string; actual?: string; stack?: string };
}

class MovableResult {
  constructor(
    private readonly value: unknown,
    private readonly transfer: ArrayBuffer[],
  ) {}
  get [Piscina.transferableSymbol](): ArrayBuffer[] {
    return this.transfer;
  }
  get [Piscina.valueSymbol](): unknown {
    return this.value;
  }
}

function isEncodeTask(task: ChunkTask | EncodeTask): task is EncodeTask {
  return task.kind === 'encodeSeriesPages' || task.kind === 'encodeAlignedPages';
}

export default async function runInWorker(task: ChunkTask | EncodeTask): Promise<unknown> {
  try {
    const { result, transfer } = isEncodeTask(task) ? prepareEncodeResult(await runEncodeTask(task)) : prepareResult(await runChunkTask(task));
    return Piscina.move(new MovableResult(result, transfer) as unknown as ArrayBuffer);
  } catch (e) {
    if (e instanceof TsFileError) {
      return { error: { code: e.code, message: e.what, file: e.file, offset: e.offset, expected: e.expected, actual: e.actual } } satisfies WorkerError;
    }
    const err = e as Error;
    return { error: { message: err?.message ?? String(e), stack: err?.stack } } satisfies WorkerError;
  }
}
