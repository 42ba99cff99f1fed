/**
 * Imported value texts parsed straight into the typed column a series is written from
 * (Uint8Array for BOOLEAN, Int32Array for INT32/DATE, BigInt64Array for INT64/TIMESTAMP,
 * Float32Array/Float64Array for FLOAT/DOUBLE; plain arrays for TEXT, STRING, BLOB), with a
 * validity mask for rows without a value. A text that does not fit the type is refused exactly as
 * `parseValue` refuses it, naming the series and input line.
 */
import { DataType } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { ColumnInput } from '../writer/input.js';
import { parseValue, type ParsedValue } from './infer.js';

const INT = /^-?\d+$/;
const NUM = /^(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|-?Infinity|-0)$/;

type Values = Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array | ParsedValue[];

export class ColumnBuilder {
  private readonly values: Values;
  /** 1 where a row has a value; made on the first row without one (or at once when `sparse`). */
  private valid: Uint8Array | undefined;

  /** `sparse`: rows start without a value (rows of several series merged by time). */
  constructor(
    private readonly type: DataType,
    rows: number,
    sparse: boolean,
    private readonly where: (line: number) => string,
  ) {
    switch (type) {
      case DataType.BOOLEAN:
        this.values = new Uint8Array(rows);
        break;
      case DataType.INT32:
      case DataType.DATE:
        this.values = new Int32Array(rows);
        break;
      case DataType.INT64:
      case DataType.TIMESTAMP:
        this.values = new BigInt64Array(rows);
        break;
      case DataType.FLOAT:
        this.values = new Float32Array(rows);
        break;
      case DataType.DOUBLE:
        this.values = new Float64Array(rows);
        break;
      default:
        this.values = new Array<ParsedValue>(rows).fill(null);
    }
    if (sparse) this.valid = new Uint8Array(rows);
  }

  /** Row `row` holds `text` (from input line `line`); an empty text of a non-text type is no value. */
  set(row: number, text: string, line: number): void {
    const t = this.type;
    const v = this.values;
    switch (t) {
      case DataType.DOUBLE:
        if (text !== '' && NUM.test(text)) {
          (v as Float64Array)[row] = Number(text);
          break;
        }
        return this.slow(row, text, line);
      case DataType.INT64:
      case DataType.TIMESTAMP:
        if (INT.test(text)) {
          if (text.length < 16) {
            (v as BigInt64Array)[row] = BigInt(Number(text));
            break;
          }
        }
        return this.slow(row, text, line);
      case DataType.BOOLEAN:
        if (text === 'true') (v as Uint8Array)[row] = 1;
        else if (text !== 'false') return this.slow(row, text, line);
        break;
      default:
        return this.slow(row, text, line);
    }
    if (this.valid !== undefined) this.valid[row] = 1;
  }

  private slow(row: number, text: string, line: number): void {
    const x = parseValue(this.type, text, this.where(line));
    if (x === null) {
      this.valid ??= new Uint8Array(this.values.length).fill(1);
      this.valid[row] = 0;
      return;
    }
    const v = this.values;
    if (Array.isArray(v)) v[row] = x;
    else if (v instanceof BigInt64Array) {
      if (BigInt.asIntN(64, x as bigint) !== x) throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `value "${text}" is outside the int64 range (${this.where(line)})`);
      v[row] = x as bigint;
    }
    else (v as Uint8Array | Int32Array | Float32Array | Float64Array)[row] = typeof x === 'boolean' ? (x ? 1 : 0) : (x as number);
    if (this.valid !== undefined) this.valid[row] = 1;
  }

  /** The column as the writer takes it. */
  finish(): ColumnInput {
    const v = this.values;
    if (Array.isArray(v)) {
      const valid = this.valid;
      if (valid !== undefined) for (let i = 0; i < v.length; i++) if (valid[i] === 0) v[i] = null;
      return v as ColumnInput;
    }
    return this.valid === undefined ? v : { values: v, valid: this.valid };
  }
}
