/**
 * The SQL subset a strict taosAdapter test server understands (connectors.md §2.2): CREATE
 * DATABASE / TABLE / STABLE and multi-table INSERT with `USING stb (tags) TAGS (...)`, string
 * escapes and backtick identifiers, typed value checks. Errors carry TDengine's masked codes.
 */

export interface Token { k: 'id' | 'word' | 'str' | 'num' | 'p'; v: string; raw: string; pos: number }

export class SqlError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '`') {
      let v = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlError(9728, `syntax error near "${sql.slice(start, start + 20)}" (unclosed identifier)`);
        if (sql[i] === '`') { if (sql[i + 1] === '`') { v += '`'; i += 2; continue; } i++; break; }
        v += sql[i++];
      }
      out.push({ k: 'id', v, raw: sql.slice(start, i), pos: start });
    } else if (c === "'" || c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlError(9728, `syntax error near "${sql.slice(start, start + 20)}" (unclosed string)`);
        const x = sql[i]!;
        if (x === '\\') {
          const n = sql[i + 1] ?? '';
          v += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'x' ? '\\x' : n;
          i += 2;
          continue;
        }
        if (x === c) { i++; break; }
        v += x;
        i++;
      }
      out.push({ k: 'str', v, raw: sql.slice(start, i), pos: start });
    } else if (/[0-9]/.test(c) || (/[+-]/.test(c) && /[0-9.]/.test(sql[i + 1] ?? ''))) {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
      if (m === null) throw new SqlError(9728, `syntax error near "${sql.slice(i, i + 20)}"`);
      i += m[0].length;
      out.push({ k: 'num', v: m[0], raw: m[0], pos: start });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      i += m[0].length;
      out.push({ k: 'word', v: m[0], raw: m[0], pos: start });
    } else if ((c === '<' || c === '>') && sql[i + 1] === '=') {
      out.push({ k: 'p', v: `${c}=`, raw: `${c}=`, pos: start });
      i += 2;
    } else if ('(),.;=*'.includes(c)) {
      out.push({ k: 'p', v: c, raw: c, pos: start });
      i++;
    } else throw new SqlError(9728, `syntax error near "${sql.slice(i, i + 20)}"`);
  }
  return out;
}

export class Parser {
  i = 0;
  constructor(readonly t: Token[]) {}
  peek(): Token | undefined { return this.t[this.i]; }
  next(): Token {
    const x = this.t[this.i++];
    if (x === undefined) throw new SqlError(9728, 'syntax error near end of statement');
    return x;
  }
  is(word: string): boolean { const x = this.peek(); return x !== undefined && x.k === 'word' && x.v.toUpperCase() === word; }
  isP(p: string): boolean { const x = this.peek(); return x !== undefined && x.k === 'p' && x.v === p; }
  expect(word: string): void { const x = this.next(); if (x.k !== 'word' || x.v.toUpperCase() !== word) throw new SqlError(9728, `syntax error near "${x.raw}", expected ${word}`); }
  expectP(p: string): void { const x = this.next(); if (x.k !== 'p' || x.v !== p) throw new SqlError(9728, `syntax error near "${x.raw}", expected "${p}"`); }
  ident(): string {
    const x = this.next();
    if (x.k === 'id') return x.v;
    if (x.k === 'word') return x.v.toLowerCase();
    throw new SqlError(9728, `syntax error near "${x.raw}", expected a name`);
  }
  /** `[db.]name` */
  qualified(): { db: string | undefined; name: string } {
    const a = this.ident();
    if (this.isP('.')) { this.next(); return { db: a, name: this.ident() }; }
    return { db: undefined, name: a };
  }
  list<T>(item: () => T): T[] {
    this.expectP('(');
    const out: T[] = [item()];
    while (this.isP(',')) { this.next(); out.push(item()); }
    this.expectP(')');
    return out;
  }
  type(): { type: string; width: number } {
    const w = this.next();
    const type = w.v.toUpperCase();
    if (['NCHAR', 'VARCHAR', 'BINARY', 'VARBINARY'].includes(type)) {
      this.expectP('(');
      const n = this.next();
      this.expectP(')');
      return { type: type === 'BINARY' ? 'VARCHAR' : type, width: Number(n.v) };
    }
    if (!['BOOL', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'TIMESTAMP'].includes(type)) throw new SqlError(9728, `syntax error near "${w.raw}" (type)`);
    return { type, width: 0 };
  }
  done(): boolean { if (this.isP(';')) this.next(); return this.i >= this.t.length; }
}
