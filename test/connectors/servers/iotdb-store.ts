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
