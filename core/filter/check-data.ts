import { formatTimestamp, parseDate, parseTimestamp } from '../events/time.js';
import type { BooleanLiteral, Literal, NumberLiteral, Restriction, StringLiteral } from './ast.js';
import { type CheckContext, type Checked, fail, textMatch } from './context.js';
import type { CheckedNode, DataPath, DataTest, Ordering } from './checked.js';
import { typesIn } from './errors.js';
import { type FieldKind, type FieldType, resolveDataPath } from './fields.js';
import { integerBounds } from './numbers.js';

/** The kind a comparison reads a field as, once the kinds of every type that has it are merged. */
type Kind = Exclude<FieldKind, 'enum'>;

interface Merged {
  kind: Kind;
  /** Set when every type has the field as an enum: the values it may take. */
  symbols?: ReadonlySet<string>;
  /** An array's items. */
  items?: FieldType[];
}

const TWO_TO_63 = 2 ** 63;
/** Text that ClickHouse's JSON reader could also produce from a very large JSON number (see docs/filters.md). */
const DIGITS_19 = /^-?[0-9]{19,}$/;
const DIGITS_ONLY = /^-?[0-9]*$/;
const CANONICAL_YEAR = /^[0-9]{4}-/;

function kindWords(kind: Kind, symbols?: ReadonlySet<string>): string {
  switch (kind) {
    case 'string':
      return symbols ? `one of ${[...symbols].map((s) => `"${s}"`).join(', ')}` : 'text';
    case 'int':
      return 'a whole number';
    case 'float':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'timestamp':
      return 'a timestamp';
    case 'date':
      return 'a date';
    case 'json':
      return 'any JSON value';
    case 'array':
      return 'an array';
    case 'map':
    case 'record':
      return 'an object';
    default:
      return 'a value filters cannot compare';
  }
}

/** Merges the kinds a field has in the types that have it; undefined when they conflict. */
function merge(fields: readonly FieldType[]): Merged | undefined {
  const kinds = new Set<Kind>(fields.map((field) => (field.kind === 'enum' ? 'string' : field.kind)));
  if (kinds.size === 2 && kinds.has('int') && kinds.has('float')) return { kind: 'float' };
  if (kinds.size !== 1) return undefined;
  const [kind] = kinds as Set<Kind>;
  if (kind === 'string' && fields.every((field) => field.kind === 'enum'))
    return { kind, symbols: new Set(fields.flatMap((field) => field.symbols ?? [])) };
  if (kind === 'array') return { kind, items: fields.map((field) => field.items!) };
  return { kind: kind! };
}

/**
 * Checks a restriction on `data.<keys>`: the field must exist in at least one type of `scope`,
 * and the value must fit its kind.
 */
export function checkDataRestriction(
  node: Restriction,
  keys: readonly string[],
  scope: ReadonlySet<string>,
  context: CheckContext,
): Checked | undefined {
  const field = node.field.text;
  const having: { type: string; fields: FieldType[]; userKeys: boolean[] }[] = [];
  for (const type of scope) {
    const resolved = resolveDataPath(context.catalog.get(type)!, keys);
    if (resolved) having.push({ type, fields: resolved.types, userKeys: resolved.userKeys });
  }
  if (having.length === 0)
    return fail(context, node.field.start, `${field} is not a field of ${typesIn(scope, context.catalog)}`);
  const path: DataPath = {
    text: field,
    keys,
    userKeys: keys.map((_, index) => having.some((entry) => entry.userKeys[index])),
  };
  const carriers = new Set(having.map((entry) => entry.type));
  const positive = (node: CheckedNode): Checked => ({ node, possible: carriers, typeOnly: false });
  const data = (test: DataTest): CheckedNode => ({ kind: 'data', path, test });

  if (node.op === ':' && node.values[0]!.kind === 'any') return positive(data({ op: 'present' }));

  const merged = merge(having.flatMap((entry) => entry.fields));
  if (!merged) {
    const parts = having.map((entry) => `${kindWords(merge(entry.fields)?.kind ?? 'other')} in ${entry.type}`);
    return fail(
      context,
      node.field.start,
      `${field} holds different kinds of values in the selected types (${parts.join('; ')}): narrow them with type = …`,
    );
  }
  const at: Where = { context, field, merged };

  if (node.op === ':') {
    const test = hasTest(node.values[0]!, at);
    return test && positive(data(test));
  }
  if (node.op === '<' || node.op === '<=' || node.op === '>' || node.op === '>=') {
    const test = orderTest(node.op, node.values[0]!, at);
    return test && positive(data(test));
  }
  const tests = equalityTests(node.values, at);
  if (!tests) return undefined;
  const equal: CheckedNode = tests.length === 1 ? data(tests[0]!) : { kind: 'or', children: tests.map(data) };
  return node.op === '!=' ? { node: { kind: 'not', child: equal }, possible: scope, typeOnly: false } : positive(equal);
}

interface Where {
  context: CheckContext;
  field: string;
  merged: Merged;
}

function wrongKind(at: Where, value: Literal, hint: string): undefined {
  return fail(at.context, value.start, `${at.field} is ${kindWords(at.merged.kind, at.merged.symbols)}: ${hint}`);
}

/** The hint for a literal of the wrong kind, by the field's kind. */
function expected(kind: Kind, field: string): string {
  switch (kind) {
    case 'string':
      return 'put the value in quotes';
    case 'int':
    case 'float':
      return `write a number without quotes, e.g. ${field} >= 100`;
    case 'boolean':
      return 'write true or false without quotes';
    case 'timestamp':
      return 'write an RFC 3339 timestamp in quotes, e.g. "2026-03-01T00:00:00Z"';
    case 'date':
      return 'write a date in quotes, e.g. "2026-03-01"';
    default:
      return 'it cannot be compared with a value';
  }
}

/** `field : "value"`: an array of strings with such an element, or a map with such a key. */
function hasTest(value: Literal, at: Where): DataTest | undefined {
  const { kind, items } = at.merged;
  if (kind === 'array') {
    if (!items!.every((item) => item.kind === 'string' || item.kind === 'enum'))
      return fail(at.context, value.start, `${at.field} is an array of values other than text: : tests arrays of text`);
    if (value.kind !== 'string') return wrongKind(at, value, 'its elements are text: put the value in quotes');
    if (value.prefix && value.value === '') return wrongKind(at, value, `use ${at.field}:* to test that it is there`);
    return { op: 'contains', match: textMatch([value]) };
  }
  if (kind === 'map') {
    if (value.kind !== 'string' || value.prefix)
      return wrongKind(at, value, 'its keys are text: write the key in quotes, without *');
    return { op: 'hasKey', key: value.value };
  }
  return wrongKind(at, value, `: with a value tests an array's elements or an object's keys; use = to compare`);
}

function orderTest(ordering: Ordering, value: Literal, at: Where): DataTest | undefined {
  const { kind } = at.merged;
  if (kind === 'int') {
    if (value.kind !== 'number') return wrongKind(at, value, expected(kind, at.field));
    const { floor, ceil } = integerBounds(value.text);
    const limit = 2 ** 53;
    // Whole numbers: every bound becomes an inclusive whole one (x > 2.5 is x >= 3).
    if (ordering === '>')
      return { op: 'numberOrder', numbers: 'int', ordering: '>=', value: Math.min(limit, floor + 1) };
    if (ordering === '>=') return { op: 'numberOrder', numbers: 'int', ordering: '>=', value: ceil };
    if (ordering === '<')
      return { op: 'numberOrder', numbers: 'int', ordering: '<=', value: Math.max(-limit, ceil - 1) };
    return { op: 'numberOrder', numbers: 'int', ordering: '<=', value: floor };
  }
  if (kind === 'float') {
    const number = value.kind === 'number' ? floatOf(value, at) : wrongKind(at, value, expected(kind, at.field));
    return number === undefined ? undefined : { op: 'numberOrder', numbers: 'float', ordering, value: number };
  }
  if (kind === 'timestamp' || kind === 'date') {
    const text = instantText(value, at);
    return text === undefined ? undefined : { op: 'textOrder', ordering, value: text };
  }
  return wrongKind(at, value, `${ordering} compares numbers, timestamps and dates`);
}

function floatOf(value: NumberLiteral, at: Where): number | undefined {
  const number = Number(value.text);
  if (!Number.isFinite(number)) return fail(at.context, value.start, `${value.text} is out of range for ${at.field}`);
  return number;
}

/** A timestamp or date value as the canonical text events carry. */
function instantText(value: Literal, at: Where): string | undefined {
  const { kind } = at.merged;
  if (value.kind !== 'string' || value.prefix) return wrongKind(at, value, expected(kind, at.field));
  if (kind === 'date')
    return parseDate(value.value) === undefined ? wrongKind(at, value, expected(kind, at.field)) : value.value;
  const ms = parseTimestamp(value.value);
  const text = ms === undefined ? undefined : formatTimestamp(ms);
  if (text === undefined || !CANONICAL_YEAR.test(text)) return wrongKind(at, value, expected(kind, at.field));
  return text;
}

/** The tests of `=` (one value) or `IN` (several): one per kind of value, joined by OR. */
function equalityTests(values: readonly Literal[], at: Where): DataTest[] | undefined {
  const { kind, symbols } = at.merged;
  const strings: StringLiteral[] = [];
  const numbers: number[] = [];
  const booleans = new Set<boolean>();
  for (const value of values) {
    if (value.kind === 'any') return wrongKind(at, value, 'a lone * only follows :');
    if (value.kind === 'string' && value.prefix && value.value === '')
      return wrongKind(at, value, `use ${at.field}:* to test that it is there`);
    switch (kind) {
      case 'string':
        if (value.kind !== 'string') return wrongKind(at, value, expected(kind, at.field));
        if (symbols && !value.prefix && !symbols.has(value.value))
          return fail(at.context, value.start, `${at.field} is ${kindWords(kind, symbols)}, not "${value.value}"`);
        strings.push(value);
        break;
      case 'timestamp':
      case 'date': {
        const text = instantText(value, at);
        if (text === undefined) return undefined;
        strings.push({ kind: 'string', value: text, prefix: false, start: value.start });
        break;
      }
      case 'int': {
        if (value.kind !== 'number') return wrongKind(at, value, expected(kind, at.field));
        const bounds = integerBounds(value.text);
        if (!bounds.exact)
          return fail(
            at.context,
            value.start,
            `${at.field} holds whole numbers between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}: ${value.text} is not one`,
          );
        numbers.push(bounds.floor);
        break;
      }
      case 'float': {
        if (value.kind !== 'number') return wrongKind(at, value, expected(kind, at.field));
        const number = floatOf(value, at);
        if (number === undefined) return undefined;
        numbers.push(number);
        break;
      }
      case 'boolean':
        if (value.kind !== 'boolean') return wrongKind(at, value, expected(kind, at.field));
        booleans.add(value.value);
        break;
      case 'json':
        if (!jsonValue(value, at, strings, numbers, booleans)) return undefined;
        break;
      case 'array':
        return wrongKind(at, value, `test its elements with ${at.field} : "value"`);
      case 'map':
        return wrongKind(at, value, `compare one of its fields, or test a key with ${at.field} : "key"`);
      default:
        return wrongKind(at, value, 'compare one of its fields');
    }
  }
  const tests: DataTest[] = [];
  const json = kind === 'json';
  if (strings.length) tests.push({ op: 'text', match: textMatch(strings), json });
  if (numbers.length) tests.push({ op: 'number', numbers: json ? 'json' : (kind as 'int' | 'float'), values: numbers });
  for (const value of booleans) tests.push({ op: 'boolean', value, json });
  return tests;
}

/**
 * A value compared with a field of any JSON. ClickHouse's JSON reader turns a whole number of 2^64
 * or more in size into its digits as text, so such numbers, and text that could be their digits,
 * are refused: history could not tell them apart.
 */
function jsonValue(
  value: StringLiteral | NumberLiteral | BooleanLiteral,
  at: Where,
  strings: StringLiteral[],
  numbers: number[],
  booleans: Set<boolean>,
): boolean {
  if (value.kind === 'boolean') {
    booleans.add(value.value);
    return true;
  }
  if (value.kind === 'number') {
    const number = floatOf(value, at);
    if (number === undefined) return false;
    if (Math.abs(number) >= TWO_TO_63) {
      fail(at.context, value.start, `${at.field} holds any JSON value: numbers there are compared up to ±2^63`);
      return false;
    }
    numbers.push(number);
    return true;
  }
  if (value.prefix ? DIGITS_ONLY.test(value.value) : DIGITS_19.test(value.value)) {
    fail(
      at.context,
      value.start,
      `${at.field} holds any JSON value: text of ${value.prefix ? 'digits with *' : '19 or more digits'} cannot be compared there (history could not tell it from a number)`,
    );
    return false;
  }
  strings.push(value);
  return true;
}
