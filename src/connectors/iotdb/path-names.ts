/**
 * IoTDB path node syntax, for every place a name is sent (tablet device and measurements, REST
 * bodies, DDL, query text): a node may go unquoted only when it consists of `[0-9A-Za-z_]` and CJK
 * characters (U+2E80–U+9FFF) and is not a number; any other node is wrapped in backticks with each
 * inner backtick doubled. Device paths as a TsFile stores them are dot-joined nodes, where a node
 * already in backticks is kept as written. The reverse (`unquoteNode`, `parsePath`) reads the
 * paths IoTDB returns from `SHOW TIMESERIES` and queries.
 */
import { ConnectorError } from '../core/errors.js';

const PLAIN = /^[0-9A-Za-z_\u2E80-\u9FFF]+$/;
/** Integers and decimal exponents: IoTDB reads these as numbers, not names. */
const NUMBER = /^[0-9]+([eE][0-9]+)?$/;

/** True when `name` may appear as a path node without backticks. */
export function isPlainNode(name: string): boolean {
  return PLAIN.test(name) && !NUMBER.test(name);
}

/** The node as IoTDB must receive it. */
export function quoteNode(name: string): string {
  return isPlainNode(name) ? name : `\`${name.split('`').join('``')}\``;
}

/** True when `node` is a complete backquoted node (inner backticks doubled). */
function isQuotedNode(node: string): boolean {
  if (node.length < 2 || node[0] !== '`' || node[node.length - 1] !== '`') return false;
  return !node.slice(1, -1).replace(/``/g, '').includes('`');
}

/** The raw name of a node that may be backquoted. */
export function unquoteNode(node: string): string {
  return isQuotedNode(node) ? node.slice(1, -1).split('``').join('`') : node;
}

/** Splits a path into raw nodes (backquoted nodes may contain dots); throws on an unbalanced quote. */
export function parsePath(path: string, sink = 'iotdb'): string[] {
  const nodes: string[] = [];
  let cur = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (quoted) {
      if (ch === '`') {
        if (path[i + 1] === '`') { cur += '`'; i++; } else quoted = false;
      } else cur += ch;
    } else if (ch === '`' && cur === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (ch === '.') {
      nodes.push(cur);
      cur = '';
      wasQuoted = false;
    } else if (wasQuoted) {
      throw new ConnectorError(`path ${path}: text after a backquoted node`, { sink, failure: 'invalid', retryable: false });
    } else cur += ch;
  }
  if (quoted) throw new ConnectorError(`path ${path}: unbalanced backquote`, { sink, failure: 'invalid', retryable: false });
  nodes.push(cur);
  return nodes;
}

/**
 * Splits a device path as a TsFile stores it into raw nodes: dots separate nodes, and a node written
 * in backticks (as IoTDB itself stores nodes that need them) is read back to its raw name.
 */
export function deviceNodes(device: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < device.length; i++) {
    const ch = device[i]!;
    if (ch === '`' && (quoted ? device[i + 1] !== '`' : cur === '')) { quoted = !quoted; cur += ch; continue; }
    if (ch === '`' && quoted) { cur += '``'; i++; continue; }
    if (ch === '.' && !quoted) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  // An unbalanced backtick means the node was never quoted: keep it as a raw name.
  return out.map((n) => (isQuotedNode(n) ? unquoteNode(n) : n));
}

/** The device path in IoTDB syntax: every node quoted as needed. */
export function quotePath(device: string): string {
  return deviceNodes(device).map(quoteNode).join('.');
}

/** A full series path in IoTDB syntax. */
export function seriesPath(device: string, measurement: string): string {
  return `${quotePath(device)}.${quoteNode(measurement)}`;
}

/**
 * A batch about to be written as a tree-model device must name a path under `root`; a table-model
 * batch (it carries `tsfile.table`) needs a table database, else its `table.tag...` path would be
 * refused by IoTDB (or land somewhere unintended), so say which option fixes it.
 */
export function checkTreeDevice(device: string, table: string | undefined, sink: string): void {
  if (deviceNodes(device)[0] === 'root' && deviceNodes(device).length >= 2) return;
  const why = table !== undefined
    ? `is a table-model device (table ${table}); write it to an IoTDB 2.x table with --table-database DB (tableDatabase)`
    : 'is not a tree-model path under root.';
  throw new ConnectorError(`device ${device} ${why}`, { sink, failure: 'invalid', retryable: false });
}
