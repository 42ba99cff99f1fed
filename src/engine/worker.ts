/**
 * The pool's worker: runs decode tasks with exactly the reader's own function and moves the
 * decoded arrays back. Errors travel as plain data, so a TsFileError keeps its code and offsets.
 */
import { Piscina } from 'piscina';
import '../compression/native.js';
import { runChunkTask, type ChunkTask } from '../reader/chunk-task.js';
import { TsFileError } from '../io/errors.js';
import { prepareResult } from './transfer.js';

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

export default async function decodeInWorker(task: ChunkTask): Promise<unknown> {
  try {
    const { result, transfer } = prepareResult(await runChunkTask(task));
    return Piscina.move(new MovableResult(result, transfer) as unknown as ArrayBuffer);
  } catch (e) {
    if (e instanceof TsFileError) {
      return { error: { code: e.code, message: e.what, file: e.file, offset: e.offset, expected: e.expected, actual: e.actual } } satisfies WorkerError;
    }
    const err = e as Error;
    return { error: { message: err?.message ?? String(e), stack: err?.stack } } satisfies WorkerError;
  }
}
