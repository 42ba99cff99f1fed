/**
 * The pending Stream Load request body shared by the plain and transactional sinks: rows of one
 * `columns` layout at a time (a batch with other measurements starts a new request), plus the
 * format headers every request of a load carries (connectors.md §3.1 headers).
 */
import { ByteBuffer } from '../core/byte-buffer.js';
import type { BatchView } from '../core/columns.js';
import { appendCsvRows, appendJsonRows, columnsHeader, separatorHeader, type RowLayout } from './rows.js';

export class StreamLoadBody {
  readonly buffer = new ByteBuffer(256 * 1024);
  columns: string | undefined;
  private jsonRows = 0;

  constructor(readonly layout: RowLayout, private readonly sink: string) {}

  /** True when `view` needs a different `columns` header than the rows already pending. */
  conflicts(view: BatchView): boolean {
    return this.columns !== undefined && this.columns !== columnsHeader(view, this.layout);
  }

  append(view: BatchView, from: number, to: number): void {
    if (this.columns === undefined) {
      this.columns = columnsHeader(view, this.layout);
      if (this.layout.format === 'json') this.buffer.byte(91);
    }
    if (this.layout.format === 'csv') appendCsvRows(this.buffer, view, from, to, this.layout, this.sink);
    else {
      appendJsonRows(this.buffer, view, from, to, this.layout, this.jsonRows === 0, this.sink);
      this.jsonRows += to - from;
    }
  }

  /** A copy of the body to send (JSON gets its closing bracket); the buffer itself is left untouched. */
  bytes(): Uint8Array {
    if (this.layout.format === 'csv') return this.buffer.contents().slice();
    const b = new Uint8Array(this.buffer.length + 1);
    b.set(this.buffer.contents());
    b[b.length - 1] = 93;
    return b;
  }

  get size(): number { return this.buffer.length; }

  headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { ...extra, columns: this.columns ?? '' };
    if (this.layout.format === 'csv') {
      h.format = 'CSV';
      h.column_separator = separatorHeader(this.layout.columnSeparator);
      h.row_delimiter = separatorHeader(this.layout.rowDelimiter);
    } else {
      h.format = 'JSON';
      h.strip_outer_array = 'true';
      h.ignore_json_size = 'true';
    }
    return h;
  }

  clear(): void {
    this.buffer.clear();
    this.columns = undefined;
    this.jsonRows = 0;
  }
}
