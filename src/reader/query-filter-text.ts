/**
 * The textual form of query filters (what the CLI's --where takes):
 *
 *   expr    := and ( OR and )*
 *   and     := unary ( AND unary )*
 *   unary   := NOT unary | '(' expr ')' | operand op literal | operand IS [NOT] NULL
 *   operand := a series path (root.sg.d1.s1, `quoted` segments allowed) | time
 *   op      := = | == | != | <> | < | <= | > | >=
 *   literal := number | 'text' | "text" | true | false | NaN | Infinity | -Infinity
 *              | an ISO-8601 date or date-time | 0x hex (BLOB)
 *
 * Keywords are case-insensitive. Literals stay text until bound to a column's type, so INT64
 * constants keep every digit. Errors name the position (1-based character) where parsing stopped.
 */
import { ErrorCode, TsFileError } from '../io/errors.js';
import type { CompareOp, QueryFilter } from './query-filter.js';

interface Token {
  kind: 'word' | 'string' | 'op' | '(' | ')' | 'end';
  text: string;
  /** 0-based character position. */
  at: number;
}

const OPS: Record<string, CompareOp> = { '=': '=', '==': '=', '!=': '!=', '<>': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const STOP = /[\s()=!<>'",]/;

function fail(text: string, at: number, expected: string, actual?: string): TsFileError {
  return new TsFileError(ErrorCode.INVALID_ARGUMENT, `filter: expected ${expected} at position ${at + 1}`, { expected, actual: actual ?? (at >= text.length ? 'the end of the filter' : JSON.stringify(text.slice(at, at + 20))) });
}

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      out.push({ kind: ch, text: ch, at: i++ });
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw fail(text, i, `a closing ${ch}`, 'an unterminated string');
        if (text[j] === ch) {
          if (text[j + 1] === ch) {
            s += ch;
            j += 2;
            continue;
          }
          break;
        }
        s += text[j++];
      }
      out.push({ kind: 'string', text: s, at: i });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (OPS[two] !== undefined) {
      out.push({ kind: 'op', text: two, at: i });
      i += 2;
      continue;
    }
    if (OPS[ch] !== undefined) {
      out.push({ kind: 'op', text: ch, at: i++ });
      continue;
    }
    if (ch === '!' || ch === ',') throw fail(text, i, 'a path, a literal, an operator or a parenthesis');
    // A word: a path (with `quoted` segments) or a bare literal.
    let j = i;
    while (j < text.length && !STOP.test(text[j]!)) {
      if (text[j] === '`') {
        const close = text.indexOf('`', j + 1);
        if (close < 0) throw fail(text, j, 'a closing `', 'an unterminated quoted path segment');
        j = close + 1;
      } else j++;
    }
    out.push({ kind: 'word', text: text.slice(i, j), at: i });
    i = j;
  }
  out.push({ kind: 'end', text: '', at: text.length });
  return out;
}

/** Parses the textual form of a filter; a malformed one is an INVALID_ARGUMENT naming the position. */
export function parseFilter(text: string): QueryFilter {
  if (typeof text !== 'string') throw new TsFileError(ErrorCode.INVALID_ARGUMENT, 'filter text must be a string', { actual: typeof text });
  const tokens = lex(text);
  let p = 0;
  const peek = () => tokens[p]!;
  const keyword = (t: Token, k: string) => t.kind === 'word' && t.text.toLowerCase() === k;

  const expr = (): QueryFilter => {
    const args = [and()];
    while (keyword(peek(), 'or')) {
      p++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const and = (): QueryFilter => {
    const args = [unary()];
    while (keyword(peek(), 'and')) {
      p++;
      args.push(unary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  const unary = (): QueryFilter => {
    const t = peek();
    if (keyword(t, 'not')) {
      p++;
      return { op: 'not', arg: unary() };
    }
    if (t.kind === '(') {
      p++;
      const inner = expr();
      if (peek().kind !== ')') throw fail(text, peek().at, "')'");
      p++;
      return inner;
    }
    if (t.kind !== 'word' || ['and', 'or', 'is', 'null'].includes(t.text.toLowerCase())) throw fail(text, t.at, 'a series path or time');
    p++;
    const path = t.text.toLowerCase() === 'time' ? 'time' : t.text;
    const o = peek();
    if (keyword(o, 'is')) {
      p++;
      let negated = false;
      if (keyword(peek(), 'not')) {
        p++;
        negated = true;
      }
      if (!keyword(peek(), 'null')) throw fail(text, peek().at, 'NULL');
      p++;
      return { op: negated ? 'isNotNull' : 'isNull', path };
    }
    if (o.kind !== 'op') throw fail(text, o.at, 'a comparison (=, !=, <, <=, >, >=) or IS [NOT] NULL');
    p++;
    const v = peek();
    if (v.kind !== 'word' && v.kind !== 'string') throw fail(text, v.at, 'a literal value');
    if (v.kind === 'word' && ['and', 'or', 'not', 'is', 'null'].includes(v.text.toLowerCase())) throw fail(text, v.at, 'a literal value');
    p++;
    const lower = v.text.toLowerCase();
    const value = v.kind === 'word' && (lower === 'true' || lower === 'false') ? lower === 'true' : v.text;
    return { op: OPS[o.text]!, path, value };
  };

  const tree = expr();
  if (peek().kind !== 'end') throw fail(text, peek().at, 'AND, OR or the end of the filter');
  return tree;
}
