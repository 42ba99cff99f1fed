/** Typed errors for rejected writes: every message names the device, the measurement and the row. */
import type { ColumnValues } from '../encoding/types.js';
import { type DataType, dataTypeName } from '../format/codes.js';
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { TimeUnitName } from '../arrow/time-unit.js';

/** One column after conversion: one value per row, and `valid[r]` = 0 for null rows (undefined: no nulls). */
export interface RowColumn {
  values: ColumnValues;
  valid: Uint8Array | undefined;
}

export interface InputContext {
  device: string;
  file: string | undefined;
  /** Unit of the file's times: Arrow Timestamp/Date inputs are converted to it (default 'ms'). */
  timeUnit?: TimeUnitName;
  /** Names the row in messages instead of its index (an appended record: its time). */
  at?: string;
}

export function inputError(ctx: InputContext, message: string, measurement?: string, row?: number, expected?: string, actual?: string): TsFileError {
  const where = [`device ${ctx.device}`];
  if (measurement !== undefined) where.push(`measurement ${measurement}`);
  if (ctx.at !== undefined) where.push(ctx.at);
  else if (row !== undefined) where.push(`row ${row}`);
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, `${message} (${where.join(', ')})`, { file: ctx.file, expected, actual });
}

export function mismatch(ctx: InputContext, measurement: string, type: DataType, actual: string): TsFileError {
  return inputError(ctx, 'type mismatch', measurement, undefined, `values for ${dataTypeName(type)}`, actual);
}

