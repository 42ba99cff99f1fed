/**
 * InfluxDB line protocol for TDengine's schemaless endpoint (connectors.md §2.3): one line per row,
 * `supertable,device=<path>[,tag=v] field=value... timestamp` (supertable "tsfile" unless named), with TDengine's type suffixes
 * (i32/i64/f32/f64, L"..." for NCHAR, B"\x.." for VARBINARY) and the escapes each position needs.
 * Null cells are left out; a row whose cells are all null has no line (the protocol needs a field).
 */
import { ByteBuffer } from '../core/byte-buffer.js';
import { appendInt64, boolAt, daysToYmd, isValid, type BatchView, type ColumnView } from '../core/columns.js';
import { appendTimeIn, type Precision } from '../core/time-format.js';
import { floatText, nonFiniteError } from '../core/value-text.js';

/** Escapes a measurement (comma, space) or a tag key/value/field key (comma, equals, space). */
export function escapeKey(s: string, measurement = false): string {
  return measurement ? s.replace(/([, \\])/g, '\\$1') : s.replace(/([,= \\])/g, '\\$1');
}

const HEX = '0123456789abcdef';

function appendField(out: ByteBuffer, c: ColumnView, r: number, nonFinite: 'error' | 'null', device: string): boolean {
  switch (c.type) {
    case 'BOOLEAN': out.ascii(boolAt(c, r) ? 'true' : 'false'); return true;
    case 'INT32': out.int(c.numbers![r]!); out.ascii('i32'); return true;
    case 'DATE': out.int(daysToYmd(c.numbers![r]!)); out.ascii('i32'); return true;
    case 'INT64': appendInt64(out, c.words!, r); out.ascii('i64'); return true;
    // A TIMESTAMP field has no line-protocol type: its epoch milliseconds travel as BIGINT.
    case 'TIMESTAMP': appendInt64(out, c.words!, r); out.ascii('i64'); return true;
    case 'FLOAT': case 'DOUBLE': {
      const v = c.numbers![r]!;
      if (!Number.isFinite(v)) {
        if (nonFinite === 'null') return false;
        throw nonFiniteError('tdengine-influx', `${device}.${c.name} at row ${r}`, v);
      }
      out.ascii(floatText(c.type, v));
      out.ascii(c.type === 'FLOAT' ? 'f32' : 'f64');
      return true;
    }
    case 'BLOB': {
      out.ascii('B"\\x');
      for (let i = c.offsets![r]!; i < c.offsets![r + 1]!; i++) { const b = c.bytes![i]!; out.byte(HEX.charCodeAt(b >> 4)); out.byte(HEX.charCodeAt(b & 15)); }
      out.byte(34);
      return true;
    }
    default: {
      const b = c.bytes!;
      const e = c.offsets![r + 1]!;
      out.ascii('L"');
      let run = c.offsets![r]!;
      for (let i = run; i < e; i++) {
        const x = b[i]!;
        if (x !== 34 && x !== 92) continue;
        out.bytes(b, run, i);
        out.byte(92);
        run = i;
      }
      out.bytes(b, run, e);
      out.byte(34);
      return true;
    }
  }
}

export interface LineLayout { measurement: string; tags: [string, string | null][]; precision: Precision; nonFinite: 'error' | 'null' }

/** Appends lines for rows [from, to); returns the number of lines written. */
export function appendLines(out: ByteBuffer, view: BatchView, from: number, to: number, l: LineLayout): number {
  let prefix = escapeKey(l.measurement, true);
  for (const [k, v] of l.tags) if (v !== null && v !== '') prefix += `,${escapeKey(k)}=${escapeKey(v)}`;
  const head = Buffer.from(prefix, 'utf8');
  const keys = view.columns.map((c) => Buffer.from(`${escapeKey(c.name)}=`, 'utf8'));
  let lines = 0;
  for (let r = from; r < to; r++) {
    const start = out.length;
    out.bytes(head);
    let fields = 0;
    for (let k = 0; k < view.columns.length; k++) {
      const c = view.columns[k]!;
      if (!isValid(c, r)) continue;
      const mark = out.length;
      out.byte(fields === 0 ? 32 : 44);
      out.bytes(keys[k]!);
      if (appendField(out, c, r, l.nonFinite, view.device)) fields++;
      else out.truncate(mark);
    }
    if (fields === 0) { out.truncate(start); continue; }
    out.byte(32);
    appendTimeIn(out, view.timeWords, r, view.timeUnit, l.precision, 'tdengine-influx', view.device);
    out.byte(10);
    lines++;
  }
  return lines;
}
