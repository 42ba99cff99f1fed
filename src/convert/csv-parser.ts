/**
 * A streaming, strict RFC 4180 parser: text arrives in chunks of any size, complete rows come out
 * with the line each starts on. Quoted fields may hold commas, doubled quotes and line breaks; rows
 * end with LF, CRLF or CR; a leading byte-order mark is dropped. A quote inside an unquoted field,
 * text after a closing quote and a quote left open at the end are errors naming the line.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote was seen inside a quoted field: either the first of a doubled quote or the closing one. */
const QUOTE_IN_QUOTED = 3;

export class CsvParser {
  private field = '';
  private row: string[] = [];
  private state = FIELD_START;
  private first = true;
  /** The previous chunk ended with CR: a LF starting this chunk belongs to it. */
  private pendingCR = false;
  /** Physical line (1-based) the parser is on, and where the current row and quoted field began. */
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;
  private rowsSeen = 0;
  /** Start lines of the rows the last push/end returned, index for index. */
  lines: number[] = [];

  /** `file` names the input in error messages. */
  constructor(private readonly file?: string) {}

  private fail(line: number, message: string): never {
    throw new TsFileError(ErrorCode.INVALID_ARGUMENT, `line ${line}: ${message}`, this.file !== undefined ? { file: this.file } : {});
  }

  /** Rows completed by this chunk. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    this.lines = [];
    const n = text.length;
    let i = 0;
    if (this.first && n > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCR && n > 0) {
      this.pendingCR = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    let start = i;
    let state = this.state;
    // Next quote and CR at or after i (n when there is none), looked up again only once passed.
    let quoteAt = -1;
    let crAt = -1;
    for (; i < n; i++) {
      if (state === FIELD_START && this.row.length === 0) {
        // A whole line without quotes or CR is split at once; anything else goes character by character.
        const lf = text.indexOf('\n', i);
        if (lf >= 0) {
          if (quoteAt < i) quoteAt = text.indexOf('"', i) >>> 0;
          if (crAt < i) crAt = text.indexOf('\r', i) >>> 0;
          let end = lf;
          if (crAt === lf - 1) {
            end = lf - 1;
            if (crAt >= i) crAt = text.indexOf('\r', lf) >>> 0;
          }
          if (quoteAt > lf && crAt > lf) {
            rows.push(end === i ? [''] : text.slice(i, end).split(','));
            this.lines.push(this.rowLine);
            this.rowsSeen++;
            this.line++;
            this.rowLine = this.line;
            i = lf;
            start = lf + 1;
            continue;
          }
        }
      }
      const c = text.charCodeAt(i);
      if (state === QUOTED) {
        if (c === 34) {
          this.field += text.slice(start, i);
          state = QUOTE_IN_QUOTED;
        } else if (c === 10) this.line++;
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (c === 34) {
          this.field += '"';
          state = QUOTED;
          start = i + 1;
          continue;
        }
        if (c !== 44 && c !== 10 && c !== 13) this.fail(this.line, `text after the closing quote of a field (${JSON.stringify(text[i])}); a quote inside a quoted field is written twice`);
        // A comma or a line break ends the quoted field: handled below as after any field.
      } else if (state === FIELD_START) {
        if (c === 34) {
          state = QUOTED;
          this.quoteLine = this.line;
          start = i + 1;
          continue;
        }
        state = UNQUOTED;
        start = i;
      }
      if (c === 44) {
        if (state === UNQUOTED) this.field += text.slice(start, i);
        this.row.push(this.field);
        this.field = '';
        state = FIELD_START;
      } else if (c === 10 || c === 13) {
        if (state === UNQUOTED) this.field += text.slice(start, i);
        this.row.push(this.field);
        this.field = '';
        rows.push(this.row);
        this.lines.push(this.rowLine);
        this.rowsSeen++;
        this.row = [];
        state = FIELD_START;
        if (c === 13) {
          if (i + 1 === n) this.pendingCR = true;
          else if (text.charCodeAt(i + 1) === 10) i++;
        }
        this.line++;
        this.rowLine = this.line;
      } else if (c === 34) {
        this.fail(this.line, 'a quote inside an unquoted field (quote the whole field and write the quote twice)');
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.field += text.slice(start);
    this.state = state;
    return rows;
  }

  /** The last row when the text does not end with a line break; refuses an unclosed quote. */
  end(): string[][] {
    this.lines = [];
    if (this.state === QUOTED) this.fail(this.quoteLine, 'a quoted field is not closed: the quote that opens it is on this line');
    if (this.state === FIELD_START && this.field === '' && this.row.length === 0) return [];
    this.row.push(this.field);
    this.field = '';
    this.state = FIELD_START;
    const r = this.row;
    this.row = [];
    this.lines.push(this.rowLine);
    this.rowsSeen++;
    return [r];
  }

  /** Number of complete rows so far. */
  get rows(): number {
    return this.rowsSeen;
  }
}
