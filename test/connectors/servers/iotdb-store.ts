/**
 * What an IoTDB test server holds: points per device and measurement, keyed by time (a second write
 * of the same point overwrites it, as in IoTDB), with values in the fixtures' canonical text form so
 * tests can compare against the expected CSV (fixtures/README.md "Canonical CSV layout").
 */

export class IoTDBStore {
  /** device → measurement → time → value */
  readonly points = new Map<string, Map<string, Map<bigint, string>>>();
  readonly types = new Map<string, string>();
  readonly alignedDevices = new Set<string>();
  readonly timeseries = new Set<string>();
  /** Number of point writes received (including overwrites). */
  writes = 0;

  put(device: string, measurement: string, type: string, time: bigint, value: string): string | undefined {
    const key = `${device}.${measurement}`;
    const known = this.types.get(key);
    if (known !== undefined && known !== type) return `data type of ${key} is ${known}, not ${type}`;
    this.types.set(key, type);
    let d = this.points.get(device);
    if (d === undefined) this.points.set(device, (d = new Map()));
    let m = d.get(measurement);
    if (m === undefined) d.set(measurement, (m = new Map()));
    m.set(time, value);
    this.writes++;
    return undefined;
  }

  /** Canonical CSV lines (without header) sorted by device, measurement, time. */
  lines(): string[] {
    const out: string[] = [];
    const cmp = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    for (const device of [...this.points.keys()].sort(cmp)) {
      const d = this.points.get(device)!;
      for (const m of [...d.keys()].sort(cmp)) {
        const series = d.get(m)!;
        for (const t of [...series.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out.push(csvLine([device, m, String(t), series.get(t)!]));
      }
    }
    return out;
  }

  count(): number {
    let n = 0;
    for (const d of this.points.values()) for (const m of d.values()) n += m.size;
    return n;
  }
}

export function csvLine(fields: string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/** Canonical text of a value decoded from the wire. */
export function canonical(type: string, v: number | bigint | boolean | Uint8Array | string): string {
  switch (type) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'FLOAT': return Object.is(v, -0) ? '-0' : String(Math.fround(v as number));
    case 'DOUBLE': return Object.is(v, -0) ? '-0' : String(v);
    case 'DATE': { const n = Number(v); return `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`; }
    case 'BLOB': return `0x${Buffer.from(v as Uint8Array).toString('hex')}`;
    case 'TEXT': case 'STRING': return typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('utf8');
    default: return String(v);
  }
}

export const TYPE_NAMES: Record<number, string> = { 0: 'BOOLEAN', 1: 'INT32', 2: 'INT64', 3: 'FLOAT', 4: 'DOUBLE', 5: 'TEXT', 8: 'TIMESTAMP', 9: 'DATE', 10: 'BLOB', 11: 'STRING' };

/**
 * IoTDB's path syntax as a server reads it: nodes separated by '.', each either unquoted — only
 * `[0-9A-Za-z_]` and U+2E80–U+9FFF, and not a number — or wrapped in backticks with an inner
 * backtick doubled. Returns the raw node names, or the reason the path is illegal.
 */
export function readPathNodes(path: string): string[] | string {
  const nodes: string[] = [];
  let i = 0;
  while (i <= path.length) {
    if (path[i] === '`') {
      let name = '';
      i++;
      for (;;) {
        if (i >= path.length) return `${path}: unterminated backquote`;
        if (path[i] === '`') {
          if (path[i + 1] === '`') { name += '`'; i += 2; continue; }
          i++;
          break;
        }
        name += path[i++];
      }
      if (name === '') return `${path}: empty quoted node`;
      nodes.push(name);
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.') j++;
      const name = path.slice(i, j);
      if (!/^[0-9A-Za-z_\u2E80-\u9FFF]+$/.test(name)) return `${path} is not a legal path: node "${name}" must be quoted`;
      if (/^[0-9]+([eE][0-9]+)?$/.test(name)) return `${path} is not a legal path: node ${name} is a number`;
      nodes.push(name);
      i = j;
    }
    if (i === path.length) break;
    if (path[i] !== '.') return `${path}: text after a quoted node`;
    i++;
  }
  return nodes;
}

/** The device key a store uses: raw nodes joined by '.', a node holding a '.' kept in backticks (as a TsFile stores it). */
export function storeDevice(nodes: string[]): string {
  return nodes.map((n) => (n.includes('.') ? printNode(n) : n)).join('.');
}

/** Raw nodes of a store device key. */
function nodesOf(device: string): string[] {
  const n = patternNodes(device);
  return typeof n === 'string' ? device.split('.') : n;
}

/** A node in IoTDB syntax, quoted as a server prints it. */
export function printNode(n: string): string {
  return /^[0-9A-Za-z_\u2E80-\u9FFF]+$/.test(n) && !/^[0-9]+([eE][0-9]+)?$/.test(n) ? n : `\`${n.replace(/`/g, '``')}\``;
}

/** A path pattern (`*` one node, `**` any nodes) split into nodes; quoted nodes read raw. */
function patternNodes(p: string): string[] | string {
  const parts: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '`') { if (q && p[i + 1] === '`') { cur += '``'; i++; continue; } q = !q; cur += c; continue; }
    if (c === '.' && !q) { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '*' || part === '**') { out.push(part); continue; }
    const n = readPathNodes(part);
    if (typeof n === 'string' || n.length !== 1) return `illegal pattern node ${part}`;
    out.push(n[0]!);
  }
  return out;
}

function matchNodes(nodes: string[], pat: string[]): boolean {
  if (pat.length === 0) return nodes.length === 0;
  if (pat[0] === '**') {
    for (let k = 1; k <= nodes.length; k++) if (matchNodes(nodes.slice(k), pat.slice(1))) return true;
    return false;
  }
  if (nodes.length === 0) return false;
  return (pat[0] === '*' || pat[0] === nodes[0]) && matchNodes(nodes.slice(1), pat.slice(1));
}

export interface StoreQueryResult {
  columns: string[];
  types: string[];
  /** null for metadata answers (no time column). */
  times: bigint[] | null;
  /** column-major canonical text values, null = no value */
  values: (string | null)[][];
}

/**
 * The query statements a reader sends, answered from a store the way IoTDB does (connectors.md
 * §1.2 query shape): `SHOW DEVICES <pattern>`, `SHOW TIMESERIES <pattern>` and
 * `SELECT m1, m2 FROM <device> [WHERE time >= a [AND time <= b]] [LIMIT n]` (rows in time
 * order, a row for every time any selected series has). Returns an error message otherwise.
 */
export function queryStore(store: IoTDBStore, sql: string): StoreQueryResult | { code: number; message: string } {
  let m = /^SHOW DEVICES (\S+)$/.exec(sql);
  if (m !== null) {
    const pat = patternNodes(m[1]!);
    if (typeof pat === 'string') return { code: 700, message: pat };
    const devices = [...store.points.keys()].filter((d) => matchNodes(nodesOf(d), pat)).sort();
    return { columns: ['Device', 'IsAligned'], types: ['TEXT', 'TEXT'], times: null,
      values: [devices.map((d) => nodesOf(d).map(printNode).join('.')), devices.map((d) => String(store.alignedDevices.has(d)))] };
  }
  m = /^SHOW TIMESERIES (\S+)$/.exec(sql);
  if (m !== null) {
    const pat = patternNodes(m[1]!);
    if (typeof pat === 'string') return { code: 700, message: pat };
    const rows: [string, string][] = [];
    for (const [key, type] of store.types) {
      const dev = [...store.points.keys()].find((d) => key.startsWith(`${d}.`) && store.points.get(d)!.has(key.slice(d.length + 1)));
      if (dev === undefined) continue;
      const nodes = [...nodesOf(dev), key.slice(dev.length + 1)];
      if (matchNodes(nodes, pat)) rows.push([nodes.map(printNode).join('.'), type]);
    }
    rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return { columns: ['Timeseries', 'Alias', 'Database', 'DataType'], types: ['TEXT', 'TEXT', 'TEXT', 'TEXT'], times: null,
      values: [rows.map((r) => r[0]), rows.map(() => null), rows.map((r) => r[0].split('.').slice(0, 2).join('.')), rows.map((r) => r[1])] };
  }
  m = /^SELECT (.+?) FROM (\S+)(?: WHERE (time >= -?\d+)?(?: AND )?(time <= -?\d+)?)?(?: LIMIT (\d+))?$/.exec(sql);
  if (m === null) return { code: 700, message: `SQL parse error: ${sql.slice(0, 80)}` };
  const device = readPathNodes(m[2]!);
  if (typeof device === 'string') return { code: 509, message: device };
  const d = storeDevice(device);
  const names: string[] = [];
  for (const part of m[1]!.split(', ')) {
    const n = readPathNodes(part);
    if (typeof n === 'string' || n.length !== 1) return { code: 509, message: `illegal measurement ${part}` };
    names.push(n[0]!);
  }
  const lo = m[3] !== undefined ? BigInt(m[3].slice(8)) : undefined;
  const hi = m[4] !== undefined ? BigInt(m[4].slice(8)) : undefined;
  const series = names.map((n) => store.points.get(d)?.get(n));
  if (series.some((s) => s === undefined)) return { code: 508, message: `path does not exist: ${m[2]}` };
  const all = new Set<bigint>();
  for (const s of series) for (const t of s!.keys()) if ((lo === undefined || t >= lo) && (hi === undefined || t <= hi)) all.add(t);
  let times = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (m[5] !== undefined) times = times.slice(0, Number(m[5]));
  return {
    columns: names.map((n) => `${device.map(printNode).join('.')}.${printNode(n)}`),
    types: names.map((n) => store.types.get(`${d}.${n}`)!),
    times,
    values: series.map((s) => times.map((t) => s!.get(t) ?? null)),
  };
}
