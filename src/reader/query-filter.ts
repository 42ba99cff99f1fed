/**
 * A query's value filter: a small typed expression tree over series paths and `time` (=, !=, <, <=,
 * >, >=, IS NULL, IS NOT NULL, AND, OR, NOT), bound to the series' types, decided per block from
 * statistics (which times can still match) and evaluated vectorised over decoded columns.
 *
 * Logic is SQL's three-valued one: a comparison with a null (a series without a point at a row's
 * time) is unknown, NOT unknown is unknown, and a row is kept only when the filter is true. Numbers
 * compare as IEEE doubles do (NaN equals nothing and is unequal to everything; −0 = 0); INT64 and
 * TIMESTAMP compare as exact int64s; TEXT, STRING and BLOB as unsigned byte strings (UTF-8 order);
 * BOOLEAN with false < true; DATE by calendar date. A FLOAT column is compared with the constant
 * rounded to float, the value a FLOAT literal denotes.
 */
import type { Data } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';
import { DataType, dataTypeName } from '../format/codes.js';
import type { Statistics } from '../format/statistics.js';
import { daysFromCivil } from '../arrow/columns.js';
import { parseInstant } from '../arrow/instant-text.js';
import type { TimeUnitName } from '../arrow/time-unit.js';
import { ALL_TIMES, complement, intersect, NO_TIMES, timeSetOf, type TimeSet, union } from './time-intervals.js';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type FilterValue = number | bigint | string | boolean | Uint8Array | Date;

/** A filter over full series paths (`root.sg.d1.s1`) and `time` (the row's timestamp, in the file's unit). */
export type QueryFilter =
  | { op: CompareOp; path: string; value: FilterValue }
  | { op: 'isNull' | 'isNotNull'; path: string }
  | { op: 'and' | 'or'; args: readonly QueryFilter[] }
  | { op: 'not'; arg: QueryFilter };

/** Builders of filters: `where.and(where.gt('root.sg.d1.s1', 10), where.ge('time', '2024-01-01T00:00:00Z'))`. */
export const where = {
  eq: (path: string, value: FilterValue): QueryFilter => ({ op: '=', path, value }),
  ne: (path: string, value: FilterValue): QueryFilter => ({ op: '!=', path, value }),
  lt: (path: string, value: FilterValue): QueryFilter => ({ op: '<', path, value }),
  le: (path: string, value: FilterValue): QueryFilter => ({ op: '<=', path, value }),
  gt: (path: string, value: FilterValue): QueryFilter => ({ op: '>', path, value }),
  ge: (path: string, value: FilterValue): QueryFilter => ({ op: '>=', path, value }),
  isNull: (path: string): QueryFilter => ({ op: 'isNull', path }),
  isNotNull: (path: string): QueryFilter => ({ op: 'isNotNull', path }),
  and: (...args: QueryFilter[]): QueryFilter => ({ op: 'and', args }),
  or: (...args: QueryFilter[]): QueryFilter => ({ op: 'or', args }),
  not: (arg: QueryFilter): QueryFilter => ({ op: 'not', arg }),
};

/** Kleene truth values, ordered so that AND is min and OR is max. */
export const FALSE = 0;
export const UNKNOWN = 1;
export const TRUE = 2;

/** A comparison bound to one column (a slot of the query) and its type. */
export interface BoundCompare {
  kind: 'compare';
  op: CompareOp;
  slot: number;
  type: DataType;
  /** INT32, FLOAT, DOUBLE, BOOLEAN (0/1): the constant; DATE: days since the epoch (as decoded rows hold it). */
  num: number;
  /** DATE: the constant as yyyymmdd (as statistics hold it). */
  ymd: number;
  /** INT64, TIMESTAMP. */
  big: bigint;
  /** TEXT, STRING, BLOB. */
  bytes: Uint8Array;
}

export type BoundFilter =
  | BoundCompare
  | { kind: 'time'; op: CompareOp; t: bigint }
  | { kind: 'isNull' | 'isNotNull'; slot: number }
  | { kind: 'and' | 'or'; args: BoundFilter[] }
  | { kind: 'not'; arg: BoundFilter };

/** The column a path names: its slot in the query and its type; undefined for an unknown path. */
export type PathResolver = (path: string) => { slot: number; type: DataType } | undefined;

const OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const utf8 = new TextEncoder();

/** Checks a filter's shape and binds its paths and constants to the columns' types. */
export function bindFilter(f: QueryFilter, resolve: PathResolver, unit: TimeUnitName): BoundFilter {
  if (f === null || typeof f !== 'object') throw bad('a filter object', f);
  switch (f.op) {
    case 'and':
    case 'or':
      if (!Array.isArray(f.args) || f.args.length === 0) throw bad(`${f.op} with at least one operand`, f.args);
      return { kind: f.op, args: f.args.map((a) => bindFilter(a, resolve, unit)) };
    case 'not':
      return { kind: 'not', arg: bindFilter(f.arg, resolve, unit) };
    case 'isNull':
    case 'isNotNull': {
      // Every row has a time.
      if (f.path === 'time') return constant(f.op === 'isNotNull');
      return { kind: f.op, slot: column(f.path, resolve).slot };
    }
    default: {
      const op = (f as { op: unknown }).op;
      if (typeof op !== 'string' || !OPS.has(op)) throw bad("an operator among =, !=, <, <=, >, >=, isNull, isNotNull, and, or, not", op);
      const c = f as { op: CompareOp; path: string; value: FilterValue };
      if (c.path === 'time') return { kind: 'time', op: c.op, t: timeConstant(c.value, unit, 'time') };
      const col = column(c.path, resolve);
      return { kind: 'compare', op: c.op, slot: col.slot, type: col.type, ...bindConstant(c.path, col.type, c.value, unit) };
    }
  }
}

/** A filter that is always true or always false (`time IS NOT NULL`, `time IS NULL`). */
function constant(v: boolean): BoundFilter {
  // AND of nothing is true; OR of nothing is false.
  return { kind: v ? 'and' : 'or', args: [] };
}

function column(path: string, resolve: PathResolver): { slot: number; type: DataType } {
  if (typeof path !== 'string') throw bad('a series path (string)', path);
  const c = resolve(path);
  if (c === undefined) throw new TsFileError(ErrorCode.NOT_FOUND, `filter names an unknown series "${path}"`, { expected: 'a path of a series in the file' });
  return c;
}

function bad(expected: string, actual: unknown): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, 'invalid query filter', { expected, actual: describe(actual) });
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function timeConstant(v: FilterValue, unit: TimeUnitName, what: string): bigint {
  if (typeof v === 'bigint') return checkInt64(v, what);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw mismatch(what, 'an integer epoch value (safe integer or bigint)', v);
    return BigInt(v);
  }
  if (typeof v === 'string') return parseInstant(v, unit, what);
  if (v instanceof Date) {
    const ms = v.getTime();
    if (Number.isNaN(ms)) throw mismatch(what, 'a valid Date', v);
    return BigInt(ms) * (unit === 'ms' ? 1n : unit === 'us' ? 1000n : 1_000_000n);
  }
  throw mismatch(what, 'an instant (epoch integer, ISO-8601 text or Date)', v);
}

function checkInt64(v: bigint, what: string): bigint {
  if (v < -(1n << 63n) || v >= 1n << 63n) throw mismatch(what, 'an int64 value', v);
  return v;
}

function mismatch(what: string, expected: string, actual: unknown): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, `filter constant for ${what} does not fit its type`, { expected, actual: describe(actual) });
}

const EMPTY = new Uint8Array(0);

function bindConstant(path: string, type: DataType, v: FilterValue, unit: TimeUnitName): Omit<BoundCompare, 'kind' | 'op' | 'slot' | 'type'> {
  const out = { num: 0, ymd: 0, big: 0n, bytes: EMPTY };
  const what = `${path} (${dataTypeName(type)})`;
  switch (type) {
    case DataType.BOOLEAN:
      if (typeof v === 'boolean') return { ...out, num: v ? 1 : 0 };
      if (v === 'true' || v === 'false') return { ...out, num: v === 'true' ? 1 : 0 };
      throw mismatch(what, 'true or false', v);
    case DataType.INT32: {
      const n = typeof v === 'bigint' && v >= -(1n << 53n) && v <= 1n << 53n ? Number(v) : typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw mismatch(what, 'an integer', v);
      return { ...out, num: n };
    }
    case DataType.INT64:
    case DataType.VECTOR:
      if (typeof v === 'bigint') return { ...out, big: checkInt64(v, what) };
      if (typeof v === 'number' && Number.isSafeInteger(v)) return { ...out, big: BigInt(v) };
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return { ...out, big: checkInt64(BigInt(v.trim()), what) };
      throw mismatch(what, 'an integer (bigint, safe integer or integer text)', v);
    case DataType.TIMESTAMP:
      return { ...out, big: timeConstant(v, unit, what) };
    case DataType.FLOAT:
    case DataType.DOUBLE: {
      const n = typeof v === 'number' ? v : typeof v === 'string' ? numberText(v) : undefined;
      if (n === undefined) throw mismatch(what, 'a number', v);
      return { ...out, num: type === DataType.FLOAT ? Math.fround(n) : n };
    }
    case DataType.DATE: {
      const ymd = dateConstant(v);
      if (ymd === undefined) throw mismatch(what, 'a date YYYY-MM-DD (text or Date)', v);
      return { ...out, ymd, num: daysFromCivil(Math.trunc(ymd / 10000), Math.trunc(ymd / 100) % 100, ymd % 100) };
    }
    case DataType.TEXT:
    case DataType.STRING:
      if (typeof v === 'string') return { ...out, bytes: utf8.encode(v) };
      if (v instanceof Uint8Array) return { ...out, bytes: v };
      throw mismatch(what, 'text', v);
    case DataType.BLOB:
      if (v instanceof Uint8Array) return { ...out, bytes: v };
      if (typeof v === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(v)) return { ...out, bytes: Uint8Array.from(v.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16)) };
      throw mismatch(what, 'bytes (Uint8Array or 0x-prefixed hex text)', v);
  }
}

function numberText(s: string): number | undefined {
  const t = s.trim();
  if (t === 'NaN') return NaN;
  if (t === 'Infinity' || t === '+Infinity') return Infinity;
  if (t === '-Infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

function dateConstant(v: FilterValue): number | undefined {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return v.getUTCFullYear() * 10000 + (v.getUTCMonth() + 1) * 100 + v.getUTCDate();
  }
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  return y * 10000 + mo * 100 + d;
}

/** The slots a bound filter reads, in first-use order. */
export function filterSlots(f: BoundFilter, out: number[] = []): number[] {
  switch (f.kind) {
    case 'and':
    case 'or':
      for (const a of f.args) filterSlots(a, out);
      break;
    case 'not':
      filterSlots(f.arg, out);
      break;
    case 'time':
      break;
    default:
      if (!out.includes(f.slot)) out.push(f.slot);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statistics: which times can still give a true (or a false) row.

/** Statistics of a block of one column (a chunk or a page) and the span it covers. */
export type BlockStats = Statistics;

/** Whether some value of the block may make the comparison true, and whether some may make it false. */
export function blockMay(c: BoundCompare, s: BlockStats): { t: boolean; f: boolean } {
  if (s.count === 0) return { t: false, f: false };
  const r = range(c, s);
  if (r === undefined) return { t: true, f: true };
  const { lo, hi, nan } = r;
  // For each operator: may some value v in [lo, hi] satisfy it, may some fail it.
  let t: boolean;
  let f: boolean;
  switch (c.op) {
    case '=':
      t = lo <= 0 && hi >= 0;
      f = !(lo === 0 && hi === 0);
      break;
    case '!=':
      t = !(lo === 0 && hi === 0);
      f = lo <= 0 && hi >= 0;
      break;
    case '<':
      t = lo < 0;
      f = hi >= 0;
      break;
    case '<=':
      t = lo <= 0;
      f = hi > 0;
      break;
    case '>':
      t = hi > 0;
      f = lo <= 0;
      break;
    case '>=':
      t = hi >= 0;
      f = lo < 0;
      break;
  }
  // A NaN compares false with everything (so `!=` is true).
  if (nan) {
    if (c.op === '!=') t = true;
    else f = true;
  }
  return { t, f };
}

/**
 * Where the block's values lie relative to the constant: lo = sign(min − c), hi = sign(max − c);
 * `nan` when NaN values may be present. Undefined when the statistics carry no bounds.
 */
function range(c: BoundCompare, s: BlockStats): { lo: number; hi: number; nan: boolean } | undefined {
  switch (s.kind) {
    case 'int32':
      if (c.type === DataType.DATE) return { lo: sign3(s.min, c.ymd), hi: sign3(s.max, c.ymd), nan: false };
      return { lo: sign3(s.min, c.num), hi: sign3(s.max, c.num), nan: false };
    case 'int64':
      return { lo: s.min < c.big ? -1 : s.min > c.big ? 1 : 0, hi: s.max < c.big ? -1 : s.max > c.big ? 1 : 0, nan: false };
    case 'float':
    case 'double': {
      // Statistics skip NaN values, or hold NaN when the first value was one: bounds then say nothing.
      if (Number.isNaN(s.min) || Number.isNaN(s.max) || Number.isNaN(c.num)) return Number.isNaN(c.num) ? { lo: 1, hi: -1, nan: true } : undefined;
      return { lo: sign3(s.min, c.num), hi: sign3(s.max, c.num), nan: true };
    }
    case 'boolean': {
      const trues = Number(s.sum);
      const min = trues === s.count ? 1 : 0;
      const max = trues > 0 ? 1 : 0;
      return { lo: sign3(min, c.num), hi: sign3(max, c.num), nan: false };
    }
    case 'string':
      return { lo: Math.sign(compareBytes(s.min, 0, s.min.length, c.bytes)), hi: Math.sign(compareBytes(s.max, 0, s.max.length, c.bytes)), nan: false };
    default:
      return undefined;
  }
}

function sign3(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Candidate times of a filter: every time at which it may be true, from the statistics of the
 * blocks of each column it reads (`blocksOf(slot)`: blocks whose times intersect the query's). The
 * two sets per node are where it may be true and where it may be false; a column's null rows are
 * neither, so NOT (s > 10) does not keep the times where s has no point.
 */
export function candidateTimes(f: BoundFilter, blocksOf: (slot: number) => readonly BlockStats[]): TimeSet {
  return mayBe(f, blocksOf).t;
}

function mayBe(f: BoundFilter, blocksOf: (slot: number) => readonly BlockStats[]): { t: TimeSet; f: TimeSet } {
  switch (f.kind) {
    case 'and': {
      let t = ALL_TIMES;
      let fl = NO_TIMES;
      for (const a of f.args) {
        const m = mayBe(a, blocksOf);
        t = intersect(t, m.t);
        fl = union(fl, m.f);
      }
      return { t, f: fl };
    }
    case 'or': {
      let t = NO_TIMES;
      let fl = ALL_TIMES;
      for (const a of f.args) {
        const m = mayBe(a, blocksOf);
        t = union(t, m.t);
        fl = intersect(fl, m.f);
      }
      return { t, f: fl };
    }
    case 'not': {
      const m = mayBe(f.arg, blocksOf);
      return { t: m.f, f: m.t };
    }
    case 'time': {
      const t = timeSetOf([timeSpan(f.op, f.t)].flat());
      return { t, f: complement(t) };
    }
    case 'isNull':
    case 'isNotNull': {
      const present = timeSetOf(blocksOf(f.slot).filter((b) => b.count > 0).map((b) => [b.startTime, b.endTime] as const));
      return f.kind === 'isNull' ? { t: ALL_TIMES, f: present } : { t: present, f: ALL_TIMES };
    }
    case 'compare': {
      const t: [bigint, bigint][] = [];
      const fl: [bigint, bigint][] = [];
      for (const b of blocksOf(f.slot)) {
        const m = blockMay(f, b);
        if (m.t) t.push([b.startTime, b.endTime]);
        if (m.f) fl.push([b.startTime, b.endTime]);
      }
      return { t: timeSetOf(t), f: timeSetOf(fl) };
    }
  }
}

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** The times satisfying `time op t`, as spans. */
function timeSpan(op: CompareOp, t: bigint): [bigint, bigint][] {
  switch (op) {
    case '=':
      return [[t, t]];
    case '!=':
      return [
        [I64_MIN, t - 1n],
        [t + 1n, I64_MAX],
      ];
    case '<':
      return [[I64_MIN, t - 1n]];
    case '<=':
      return [[I64_MIN, t]];
    case '>':
      return [[t + 1n, I64_MAX]];
    case '>=':
      return [[t, I64_MAX]];
  }
}

// ---------------------------------------------------------------------------------------------
// Vectorised evaluation over decoded rows.

/**
 * The filter's truth value (FALSE, UNKNOWN, TRUE) for each of `n` rows: `times` are the rows'
 * timestamps, `columns[slot]` the rows' values of each column the filter reads (offset-0 Data of n rows).
 */
export function evaluateFilter(f: BoundFilter, n: number, times: BigInt64Array, columns: readonly (Data | undefined)[]): Uint8Array {
  switch (f.kind) {
    case 'and':
    case 'or': {
      const out = new Uint8Array(n).fill(f.kind === 'and' ? TRUE : FALSE);
      for (const a of f.args) {
        const r = evaluateFilter(a, n, times, columns);
        if (f.kind === 'and') for (let i = 0; i < n; i++) out[i] = out[i]! < r[i]! ? out[i]! : r[i]!;
        else for (let i = 0; i < n; i++) out[i] = out[i]! > r[i]! ? out[i]! : r[i]!;
      }
      return out;
    }
    case 'not': {
      const r = evaluateFilter(f.arg, n, times, columns);
      for (let i = 0; i < n; i++) r[i] = TRUE - r[i]!;
      return r;
    }
    case 'time':
      return compareWords(new Int32Array(times.buffer, times.byteOffset, n * 2), n, f.op, f.t, undefined);
    case 'isNull':
    case 'isNotNull': {
      const d = columns[f.slot]!;
      const out = new Uint8Array(n);
      const hit = f.kind === 'isNull' ? TRUE : FALSE;
      for (let i = 0; i < n; i++) out[i] = isValid(d, i) ? TRUE - hit : hit;
      return out;
    }
    case 'compare':
      return compareColumn(f, n, columns[f.slot]!);
  }
}

function isValid(d: Data, i: number): boolean {
  const bits = d.nullBitmap;
  if (bits === undefined || bits.length === 0 || d.nullCount === 0) return true;
  const k = d.offset + i;
  return ((bits[k >> 3]! >> (k & 7)) & 1) === 1;
}

/** Validity as one byte per row (1 = has a value). */
function validBytes(d: Data, n: number): Uint8Array | undefined {
  const bits = d.nullBitmap;
  if (bits === undefined || bits.length === 0 || d.nullCount === 0) return undefined;
  const out = new Uint8Array(n);
  const o = d.offset;
  for (let i = 0; i < n; i++) out[i] = (bits[(o + i) >> 3]! >> ((o + i) & 7)) & 1;
  return out;
}

function truth(op: CompareOp, sign: number): boolean {
  switch (op) {
    case '=':
      return sign === 0;
    case '!=':
      return sign !== 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
  }
}

function compareColumn(c: BoundCompare, n: number, d: Data): Uint8Array {
  const valid = validBytes(d, n);
  switch (c.type) {
    case DataType.INT64:
    case DataType.TIMESTAMP:
    case DataType.VECTOR: {
      const v = d.values as unknown as BigInt64Array | Int32Array;
      const words = v instanceof BigInt64Array ? new Int32Array(v.buffer, v.byteOffset, n * 2) : v;
      return compareWords(words, n, c.op, c.big, valid);
    }
    case DataType.TEXT:
    case DataType.STRING:
    case DataType.BLOB: {
      const out = new Uint8Array(n);
      const offsets = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        if (valid !== undefined && valid[i] === 0) out[i] = UNKNOWN;
        else out[i] = truth(c.op, compareBytes(bytes, offsets[i]!, offsets[i + 1]!, c.bytes)) ? TRUE : FALSE;
      }
      return out;
    }
    case DataType.BOOLEAN: {
      const out = new Uint8Array(n);
      const bits = d.values as Uint8Array;
      const o = d.offset;
      for (let i = 0; i < n; i++) {
        if (valid !== undefined && valid[i] === 0) out[i] = UNKNOWN;
        else out[i] = truth(c.op, ((bits[(o + i) >> 3]! >> ((o + i) & 7)) & 1) - c.num) ? TRUE : FALSE;
      }
      return out;
    }
    default:
      return compareNumbers(d.values as Int32Array | Float32Array | Float64Array, n, c.op, c.num, valid);
  }
}

/** Numbers against a constant with JavaScript's (IEEE) comparisons: NaN is false except under `!=`. */
function compareNumbers(v: Int32Array | Float32Array | Float64Array, n: number, op: CompareOp, k: number, valid: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(n);
  switch (op) {
    case '=':
      for (let i = 0; i < n; i++) out[i] = v[i] === k ? TRUE : FALSE;
      break;
    case '!=':
      for (let i = 0; i < n; i++) out[i] = v[i] !== k ? TRUE : FALSE;
      break;
    case '<':
      for (let i = 0; i < n; i++) out[i] = v[i]! < k ? TRUE : FALSE;
      break;
    case '<=':
      for (let i = 0; i < n; i++) out[i] = v[i]! <= k ? TRUE : FALSE;
      break;
    case '>':
      for (let i = 0; i < n; i++) out[i] = v[i]! > k ? TRUE : FALSE;
      break;
    case '>=':
      for (let i = 0; i < n; i++) out[i] = v[i]! >= k ? TRUE : FALSE;
      break;
  }
  if (valid !== undefined) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = UNKNOWN;
  return out;
}

/** int64s given as (lo, hi) word pairs against a constant, without a BigInt per row. */
function compareWords(w: Int32Array, n: number, op: CompareOp, k: bigint, valid: Uint8Array | undefined): Uint8Array {
  const kh = Number(BigInt.asIntN(32, k >> 32n));
  const kl = Number(BigInt.asUintN(32, k));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const h = w[2 * i + 1]!;
    const l = w[2 * i]! >>> 0;
    const sign = h < kh ? -1 : h > kh ? 1 : l < kl ? -1 : l > kl ? 1 : 0;
    out[i] = truth(op, sign) ? TRUE : FALSE;
  }
  if (valid !== undefined) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = UNKNOWN;
  return out;
}

/** Unsigned byte-wise comparison of a[from, to) with b. */
export function compareBytes(a: Uint8Array, from: number, to: number, b: Uint8Array): number {
  const la = to - from;
  const m = Math.min(la, b.length);
  for (let i = 0; i < m; i++) {
    const x = a[from + i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la < b.length ? -1 : la > b.length ? 1 : 0;
}
