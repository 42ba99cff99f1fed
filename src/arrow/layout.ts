/**
 * The TsFile layout an Arrow schema carries in its metadata (key `tsfile.layout`, JSON), so that
 * importing an exported Arrow file rebuilds the same file shape: which devices are aligned, which
 * series each device has, table-model tables with every column (category, type, encoding,
 * compression) and the tag values of each table device. Encodings and compressions shared by
 * every device of a column live in the field's metadata; the per-device entry names only those
 * that differ.
 */
import type { Schema } from 'apache-arrow';
import { ErrorCode, TsFileError } from '../io/errors.js';

export const TSFILE_LAYOUT_KEY = 'tsfile.layout';
/** Field metadata keys of a column's encoding and compression (when every device agrees). */
export const ENCODING_KEY = 'tsfile.encoding';
export const COMPRESSION_KEY = 'tsfile.compression';

export interface LayoutTableColumn {
  name: string;
  category: 'TAG' | 'FIELD' | 'ATTRIBUTE';
  dataType: string;
  encoding: string;
  compression: string;
}

export interface LayoutDevice {
  aligned: boolean;
  /** Table-model device: its table and tag values (null = null tag), in the table's tag order. */
  table?: string;
  tags?: (string | null)[];
  /** Tree device: the Arrow columns holding its series. */
  series?: string[];
  /** Columns whose encoding and compression differ from the field's metadata: column → [encoding, compression]. */
  codecs?: Record<string, [string, string]>;
}

export interface ArrowLayout {
  devices: Record<string, LayoutDevice>;
  /** Table-model tables by name. Older exports wrote `{tags, fields}` instead of `columns`. */
  tables: Record<string, { columns?: LayoutTableColumn[]; tags?: string[]; fields?: string[] }>;
}

/** The layout in a schema's metadata, or undefined when it has none. */
export function layoutOf(schema: Schema): ArrowLayout | undefined {
  const text = schema.metadata.get(TSFILE_LAYOUT_KEY);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new TsFileError(ErrorCode.CORRUPT, `the Arrow schema's ${TSFILE_LAYOUT_KEY} metadata is not JSON`, { cause });
  }
  const l = parsed as Partial<ArrowLayout> | null;
  if (l === null || typeof l !== 'object' || typeof l.devices !== 'object' || l.devices === null || typeof l.tables !== 'object' || l.tables === null) {
    throw new TsFileError(ErrorCode.CORRUPT, `the Arrow schema's ${TSFILE_LAYOUT_KEY} metadata is not a layout`, { expected: '{devices: {...}, tables: {...}}', actual: text.slice(0, 80) });
  }
  return l as ArrowLayout;
}
