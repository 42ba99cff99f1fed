/** A streaming RFC 4180 parser: text arrives in chunks, complete rows come out (quoted fields may span lines). */
export class CsvParser {
  private field = '';
  private row: string[] = [];
  private quoted = false;
  /** The previous chunk ended on a quote inside a quoted field: it may be the first of a doubled quote. */
  private pendingQuote = false;
  private rowsSeen = 0;
  /** The previous chunk ended with CR: a LF starting this chunk belongs to it. */
  private pendingCR = false;

  /** Rows completed by this chunk. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (text[0] === '"') {
        this.field += '"';
        i = 1;
      } else this.quoted = false;
    }
    let start = i;
    for (; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (this.quoted) {
        if (ch === 34) {
          this.field += text.slice(start, i);
          if (i + 1 === text.length) {
            this.pendingQuote = true;
            start = i + 1;
            continue;
          }
          if (text.charCodeAt(i + 1) === 34) {
            this.field += '"';
            i++;
          } else this.quoted = false;
          start = i + 1;
        }
        continue;
      }
      if (ch === 34) {
        this.field += text.slice(start, i);
        this.quoted = true;
        start = i + 1;
      } else if (ch === 44) {
        this.row.push(this.field + text.slice(start, i));
        this.field = '';
        start = i + 1;
      } else if (ch === 10 || ch === 13) {
        this.row.push(this.field + text.slice(start, i));
        this.field = '';
        if (ch === 13 && i + 1 === text.length) this.pendingCR = true;
        else if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        rows.push(this.row);
        this.row = [];
        this.rowsSeen++;
      }
    }
    if (this.quoted || start < text.length) this.field += text.slice(start);
    return rows;
  }

  /** The last row when the text does not end with a line break. */
  end(): string[][] {
    if (this.field === '' && this.row.length === 0) return [];
    this.row.push(this.field);
    this.field = '';
    const r = this.row;
    this.row = [];
    this.rowsSeen++;
    return [r];
  }

  /** Number of complete rows so far (line numbers for error messages). */
  get rows(): number {
    return this.rowsSeen;
  }
}
