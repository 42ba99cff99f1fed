/**
 * IoTDB REST request bodies (connectors.md §1.2): v2 `insertTablet` (tree model, column-major
 * `values[c][r]`, `null` for a missing cell) and the table-model `insertTablet` (row-major
 * `values[r][c]`, `column_categories`). Numbers are written as exact JSON integers (int64 beyond
 * 2^53 included); NaN/±Infinity go as numeric strings, which FLOAT/DOUBLE accept; FLOAT as its shortest float32
 * text and −0 as `-0.0` (value-text.ts); DATE as the int yyyymmdd. The REST API has no binary form:
 * the server stores a BLOB's JSON text as its bytes, so BLOB columns are refused unless the caller
 * asks for `0x`-hex text. Device paths and measurements are quoted by IoTDB's node rules.
 */
import { ByteBuffer } from '../core/byte-buffer.js';
import { appendInt64, boolAt, daysToYmd, isValid, timeOrder, type BatchView, type ColumnView } from '../core/columns.js';
import { ConnectorError } from '../core/errors.js';
import { appendJsonString } from '../core/json-text.js';
import { hexText, jsonFloatText } from '../core/value-text.js';
import { quoteNode, quotePath } from './path-names.js';

/** How BLOB values travel over REST: refused (default) or stored as the `0x`-hex text's bytes. */
export type RestBlobMode = 'refuse' | 'hex-text';

/** Throws unless every BLOB column may be sent in the chosen mode. */
export function checkRestBlobs(view: BatchView, mode: RestBlobMode): void {
  if (mode === 'hex-text') return;
  const c = view.columns.find((x) => x.type === 'BLOB');
  if (c === undefined) return;
  throw new ConnectorError(`${view.device}.${c.name} is a BLOB: the IoTDB REST API stores JSON text, not bytes; use iotdb:// (native RPC) for exact BLOBs, or --rest-blob hex-text to store their 0x-hex text`, {
    sink: 'iotdb-rest', failure: 'invalid', retryable: false,
  });
}

function appendValue(out: ByteBuffer, c: ColumnView, r: number): void {
  if (!isValid(c, r)) { out.ascii('null'); return; }
  switch (c.type) {
    case 'BOOLEAN': out.ascii(boolAt(c, r) ? 'true' : 'false'); return;
    case 'INT32': out.int(c.numbers![r]!); return;
    case 'DATE': out.int(daysToYmd(c.numbers![r]!)); return;
    case 'INT64': case 'TIMESTAMP': appendInt64(out, c.words!, r); return;
    case 'FLOAT': case 'DOUBLE': {
      const v = c.numbers![r]!;
      out.ascii(Number.isFinite(v) ? jsonFloatText(c.type, v) : `"${String(v)}"`);
      return;
    }
    case 'BLOB': {
      out.ascii(`"0x${hexText(c.bytes!, c.offsets![r]!, c.offsets![r + 1]!)}"`);
      return;
    }
    default: appendJsonString(out, c.bytes!, c.offsets![r]!, c.offsets![r + 1]!);
  }
}

function rowsOf(view: BatchView, from: number, to: number): Int32Array {
  const perm = timeOrder(view);
  const rows = new Int32Array(to - from);
  for (let i = 0; i < rows.length; i++) rows[i] = perm === null ? from + i : perm[from + i]!;
  return rows;
}

/** Appends `{device, is_aligned, timestamps, measurements, data_types, values}` for rows [from, to). */
export function appendTreeTablet(out: ByteBuffer, view: BatchView, from: number, to: number, device = view.device): void {
  const rows = rowsOf(view, from, to);
  out.ascii('{"device":');
  out.utf8(JSON.stringify(quotePath(device)));
  out.ascii(`,"is_aligned":${view.aligned},"timestamps":[`);
  for (let i = 0; i < rows.length; i++) { if (i > 0) out.byte(44); appendInt64(out, view.timeWords, rows[i]!); }
  out.ascii('],"measurements":');
  out.utf8(JSON.stringify(view.columns.map((c) => quoteNode(c.name))));
  out.ascii(',"data_types":');
  out.ascii(JSON.stringify(view.columns.map((c) => c.type)));
  out.ascii(',"values":[');
  view.columns.forEach((c, k) => {
    if (k > 0) out.byte(44);
    out.byte(91);
    for (let i = 0; i < rows.length; i++) { if (i > 0) out.byte(44); appendValue(out, c, rows[i]!); }
    out.byte(93);
  });
  out.ascii(']}');
}

/** Appends a table-model insertTablet body: tag columns first (STRING TAG), then fields. */
export function appendTableTablet(out: ByteBuffer, view: BatchView, from: number, to: number, database: string, tagColumns: string[]): void {
  const rows = rowsOf(view, from, to);
  const tags = view.tags ?? [];
  out.ascii('{"database":');
  out.utf8(JSON.stringify(database));
  out.ascii(',"table":');
  out.utf8(JSON.stringify(view.table ?? view.device));
  out.ascii(',"column_names":');
  out.utf8(JSON.stringify([...tagColumns, ...view.columns.map((c) => c.name)]));
  out.ascii(',"column_categories":');
  out.ascii(JSON.stringify([...tagColumns.map(() => 'TAG'), ...view.columns.map(() => 'FIELD')]));
  out.ascii(',"data_types":');
  out.ascii(JSON.stringify([...tagColumns.map(() => 'STRING'), ...view.columns.map((c) => c.type)]));
  out.ascii(',"timestamps":[');
  for (let i = 0; i < rows.length; i++) { if (i > 0) out.byte(44); appendInt64(out, view.timeWords, rows[i]!); }
  out.ascii('],"values":[');
  const tagJson = tagColumns.map((_, k) => JSON.stringify(tags[k] ?? null)).join(',');
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) out.byte(44);
    out.byte(91);
    out.utf8(tagJson);
    view.columns.forEach((c, k) => { if (k > 0 || tagColumns.length > 0) out.byte(44); appendValue(out, c, rows[i]!); });
    out.byte(93);
  }
  out.ascii(']}');
}
