/**
 * StarRocks Stream Load bodies (connectors.md §3.1 CSV and JSON rules, §3.5 type mapping): wide rows
 * `device, time, <measurement...>` per device. CSV writes `\N` for null and refuses values that
 * contain a separator (StarRocks has no default escaping, §4.3 item 6); JSON writes one array of
 * row objects for `strip_outer_array`. Both copy UTF-8 bytes straight from the Arrow buffers.
 */
import { ByteBuffer } from '../core/byte-buffer.js';
import { appendInt64, boolAt, daysToIso, int64At, isValid, type BatchView, type ColumnView } from '../core/columns.js';
import { ConnectorError } from '../core/errors.js';
import { appendJsonString } from '../core/json-text.js';
import { appendTimeIn, utcDateTime } from '../core/time-format.js';
import { floatText, jsonFloatText, nonFiniteError, type NonFinitePolicy } from '../core/value-text.js';

export type StarRocksFormat = 'csv' | 'json';
export type TimeFormat = 'epoch-ms' | 'datetime';

export interface RowLayout {
  format: StarRocksFormat;
  timeFormat: TimeFormat;
  /** CSV column separator and row delimiter as raw text (e.g. '\t', '\n', '\x01'). */
  columnSeparator: string;
  rowDelimiter: string;
  deviceColumn: string;
  timeColumn: string;
  /** NaN/±Infinity: refused (default) or loaded as NULL (StarRocks' CSV and JSON readers have no spelling for them). */
  nonFinite?: NonFinitePolicy;
}

export const DEFAULT_LAYOUT: RowLayout = {
  format: 'csv', timeFormat: 'epoch-ms', columnSeparator: '\t', rowDelimiter: '\n', deviceColumn: 'device', timeColumn: 'time',
};

/**
 * The `columns` header for a batch: device, time, then its measurements, each backquoted (a
 * backtick inside doubled). StarRocks compares column names without case, so two names equal but
 * for case, or a measurement named like the device/time column, are refused.
 */
export function columnsHeader(view: BatchView, layout: RowLayout): string {
  const seen = new Map<string, string>();
  for (const n of [layout.deviceColumn, layout.timeColumn, ...view.columns.map((c) => c.name)]) {
    const k = n.toLowerCase();
    const had = seen.get(k);
    if (had !== undefined) {
      throw new ConnectorError(`${view.device}: column names "${had}" and "${n}" are the same StarRocks column (names ignore case; set --device-column/--time-column or rename)`, { sink: 'starrocks', failure: 'invalid', retryable: false });
    }
    seen.set(k, n);
  }
  return [layout.deviceColumn, layout.timeColumn, ...view.columns.map((c) => c.name)].map((n) => `\`${n.replace(/`/g, '``')}\``).join(',');
}

/** Header value for a separator: printable ASCII as is, anything else as `\xHH` hex. */
export function separatorHeader(sep: string): string {
  let out = '';
  let plain = true;
  for (const ch of sep) {
    const c = ch.codePointAt(0)!;
    if (c < 0x21 || c > 0x7e) plain = false;
  }
  if (plain) return sep;
  for (const b of Buffer.from(sep, 'utf8')) out += b.toString(16).padStart(2, '0');
  return `\\x${out}`;
}

const HEX = '0123456789abcdef';

function appendHex(out: ByteBuffer, bytes: Uint8Array, start: number, end: number): void {
  out.ascii('0x');
  out.reserve((end - start) * 2);
  for (let i = start; i < end; i++) { const b = bytes[i]!; out.byte(HEX.charCodeAt(b >> 4)); out.byte(HEX.charCodeAt(b & 15)); }
}

function appendNumber(out: ByteBuffer, c: ColumnView, r: number): void {
  switch (c.type) {
    case 'BOOLEAN': out.ascii(boolAt(c, r) ? 'true' : 'false'); return;
    case 'INT32': out.int(c.numbers![r]!); return;
    case 'DATE': out.ascii(daysToIso(c.numbers![r]!)); return;
    case 'FLOAT': case 'DOUBLE': out.ascii(floatText(c.type, c.numbers![r]!)); return;
    case 'INT64': case 'TIMESTAMP': appendInt64(out, c.words!, r); return;
    default: throw new Error('unreachable');
  }
}

/** True when the float at `r` has no StarRocks spelling and becomes NULL; throws when refused. */
function nonFiniteIsNull(c: ColumnView, r: number, layout: RowLayout, device: string, sink: string): boolean {
  if ((c.type !== 'FLOAT' && c.type !== 'DOUBLE') || Number.isFinite(c.numbers![r]!)) return false;
  if (layout.nonFinite === 'null') return true;
  throw nonFiniteError(sink, `${device}.${c.name} at row ${r}`, c.numbers![r]!);
}

function appendTime(out: ByteBuffer, view: BatchView, r: number, layout: RowLayout, quote: boolean, sink: string): void {
  if (layout.timeFormat === 'datetime') {
    if (view.timeUnit !== 'ms') {
      throw new ConnectorError(`${view.device}: --time-format datetime writes milliseconds; the data is in ${view.timeUnit} (use epoch times)`, { sink, failure: 'invalid', retryable: false });
    }
    if (quote) out.byte(34);
    out.ascii(utcDateTime(int64At(view.timeWords, r)));
    if (quote) out.byte(34);
  } else if (view.timeUnit === 'ms') appendInt64(out, view.timeWords, r);
  else appendTimeIn(out, view.timeWords, r, view.timeUnit, 'ms', sink, view.device);
}

/** Appends CSV rows [from, to). `deviceBytes` is the UTF-8 device path checked once per batch. */
export function appendCsvRows(out: ByteBuffer, view: BatchView, from: number, to: number, layout: RowLayout, sink: string): void {
  const sep = Buffer.from(layout.columnSeparator, 'utf8');
  const row = Buffer.from(layout.rowDelimiter, 'utf8');
  const device = Buffer.from(view.device, 'utf8');
  checkCsvText(device, 0, device.length, sep, row, view.device, 'device', sink);
  const cols = view.columns;
  for (let r = from; r < to; r++) {
    out.bytes(device);
    out.bytes(sep);
    appendTime(out, view, r, layout, false, sink);
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k]!;
      out.bytes(sep);
      if (!isValid(c, r) || nonFiniteIsNull(c, r, layout, view.device, sink)) { out.byte(92); out.byte(78); continue; }
      if (c.bytes !== null) {
        const s = c.offsets![r]!;
        const e = c.offsets![r + 1]!;
        if (c.type === 'BLOB') appendHex(out, c.bytes, s, e);
        else {
          checkCsvText(c.bytes, s, e, sep, row, view.device, c.name, sink);
          out.bytes(c.bytes, s, e);
        }
      } else appendNumber(out, c, r);
    }
    out.bytes(row);
  }
}

function checkCsvText(b: Uint8Array, s: number, e: number, sep: Uint8Array, row: Uint8Array, device: string, column: string, sink: string): void {
  const a = sep[0]!;
  const z = row[0]!;
  for (let i = s; i < e; i++) {
    const x = b[i]!;
    if ((x === a && startsWith(b, i, e, sep)) || (x === z && startsWith(b, i, e, row)) ||
      (x === 92 && i + 1 < e && b[i + 1] === 78 && i === s && e - s === 2)) {
      throw new ConnectorError(`value of ${device}.${column} contains the CSV separator, row delimiter or is "\\N"; use --format json or other separators`, {
        sink, failure: 'invalid', retryable: false,
      });
    }
  }
}

function startsWith(b: Uint8Array, i: number, e: number, p: Uint8Array): boolean {
  if (i + p.length > e) return false;
  for (let k = 1; k < p.length; k++) if (b[i + k] !== p[k]) return false;
  return true;
}

/**
 * Appends JSON row objects [from, to) separated by commas; the caller writes the enclosing `[` `]`.
 * JSON has no NaN: non-finite floats are refused unless the layout maps them to null.
 */
export function appendJsonRows(out: ByteBuffer, view: BatchView, from: number, to: number, layout: RowLayout, first: boolean, sink = 'starrocks'): void {
  const enc = new TextEncoder();
  const keys = view.columns.map((c) => enc.encode(`,${JSON.stringify(c.name)}:`));
  const deviceKey = enc.encode(`{${JSON.stringify(layout.deviceColumn)}:`);
  const timeKey = enc.encode(`,${JSON.stringify(layout.timeColumn)}:`);
  const deviceText = enc.encode(view.device);
  const literal = new ByteBuffer(deviceKey.length + deviceText.length * 2 + timeKey.length + 8);
  literal.bytes(deviceKey);
  appendJsonString(literal, deviceText, 0, deviceText.length);
  literal.bytes(timeKey);
  // `{"device":"<path>","time":` is the same on every row: built once.
  const head = literal.toBuffer();
  const cols = view.columns;
  for (let r = from; r < to; r++) {
    if (!first || r > from) out.byte(44);
    out.bytes(head);
    appendTime(out, view, r, layout, true, sink);
    for (let k = 0; k < cols.length; k++) {
      const c = cols[k]!;
      out.bytes(keys[k]!);
      if (!isValid(c, r) || nonFiniteIsNull(c, r, layout, view.device, sink)) { out.ascii('null'); continue; }
      if (c.bytes !== null) {
        const s = c.offsets![r]!;
        const e = c.offsets![r + 1]!;
        if (c.type === 'BLOB') { out.byte(34); appendHex(out, c.bytes, s, e); out.byte(34); } else appendJsonString(out, c.bytes, s, e);
      } else if (c.type === 'DATE') {
        out.byte(34); appendNumber(out, c, r); out.byte(34);
      } else if (c.type === 'FLOAT' || c.type === 'DOUBLE') {
        out.ascii(jsonFloatText(c.type, c.numbers![r]!));
      } else appendNumber(out, c, r);
    }
    out.byte(125);
  }
}
