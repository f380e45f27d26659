import type { ErrorDetail } from '../errors/index.js';
import type { Comparator, FieldPath, FilterAst, FilterNode, Literal, Restriction, StringLiteral } from './ast.js';
import { filterError, found } from './errors.js';
import { FILTER_LIMITS } from './limits.js';

/*
 * A subset of Google's AIP-160 filter syntax (https://google.aip.dev/160), with one extension
 * (`field IN (v1, v2)`). The grammar, as this parser reads it:
 *
 *   filter      = [ expression ]
 *   expression  = term { "AND" term } | term { "OR" term }    (mixing AND and OR needs parentheses)
 *   term        = [ "NOT" | "-" ] simple
 *   simple      = "(" expression ")" | restriction
 *   restriction = field comparator value | field ":" "*" | field "IN" "(" value { "," value } ")"
 *   comparator  = "=" | "!=" | "<" | "<=" | ">" | ">=" | ":"
 *   field       = name { "." ( name | quoted string ) }
 *   value       = quoted string | number | true | false | bare word
 *
 * AIP-160 binds OR tighter than AND, the opposite of SQL and most languages; rather than surprise
 * either camp, a filter that mixes them without parentheses is refused. The parser does not know
 * the schemas: `checkFilter` gives the fields and values their meaning.
 */

/** Thrown inside the parser only; `parseFilter` turns it into an error detail. */
class SyntaxFault {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const WHITESPACE = /[ \t\r\n]*/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const KEY = /[A-Za-z0-9_-]+/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const BARE = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const WORD_CHAR = /[A-Za-z0-9_]/;
// With the u flag, a surrogate pair is one character: only a lone half matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN']);
const LOWER_KEYWORDS = new Set(['and', 'or', 'not', 'in']);
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '*': '*',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  private pos = 0;
  private terms = 0;

  constructor(private readonly text: string) {}

  parse(): FilterNode {
    this.skipSpace();
    if (this.pos >= this.text.length) return { kind: 'all', start: 0 };
    const root = this.expression(0);
    this.skipSpace();
    if (this.pos < this.text.length) {
      if (this.text[this.pos] === ')') throw new SyntaxFault(this.pos, 'unbalanced ")": no "(" opens it');
      throw this.connectiveFault();
    }
    return root;
  }

  private expression(depth: number): FilterNode {
    const start = this.pos;
    const children = [this.term(depth)];
    let connective: 'AND' | 'OR' | undefined;
    for (;;) {
      this.skipSpace();
      const at = this.pos;
      const word = this.peekWord();
      if (word !== 'AND' && word !== 'OR') break;
      if (connective && word !== connective)
        throw new SyntaxFault(
          at,
          `${word} after ${connective}: put parentheses around the part that goes together, e.g. (a AND b) OR c`,
        );
      connective = word;
      this.pos += word.length;
      children.push(this.term(depth));
    }
    if (!connective) return children[0]!;
    return { kind: connective === 'AND' ? 'and' : 'or', children, start };
  }

  private term(depth: number): FilterNode {
    this.skipSpace();
    const start = this.pos;
    const word = this.peekWord();
    const minus = this.text[this.pos] === '-' && !/[0-9]/.test(this.text[this.pos + 1] ?? '');
    if (word === 'NOT' || minus) {
      this.pos += minus ? 1 : 3;
      this.enter(depth + 1, start);
      this.skipSpace();
      if (this.peekWord() === 'NOT' || this.text[this.pos] === '-')
        throw new SyntaxFault(this.pos, 'a second NOT needs parentheses: NOT (NOT …)');
      return { kind: 'not', child: this.simple(depth + 1), start };
    }
    return this.simple(depth);
  }

  private simple(depth: number): FilterNode {
    this.skipSpace();
    const start = this.pos;
    if (this.text[this.pos] === '(') {
      this.enter(depth + 1, start);
      this.pos += 1;
      this.skipSpace();
      if (this.text[this.pos] === ')') throw new SyntaxFault(this.pos, 'empty parentheses');
      const inner = this.expression(depth + 1);
      this.skipSpace();
      if (this.text[this.pos] !== ')') {
        if (this.pos >= this.text.length) throw new SyntaxFault(start, 'unbalanced "(": no ")" closes it');
        throw this.connectiveFault();
      }
      this.pos += 1;
      return inner;
    }
    return this.restriction();
  }

  private restriction(): Restriction {
    const start = this.pos;
    const field = this.field();
    this.terms += 1;
    if (this.terms > FILTER_LIMITS.maxTerms)
      throw new SyntaxFault(start, `more than ${FILTER_LIMITS.maxTerms} comparisons in one filter`);
    this.skipSpace();
    const opAt = this.pos;
    const op = this.comparator(field);
    this.skipSpace();
    if (op === 'in') return { kind: 'restriction', field, op, values: this.list(), start };
    if (op === ':' && this.text[this.pos] === '*' && !WORD_CHAR.test(this.text[this.pos + 1] ?? '')) {
      this.pos += 1;
      return { kind: 'restriction', field, op, values: [{ kind: 'any', start: this.pos - 1 }], start };
    }
    if (this.pos >= this.text.length) throw new SyntaxFault(opAt, `expected a value after ${op}`);
    return { kind: 'restriction', field, op, values: [this.value()], start };
  }

  private field(): FieldPath {
    const start = this.pos;
    const first = this.match(NAME);
    if (first === undefined) {
      const what = found(this.text, this.pos);
      if (this.pos >= this.text.length)
        throw new SyntaxFault(this.pos, 'expected a field, found the end of the filter');
      if (this.text[this.pos] === '"' || this.text[this.pos] === "'" || /[0-9-]/.test(this.text[this.pos]!))
        throw new SyntaxFault(
          this.pos,
          `expected a field, found ${what}: the field goes on the left, e.g. data.steps > 3`,
        );
      throw new SyntaxFault(this.pos, `expected a field, found ${what}`);
    }
    if (KEYWORDS.has(first)) throw new SyntaxFault(start, `expected a field, found ${first}`);
    const segments = [first];
    while (this.text[this.pos] === '.') {
      this.pos += 1;
      const at = this.pos;
      const quote = this.text[this.pos];
      let segment: string | undefined;
      if (quote === '"' || quote === "'") {
        const literal = this.quoted();
        if (literal.prefix) throw new SyntaxFault(at, 'a field name cannot end in a wildcard');
        segment = literal.value;
      } else segment = this.match(KEY);
      if (segment === undefined)
        throw new SyntaxFault(at, `expected a field name after ".", found ${found(this.text, at)}`);
      segments.push(segment);
      if (segments.length > FILTER_LIMITS.maxPathSegments)
        throw new SyntaxFault(start, `a field path has at most ${FILTER_LIMITS.maxPathSegments} segments`);
    }
    return { segments, text: this.text.slice(start, this.pos), start };
  }

  private comparator(field: FieldPath): Comparator | 'in' {
    const at = this.pos;
    const rest = this.text.slice(at, at + 2);
    if (rest === '=~' || rest === '!~' || rest[0] === '~')
      throw new SyntaxFault(
        at,
        'regular expressions are not supported: use = "prefix*" for a prefix, or IN for one of several values',
      );
    if (rest === '==') throw new SyntaxFault(at, 'use = to compare (not ==)');
    for (const op of ['<=', '>=', '!=', '=', '<', '>', ':'] as const) {
      if (this.text.startsWith(op, at)) {
        this.pos += op.length;
        return op;
      }
    }
    const word = this.peekWord();
    if (word === 'IN') {
      this.pos += 2;
      return 'in';
    }
    if (word && LOWER_KEYWORDS.has(word))
      throw new SyntaxFault(at, `keywords are upper case: write ${word.toUpperCase()}`);
    if (word && /^(LIKE|ILIKE|REGEXP?|MATCHES|RLIKE|GLOB|CONTAINS)$/i.test(word))
      throw new SyntaxFault(
        at,
        `${word} is not supported (no patterns or regular expressions): use = "prefix*", : for arrays, or IN`,
      );
    throw new SyntaxFault(
      at,
      `expected an operator (=, !=, <, <=, >, >=, :, IN) after ${field.text}, found ${found(this.text, at)}`,
    );
  }

  private list(): Literal[] {
    const open = this.pos;
    if (this.text[this.pos] !== '(') throw new SyntaxFault(this.pos, 'expected "(" after IN, e.g. IN ("a", "b")');
    this.pos += 1;
    const values: Literal[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ')' && values.length === 0)
        throw new SyntaxFault(this.pos, 'IN needs at least one value');
      if (this.pos >= this.text.length) throw new SyntaxFault(open, 'unbalanced "(": no ")" closes the IN list');
      values.push(this.value());
      if (values.length > FILTER_LIMITS.maxListValues)
        throw new SyntaxFault(values.at(-1)!.start, `an IN list has at most ${FILTER_LIMITS.maxListValues} values`);
      this.skipSpace();
      const next = this.text[this.pos];
      if (next === ',') {
        this.pos += 1;
        continue;
      }
      if (next === ')') {
        this.pos += 1;
        return values;
      }
      if (next === undefined) throw new SyntaxFault(open, 'unbalanced "(": no ")" closes the IN list');
      throw new SyntaxFault(this.pos, `expected "," or ")" in the IN list, found ${found(this.text, this.pos)}`);
    }
  }

  private value(): Literal {
    const start = this.pos;
    const char = this.text[this.pos];
    if (char === '"' || char === "'") return this.quoted();
    if (char === '/')
      throw new SyntaxFault(start, 'regular expressions are not supported: use = "prefix*" for a prefix');
    if (char === '*') throw new SyntaxFault(start, 'a lone * is only allowed as field:* (the field is present)');
    const number = this.match(NUMBER);
    if (number !== undefined) {
      if (WORD_CHAR.test(this.text[this.pos] ?? '') || this.text[this.pos] === '.')
        throw new SyntaxFault(start, `${found(this.text, start)} is not a number: put text in quotes`);
      return { kind: 'number', text: number, start };
    }
    const bare = this.match(BARE);
    if (bare === undefined) throw new SyntaxFault(start, `expected a value, found ${found(this.text, start)}`);
    if (KEYWORDS.has(bare)) throw new SyntaxFault(start, `expected a value, found ${bare}`);
    if (bare === 'true' || bare === 'false') return { kind: 'boolean', value: bare === 'true', start };
    const prefix = this.text[this.pos] === '*';
    if (prefix) this.pos += 1;
    this.checkLength(bare, start);
    return { kind: 'string', value: bare, prefix, start };
  }

  /** A string in double or single quotes; `\` escapes `"`, `'`, `\`, `*`, n, r, t and uXXXX. */
  private quoted(): StringLiteral {
    const start = this.pos;
    const quote = this.text[this.pos]!;
    this.pos += 1;
    let value = '';
    let prefix = false;
    for (;;) {
      if (this.pos >= this.text.length) throw new SyntaxFault(start, `unterminated string: no closing ${quote}`);
      const char = this.text[this.pos]!;
      if (char === quote) {
        this.pos += 1;
        break;
      }
      if (prefix)
        throw new SyntaxFault(this.pos - 1, 'a * is a wildcard only at the end of a value; write \\* for a literal *');
      if (char === '\\') {
        const next = this.text[this.pos + 1];
        if (next === 'u') {
          const hex = this.text.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new SyntaxFault(this.pos, '\\u needs four hexadecimal digits');
          value += String.fromCharCode(Number.parseInt(hex, 16));
          this.pos += 6;
          continue;
        }
        const escaped = next === undefined ? undefined : ESCAPES[next];
        if (escaped === undefined)
          throw new SyntaxFault(
            this.pos,
            `unknown escape \\${next ?? ''}: use \\", \\', \\\\, \\*, \\n, \\r, \\t or \\uXXXX`,
          );
        value += escaped;
        this.pos += 2;
        continue;
      }
      if (char === '*') prefix = true;
      else value += char;
      this.pos += 1;
    }
    if (LONE_SURROGATE.test(value))
      throw new SyntaxFault(start, 'the string is not valid Unicode (a lone surrogate): it could never match');
    this.checkLength(value, start);
    return { kind: 'string', value, prefix, start };
  }

  private checkLength(value: string, start: number): void {
    if (value.length > FILTER_LIMITS.maxStringLength)
      throw new SyntaxFault(start, `a value has at most ${FILTER_LIMITS.maxStringLength} characters`);
  }

  private enter(depth: number, at: number): void {
    if (depth > FILTER_LIMITS.maxDepth)
      throw new SyntaxFault(at, `nested too deeply: at most ${FILTER_LIMITS.maxDepth} levels of parentheses and NOT`);
  }

  private connectiveFault(): SyntaxFault {
    const at = this.pos;
    const word = this.peekWord();
    if (word && LOWER_KEYWORDS.has(word))
      return new SyntaxFault(at, `keywords are upper case: write ${word.toUpperCase()}`);
    const two = this.text.slice(at, at + 2);
    if (two === '&&' || two === '||') return new SyntaxFault(at, `use ${two === '&&' ? 'AND' : 'OR'} (not ${two})`);
    return new SyntaxFault(at, `expected AND, OR or the end of the filter, found ${found(this.text, at)}`);
  }

  private peekWord(): string | undefined {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    return match ? match[0] : undefined;
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.text);
    if (!match || match[0] === '') return undefined;
    this.pos = pattern.lastIndex;
    return match[0];
  }

  private skipSpace(): void {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    this.pos = WHITESPACE.lastIndex;
  }
}

/**
 * Parses a filter's text into its syntax tree, or answers one error detail naming the column.
 * An empty (or blank) filter matches every event.
 */
export function parseFilter(
  text: string,
): { ast: FilterAst; errors?: undefined } | { ast?: undefined; errors: ErrorDetail[] } {
  if (text.length > FILTER_LIMITS.maxLength)
    return {
      errors: [
        filterError(text, FILTER_LIMITS.maxLength, `the filter is longer than ${FILTER_LIMITS.maxLength} characters`),
      ],
    };
  try {
    return { ast: { root: new Parser(text).parse(), text } };
  } catch (error) {
    if (error instanceof SyntaxFault) return { errors: [filterError(text, error.offset, error.message)] };
    throw error;
  }
}
