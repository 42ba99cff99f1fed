/**
 * TDengine SQL for taosAdapter's REST endpoint (connectors.md §2.2 INSERT grammar, timestamp
 * literals, string escapes and limits; §2.6 type mapping): CREATE statements for tables or a
 * supertable, and multi-table `INSERT INTO t1 [USING stb (tags) TAGS (...)] (cols) VALUES (...)...`
 * split so no statement exceeds the byte budget (UTF-8 bytes, as the server counts them).
 */
import { ByteBuffer } from '../core/byte-buffer.js';
import { appendInt64, boolAt, daysToYmd, isValid, type BatchView, type ColumnView, type TimeUnit, type TsTypeName } from '../core/columns.js';
import { ConnectorError } from '../core/errors.js';
import { appendTimeIn, type Precision } from '../core/time-format.js';
import { nonFiniteError, sqlFloatText } from '../core/value-text.js';
import { quoteIdent } from './options.js';

export interface SqlLayout {
  timeColumn: string;
  precision: Precision;
  textType: 'NCHAR' | 'VARCHAR';
  textWidth: number;
  binaryWidth: number;
  nonFinite: 'error' | 'null';
  maxSqlBytes: number;
}

export function columnType(t: TsTypeName, l: SqlLayout): string {
  switch (t) {
    case 'BOOLEAN': return 'BOOL';
    case 'INT32': return 'INT';
    case 'DATE': return 'INT';
    case 'INT64': return 'BIGINT';
    case 'FLOAT': return 'FLOAT';
    case 'DOUBLE': return 'DOUBLE';
    case 'TIMESTAMP': return 'TIMESTAMP';
    case 'BLOB': return `VARBINARY(${l.binaryWidth})`;
    default: return `${l.textType}(${l.textWidth})`;
  }
}

/** The target of one device's rows: table, optional supertable with its tag values. */
export interface InsertTarget {
  table: string;
  stable?: string;
  tagNames?: string[];
  tagValues?: (string | null)[];
}

export function stringLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Throws when a measurement would collide with the timestamp column or a tag. */
export function checkColumnNames(view: BatchView, target: InsertTarget, l: SqlLayout): void {
  const taken = new Set([l.timeColumn.toLowerCase(), ...(target.tagNames ?? []).map((t) => t.toLowerCase())]);
  for (const c of view.columns) {
    if (Buffer.byteLength(c.name) > 64) {
      throw new ConnectorError(`measurement "${c.name}" of ${view.device} is longer than TDengine's 64-byte column names`, { sink: 'tdengine', failure: 'invalid', retryable: false });
    }
    if (taken.has(c.name.toLowerCase())) {
      throw new ConnectorError(`measurement "${c.name}" of ${view.device} collides with the timestamp or a tag column; set timeColumn / tagColumns`, { sink: 'tdengine', failure: 'invalid', retryable: false });
    }
  }
}

export function createTableSql(db: string, view: BatchView, target: InsertTarget, l: SqlLayout): string {
  const cols = [`${quoteIdent(l.timeColumn)} TIMESTAMP`, ...view.columns.map((c) => `${quoteIdent(c.name)} ${columnType(c.type, l)}`)].join(', ');
  if (target.stable === undefined) return `CREATE TABLE IF NOT EXISTS ${quoteIdent(db)}.${quoteIdent(target.table)} (${cols})`;
  const tags = (target.tagNames ?? []).map((t) => `${quoteIdent(t)} ${l.textType}(${l.textWidth})`).join(', ');
  return `CREATE STABLE IF NOT EXISTS ${quoteIdent(db)}.${quoteIdent(target.stable)} (${cols}) TAGS (${tags})`;
}

const HEX = '0123456789abcdef';

/** Appends one SQL value; throws for values the column cannot hold. */
function appendValue(out: ByteBuffer, c: ColumnView, r: number, l: SqlLayout, device: string, unit: TimeUnit): void {
  if (!isValid(c, r)) { out.ascii('NULL'); return; }
  switch (c.type) {
    case 'BOOLEAN': out.ascii(boolAt(c, r) ? 'true' : 'false'); return;
    case 'INT32': out.int(c.numbers![r]!); return;
    case 'DATE': out.int(daysToYmd(c.numbers![r]!)); return;
    case 'INT64': appendInt64(out, c.words!, r); return;
    // TIMESTAMP values are in the file's time unit, converted to the database precision.
    case 'TIMESTAMP': appendTimeIn(out, c.words!, r, unit, l.precision, 'tdengine', `${device}.${c.name}`); return;
    case 'FLOAT': case 'DOUBLE': {
      const v = c.numbers![r]!;
      if (!Number.isFinite(v)) {
        if (l.nonFinite === 'null') { out.ascii('NULL'); return; }
        throw nonFiniteError('tdengine', `${device}.${c.name} at row ${r}`, v);
      }
      out.ascii(sqlFloatText(c.type, v));
      return;
    }
    case 'BLOB': {
      const s = c.offsets![r]!;
      const e = c.offsets![r + 1]!;
      if (e - s > l.binaryWidth) throw new ConnectorError(`${device}.${c.name} at row ${r}: ${e - s} bytes exceed VARBINARY(${l.binaryWidth})`, { sink: 'tdengine', failure: 'invalid', retryable: false });
      out.ascii("'\\x");
      for (let i = s; i < e; i++) { const b = c.bytes![i]!; out.byte(HEX.charCodeAt(b >> 4)); out.byte(HEX.charCodeAt(b & 15)); }
      out.byte(39);
      return;
    }
    default: {
      const b = c.bytes!;
      const s = c.offsets![r]!;
      const e = c.offsets![r + 1]!;
      let chars = 0;
      for (let i = s; i < e; i++) if ((b[i]! & 0xc0) !== 0x80) chars++;
      const width = l.textType === 'NCHAR' ? chars : e - s;
      if (width > l.textWidth) throw new ConnectorError(`${device}.${c.name} at row ${r}: text of ${width} ${l.textType === 'NCHAR' ? 'characters' : 'bytes'} exceeds ${l.textType}(${l.textWidth})`, { sink: 'tdengine', failure: 'invalid', retryable: false });
      out.byte(39);
      let run = s;
      for (let i = s; i < e; i++) {
        const x = b[i]!;
        if (x !== 39 && x !== 92) continue;
        out.bytes(b, run, i);
        out.byte(92);
        run = i;
      }
      out.bytes(b, run, e);
      out.byte(39);
    }
  }
}

/**
 * Accumulates rows of many tables into INSERT statements no longer than `maxSqlBytes` each.
 * Statements are finished lazily: the current one stays open for the next table's rows.
 */
export class InsertBuilder {
  readonly statements: Buffer[] = [];
  private readonly cur = new ByteBuffer(64 * 1024);
  private openTable: string | undefined;
  private readonly row = new ByteBuffer(1024);

  constructor(private readonly db: string, private readonly l: SqlLayout) {}

  /** Bytes of finished plus open statements. */
  get size(): number {
    let n = this.cur.length;
    for (const s of this.statements) n += s.length;
    return n;
  }

  private header(view: BatchView, t: InsertTarget): string {
    let h = ` ${quoteIdent(this.db)}.${quoteIdent(t.table)}`;
    if (t.stable !== undefined) {
      h += ` USING ${quoteIdent(this.db)}.${quoteIdent(t.stable)} (${(t.tagNames ?? []).map(quoteIdent).join(', ')}) TAGS (` +
        `${(t.tagValues ?? []).map((v) => (v === null ? 'NULL' : stringLiteral(v))).join(', ')})`;
    }
    return `${h} (${quoteIdent(this.l.timeColumn)}, ${view.columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES `;
  }

  append(view: BatchView, from: number, to: number, t: InsertTarget): void {
    const header = Buffer.from(this.header(view, t), 'utf8');
    const key = header.toString('latin1');
    const l = this.l;
    for (let r = from; r < to; r++) {
      const row = this.row;
      row.clear();
      row.byte(40);
      appendTimeIn(row, view.timeWords, r, view.timeUnit, l.precision, 'tdengine', view.device);
      for (const c of view.columns) {
        row.byte(44);
        appendValue(row, c, r, l, view.device, view.timeUnit);
      }
      row.byte(41);
      const same = this.cur.length > 0 && this.openTable === key;
      const add = same ? 1 + row.length : (this.cur.length === 0 ? 11 : 0) + header.length + row.length;
      if (this.cur.length > 0 && this.cur.length + add > l.maxSqlBytes) this.finish();
      if (this.cur.length === 0) {
        if (11 + header.length + row.length > l.maxSqlBytes) {
          throw new ConnectorError(`one row of ${view.device} needs ${11 + header.length + row.length} bytes of SQL, over maxSqlBytes ${l.maxSqlBytes}`, { sink: 'tdengine', failure: 'invalid', retryable: false });
        }
        this.cur.ascii('INSERT INTO');
        this.openTable = undefined;
      }
      if (this.openTable === key) this.cur.byte(32);
      else { this.cur.bytes(header); this.openTable = key; }
      this.cur.bytes(row.contents());
    }
  }

  /** Closes the open statement. */
  finish(): void {
    if (this.cur.length === 0) return;
    this.statements.push(this.cur.toBuffer());
    this.cur.clear();
    this.openTable = undefined;
  }

  /** Finished statements, emptying the builder. */
  take(): Buffer[] {
    this.finish();
    return this.statements.splice(0);
  }
}
