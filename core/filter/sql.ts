import { RESOURCE_FILTERS, type ResourceFilter } from '../events/resources.js';
import type { CheckedFilter, CheckedNode, DataPath, DataTest, NumberKind, Ordering, TextMatch } from './checked.js';

/*
 * The ClickHouse evaluation of a checked filter: a condition for a WHERE clause (ClickHouse ≥ 24.8).
 * Every value travels as a typed server-side query parameter (`{p0:String}`, sent as `param_p0`),
 * never as SQL text; the SQL text holds only our own words, the column names given by the caller
 * (checked against a strict pattern) and field names of the schemas (checked the same way). It
 * evaluates exactly as the in-process matcher does (the conformance suite runs both): a field that
 * is missing or null makes a comparison false, never NULL, so NOT stays two-valued.
 */

/**
 * The columns (or ALIAS columns) a filter reads. Each must be a plain identifier (`name` or `table.name`).
 */
export interface FilterColumns {
  /** The event type, a String (or LowCardinality(String)). */
  type: string;
  /** The event's `data` object as JSON text, a String; or the whole event, with `dataKeys: ['data']`. */
  data: string;
  /** Keys leading from the JSON in `data` to the event's `data` object (plain names). Default none. */
  dataKeys?: readonly string[];
  /** Resource ids as history stores them (`toEventRow`, by the rule of `resourcesOf`): empty when the event has none. */
  session_id: string;
  agent_id: string;
  team_id: string;
  user_id: string;
}

export type SqlParamType =
  | 'String'
  | 'Int64'
  | 'Float64'
  | 'UInt8'
  | 'Array(String)'
  | 'Array(Int64)'
  | 'Array(Float64)';

/** One query parameter: its ClickHouse type and its value (for `query_params` of @clickhouse/client). */
export interface SqlParam {
  type: SqlParamType;
  value: string | number | readonly string[] | readonly number[];
}

/** A WHERE condition and its parameters. */
export interface SqlFilter {
  sql: string;
  params: Record<string, SqlParam>;
}

export interface CompileSqlOptions {
  /** Prefix of the parameter names (`p` gives `p0`, `p1`, …), so that they do not clash with the query's own. Default `p`. */
  paramPrefix?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAM_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;

function column(name: string, what: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`compileSql: column ${what} "${name}" is not a plain identifier`);
  return name
    .split('.')
    .map((part) => `\`${part}\``)
    .join('.');
}

/** How `dataFieldSql` reads a field. */
export type FieldRead = 'present' | 'string' | 'int' | 'float' | 'jsonNumber' | 'boolean' | 'stringArray';

/**
 * The SQL reading one field of `data` as `read`: `guard` is true when the field holds such a value
 * (it is there, not null, and of that kind); `value` reads it, and reads `''`, `0` or `[]` when the
 * field is missing or null. The one place that knows how events are stored: `data` is JSON text,
 * read with ClickHouse's JSON functions (whose path arguments are the keys: schema names as
 * literals, user keys as parameters).
 *
 * A declared number field's guard accepts any non-null value: ClickHouse's JSON reader gives
 * whole numbers of 2^64 or more the type String, yet JSONExtractFloat reads them exactly.
 */
export function dataFieldSql(data: string, path: readonly string[], read: FieldRead): { guard: string; value: string } {
  const at = [data, ...path].join(', ');
  const type = `JSONType(${at})`;
  switch (read) {
    case 'present':
      return { guard: `${type} != 'Null'`, value: '' };
    case 'string':
      return { guard: `${type} = 'String'`, value: `JSONExtractString(${at})` };
    case 'int':
      return { guard: `${type} != 'Null'`, value: `JSONExtractInt(${at})` };
    case 'float':
      return { guard: `${type} != 'Null'`, value: `JSONExtractFloat(${at})` };
    case 'jsonNumber':
      return { guard: `${type} IN ('Int64', 'UInt64', 'Double')`, value: `JSONExtractFloat(${at})` };
    case 'boolean':
      return { guard: `${type} = 'Bool'`, value: `JSONExtractBool(${at})` };
    case 'stringArray':
      return { guard: '', value: `JSONExtract(${at}, 'Array(String)')` };
  }
}

/** Whether `missing ordering bound` holds: the comparison a missing field's default would pass. */
function holds(missing: number | string, ordering: Ordering, bound: number | string): boolean {
  if (ordering === '<') return missing < bound;
  if (ordering === '<=') return missing <= bound;
  if (ordering === '>') return missing > bound;
  return missing >= bound;
}

/**
 * `guard AND condition`, or the condition alone when the guard cannot change the result: in a
 * field of a declared kind, a present value is always of that kind, so the guard only matters when
 * the default a missing field reads as (`''`, `0`) would pass the condition. Each guard is one more
 * parse of the JSON per row.
 */
function guarded(guard: string, condition: string, needed: boolean): string {
  return needed ? `(${guard} AND ${condition})` : condition;
}

function numberRead(numbers: NumberKind): FieldRead {
  return numbers === 'int' ? 'int' : numbers === 'float' ? 'float' : 'jsonNumber';
}

class Compiler {
  readonly params: Record<string, SqlParam> = {};
  private next = 0;
  private readonly columns: Record<'type' | 'data' | ResourceFilter, string>;
  private readonly dataKeys: string[];

  constructor(
    columns: FilterColumns,
    private readonly prefix: string,
  ) {
    this.columns = {
      type: column(columns.type, 'type'),
      data: column(columns.data, 'data'),
      ...(Object.fromEntries(RESOURCE_FILTERS.map((name) => [name, column(columns[name], name)])) as Record<
        ResourceFilter,
        string
      >),
    };
    this.dataKeys = (columns.dataKeys ?? []).map((key) => {
      if (!FIELD_NAME.test(key)) throw new TypeError(`compileSql: data key "${key}" is not a plain name`);
      return `'${key}'`;
    });
  }

  /** A placeholder for a new parameter. */
  param(type: SqlParamType, value: SqlParam['value']): string {
    const name = `${this.prefix}${this.next}`;
    this.next += 1;
    this.params[name] = { type, value };
    return `{${name}:${type}}`;
  }

  node(node: CheckedNode): string {
    switch (node.kind) {
      case 'all':
        return 'true';
      case 'and':
      case 'or':
        return `(${node.children.map((child) => this.node(child)).join(node.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `NOT (${this.node(node.child)})`;
      case 'type':
        return this.textIn(this.columns.type, { exact: [...node.types], prefixes: [] });
      case 'resource': {
        const value = this.columns[node.name];
        return node.test.op === 'present' ? `${value} != ''` : this.textIn(value, node.test.match);
      }
      case 'data':
        return this.data(node.path, node.test);
    }
  }

  /** `value` equals one of `exact` or starts with one of `prefixes` (parenthesized when it is an OR). */
  textIn(value: string, { exact, prefixes }: TextMatch): string {
    const parts: string[] = [];
    if (exact.length === 1) parts.push(`${value} = ${this.param('String', exact[0]!)}`);
    else if (exact.length > 1) parts.push(`${value} IN ${this.param('Array(String)', exact)}`);
    for (const prefix of prefixes) parts.push(`startsWith(${value}, ${this.param('String', prefix)})`);
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  }

  /** The JSON path arguments of a data field: our own names as literals, user keys as parameters. */
  path(path: DataPath): string[] {
    return [
      ...this.dataKeys,
      ...path.keys.map((key, index) => {
        if (path.userKeys[index] || !FIELD_NAME.test(key)) return this.param('String', key);
        return `'${key}'`;
      }),
    ];
  }

  data(path: DataPath, test: DataTest): string {
    const keys = this.path(path);
    const field = (read: FieldRead) => dataFieldSql(this.columns.data, keys, read);
    switch (test.op) {
      case 'present':
        return field('present').guard;
      case 'text': {
        const { guard, value } = field('string');
        // In a field of any JSON, JSONExtractString also reads numbers and booleans as text.
        return guarded(guard, this.textIn(value, test.match), test.json || test.match.exact.includes(''));
      }
      case 'textOrder': {
        const { guard, value } = field('string');
        const condition = `${value} ${test.ordering} ${this.param('String', test.value)}`;
        return guarded(guard, condition, holds('', test.ordering, test.value));
      }
      case 'number': {
        const { guard, value } = field(numberRead(test.numbers));
        const scalar = test.numbers === 'int' ? 'Int64' : 'Float64';
        const condition =
          test.values.length === 1
            ? `${value} = ${this.param(scalar, test.values[0]!)}`
            : `${value} IN ${this.param(`Array(${scalar})`, test.values)}`;
        // In a field of any JSON, JSONExtractFloat also reads text of digits and booleans as numbers.
        return guarded(guard, condition, test.numbers === 'json' || test.values.includes(0));
      }
      case 'numberOrder': {
        const { guard, value } = field(numberRead(test.numbers));
        const condition = `${value} ${test.ordering} ${this.param(test.numbers === 'int' ? 'Int64' : 'Float64', test.value)}`;
        return guarded(guard, condition, test.numbers === 'json' || holds(0, test.ordering, test.value));
      }
      case 'boolean': {
        const { guard, value } = field('boolean');
        return guarded(guard, `${value} = ${this.param('UInt8', test.value ? 1 : 0)}`, test.json || !test.value);
      }
      case 'contains': {
        const { value } = field('stringArray');
        const parts: string[] = [];
        const { exact, prefixes } = test.match;
        if (exact.length === 1) parts.push(`has(${value}, ${this.param('String', exact[0]!)})`);
        else if (exact.length > 1) parts.push(`hasAny(${value}, ${this.param('Array(String)', exact)})`);
        for (const prefix of prefixes)
          parts.push(`arrayExists(item -> startsWith(item, ${this.param('String', prefix)}), ${value})`);
        return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
      }
      case 'hasKey':
        return `JSONHas(${[this.columns.data, ...keys, this.param('String', test.key)].join(', ')})`;
    }
  }
}

/**
 * Compiles a checked filter to a ClickHouse condition over `columns` (parenthesized), with every
 * value a typed query parameter. The organization is not part of a filter: the caller's query adds it.
 */
export function compileSql(filter: CheckedFilter, columns: FilterColumns, options: CompileSqlOptions = {}): SqlFilter {
  const prefix = options.paramPrefix ?? 'p';
  if (!PARAM_PREFIX.test(prefix)) throw new TypeError(`compileSql: "${prefix}" is not a valid parameter prefix`);
  const compiler = new Compiler(columns, prefix);
  const sql = compiler.node(filter.root);
  // AND and OR come parenthesized; anything else is, too, so that callers can join it with AND.
  const enclosed = ['and', 'or', 'all'].includes(filter.root.kind) ? sql : `(${sql})`;
  return { sql: enclosed, params: compiler.params };
}
