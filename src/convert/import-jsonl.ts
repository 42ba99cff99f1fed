/**
 * JSON lines → TsFile, as `tsfile export --format jsonl` writes them: one object per row,
 * `{"device": ..., "time": ..., "<measurement>": value, ...}`. Numbers, booleans and strings keep
 * their kind: a JSON string is never taken for a number, except the forms the export writes as
 * strings (integers beyond 2^53, "NaN", "Infinity", "-Infinity"); "YYYY-MM-DD" and "0x…" strings may
 * be DATE and BLOB. Rows may come in any order (import-points.ts).
 */
import { ErrorCode, TsFileError, throwIfAborted } from '../io/errors.js';
import type { TsFileWriter } from '../writer/tsfile-writer.js';
import { ALL_CANDIDATES, Candidate } from './infer.js';
import { PointImporter, type ImportResult, type PointImportOptions } from './import-points.js';

export type JsonlImportOptions = PointImportOptions;

const STRING_KINDS = Candidate.DATE | Candidate.BLOB;
const NUMBER_KINDS = Candidate.INT64 | Candidate.DOUBLE;

function cell(v: unknown): { text: string; allowed: number } | undefined {
  switch (typeof v) {
    case 'number':
      return { text: Object.is(v, -0) ? '-0' : String(v), allowed: Number.isInteger(v) && !Object.is(v, -0) ? NUMBER_KINDS : Candidate.DOUBLE };
    case 'boolean':
      return { text: v ? 'true' : 'false', allowed: Candidate.BOOLEAN };
    case 'string': {
      let allowed = STRING_KINDS;
      if (/^-?\d+$/.test(v) && !Number.isSafeInteger(Number(v))) allowed |= Candidate.INT64;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') allowed |= Candidate.DOUBLE;
      return { text: v, allowed };
    }
    default:
      return undefined;
  }
}

/** Imports JSON-lines text chunks (any chunking) into an open writer. */
export async function importJsonLines(chunks: AsyncIterable<string>, writer: TsFileWriter, options: JsonlImportOptions = {}): Promise<ImportResult> {
  const points = new PointImporter(writer, options);
  const where = options.file !== undefined ? { file: options.file } : {};
  const fail = (line: number, message: string): never => {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `line ${line}: ${message}`, where);
  };
  let rest = '';
  let line = 0;
  let first = true;
  const handle = async (text: string): Promise<void> => {
    line++;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (e) {
      fail(line, `not JSON: ${(e as Error).message}`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) fail(line, 'expected a JSON object {"device", "time", ...}');
    const obj = row as Record<string, unknown>;
    const device = obj.device;
    if (typeof device !== 'string') fail(line, 'the row has no "device" string');
    const t = obj.time;
    let time: number | bigint;
    if (typeof t === 'number' && Number.isSafeInteger(t)) time = t;
    else if (typeof t === 'string' && /^-?\d+$/.test(t)) time = BigInt(t);
    else return fail(line, `"time" must be an integer (or an integer string), got ${JSON.stringify(t)}`);
    if (time < -(2n ** 63n) || time >= 2n ** 63n) fail(line, `"time" ${t} is outside the int64 range`);
    for (const key of Object.keys(obj)) {
      if (key === 'device' || key === 'time') continue;
      const v = obj[key];
      if (v === null) continue;
      const c = cell(v);
      if (c === undefined) fail(line, `"${key}" must be a number, a boolean or a string, got ${JSON.stringify(v)}`);
      const pending = points.add(device as string, key, time, c!.text, line, c!.allowed & ALL_CANDIDATES);
      if (pending !== undefined) await pending;
    }
  };
  try {
    for await (let chunk of chunks) {
      throwIfAborted(options.signal);
      if (first) {
        first = false;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const p of parts) await handle(p);
    }
    if (rest !== '') await handle(rest);
    return await points.finish();
  } finally {
    await points.dispose();
  }
}
