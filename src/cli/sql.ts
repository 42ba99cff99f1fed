/** `tsfile sql "SELECT …" FILE...`: DuckDB SQL over TsFiles in process, printed as a table, CSV or JSON lines. */
import { queryTsFiles, TREE_TABLE } from '../connectors/duckdb/query.js';
import { resolveTsFiles } from '../engine/scan-files.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { TsFileReader } from '../reader/tsfile-reader.js';
import type { CommandArgs, CommandSpec } from './args.js';
import { THREADS_OPTION } from './common-options.js';
import type { CliIo } from './io.js';

export const sqlCommand: CommandSpec = {
  name: 'sql',
  summary: 'DuckDB SQL over TsFiles, in process',
  usage: ['"SELECT …" FILE... [--format table|csv|json]'],
  description: `Runs one DuckDB SQL statement over the FILEs (paths, directories or globs). Tree-model
devices are the table ${TREE_TABLE} (device, time, one column per measurement); each table-model
table is a table of its own name (tag columns, time, fields). time is TIMESTAMP_MS.
Only the tables the statement names are read; comparisons of time with constants in the
top-level WHERE of a one-table SELECT are pushed to the reader as a time range.
  tsfile sql "SELECT device, count(*), avg(s1) FROM ${TREE_TABLE} GROUP BY device" data/`,
  positionals: { min: 2, max: Infinity, names: 'the SQL and at least one FILE' },
  options: [
    { name: 'format', type: 'choice', choices: ['table', 'csv', 'json'], arg: 'table|csv|json', help: 'output: an aligned table (default), CSV with a header, or one JSON object per row' },
    { name: 'explain-scan', type: 'flag', help: 'also print, on stderr, the tables read and the time range pushed to the reader' },
    THREADS_OPTION,
  ],
  run: runSql,
};

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return String(v);
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function jsonValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

async function runSql(args: CommandArgs, io: CliIo): Promise<number> {
  const [sql, ...inputs] = args.positionals;
  const files = await resolveTsFiles(inputs);
  if (files.length === 0) throw new TsFileError(ErrorCode.NOT_FOUND, `no TsFile found in ${inputs.join(' ')}`);
  const threads = args.int('threads');
  const readers: TsFileReader[] = [];
  try {
    for (const f of files) readers.push(await TsFileReader.open(f, threads === undefined ? {} : { threads }));
    const r = await queryTsFiles(sql!, readers, io.signal !== undefined ? { signal: io.signal } : {});
    if (args.flag('explain-scan')) {
      for (const s of r.scans) io.stderr.write(`scan ${s.table}: ${s.rows} rows${s.startTime !== undefined || s.endTime !== undefined ? `, time ${s.startTime ?? '-∞'} .. ${s.endTime ?? '+∞'}` : ', all times'}\n`);
    }
    const format = args.choice<'table' | 'csv' | 'json'>('format') ?? 'table';
    if (format === 'json') {
      for (const row of r.rows) io.stdout.write(`${JSON.stringify(Object.fromEntries(r.columns.map((c, i) => [c, jsonValue(row[i])])))}\n`);
    } else if (format === 'csv') {
      io.stdout.write(`${r.columns.map(csvField).join(',')}\n`);
      for (const row of r.rows) io.stdout.write(`${row.map((v) => csvField(text(v))).join(',')}\n`);
    } else {
      const cells = r.rows.map((row) => row.map((v) => (v === null ? 'NULL' : text(v).replace(/[\r\n]/g, ' '))));
      const widths = r.columns.map((c, i) => Math.max(c.length, r.types[i]!.length, ...cells.map((row) => row[i]!.length)));
      const line = (parts: string[]) => `│ ${parts.map((p, i) => p.padEnd(widths[i]!)).join(' │ ')} │\n`;
      const rule = (l: string, m: string, rr: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${rr}\n`;
      io.stdout.write(rule('┌', '┬', '┐') + line(r.columns) + line(r.types) + rule('├', '┼', '┤'));
      for (const row of cells) io.stdout.write(line(row));
      io.stdout.write(`${rule('└', '┴', '┘')}${r.rows.length} row${r.rows.length === 1 ? '' : 's'}\n`);
    }
    return 0;
  } finally {
    for (const r of readers) await r.close();
  }
}
