/**
 * Queries for ClickHouse as SQL text plus typed server-side parameters.
 *
 * The only way to produce query text is the `sql` template tag: its literal parts are ours, and every
 * interpolated value becomes a placeholder `{pN:Type}` whose value travels beside the text as the
 * HTTP parameter `param_pN`, so ClickHouse parses it as a value of that type and never as SQL. The
 * type is the value's own (String, Int64, Float64, Bool, Array(String)) or the one a `param.*` helper
 * names (`param.dateTime64(ms)`). Identifiers (tables, columns) cannot be parameters: `identifier`
 * checks them against a strict pattern. `integerLiteral` writes a checked integer where ClickHouse
 * takes no parameter (a TTL interval); `trustedStatement` is for the migration files of this
 * repository.
 */

const FRAGMENT = Symbol('sql.fragment');
const PARAM = Symbol('sql.param');

/** A typed value bound to a placeholder; `value` is sent as the client encodes query parameters. */
export interface SqlParam {
  readonly [PARAM]: true;
  readonly type: string;
  readonly value: string | number | boolean | readonly string[];
}

/** A piece of SQL built only by `sql`, `identifier`, `join`, `integerLiteral` or `trustedStatement`. */
export interface SqlFragment {
  readonly [FRAGMENT]: true;
  readonly parts: readonly (string | SqlParam)[];
}

/** A query ready to send: its text and its parameters by name (without the `param_` prefix). */
export interface SqlQuery {
  text: string;
  params: Record<string, string | number | boolean | readonly string[]>;
}

export type SqlValue = string | number | bigint | boolean | readonly string[] | SqlParam | SqlFragment;

function fragment(parts: readonly (string | SqlParam)[]): SqlFragment {
  return Object.freeze({ [FRAGMENT]: true as const, parts: Object.freeze([...parts]) });
}

export function isSqlFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FRAGMENT] === true;
}

function isSqlParam(value: unknown): value is SqlParam {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PARAM] === true;
}

function typed(type: string, value: SqlParam['value']): SqlParam {
  return Object.freeze({ [PARAM]: true as const, type, value });
}

/** Earliest and latest instants a DateTime64(3) holds in every ClickHouse ≥ 24.8 (1900-01-01, 2299-12-31). */
export const DATETIME64_MIN_MS = Date.UTC(1900, 0, 1);
export const DATETIME64_MAX_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);

/** Parameters of an explicit type. */
export const param = {
  string: (value: string) => typed('String', value),
  int64: (value: number | bigint) => {
    if (typeof value === 'number' && !Number.isSafeInteger(value))
      throw new TypeError(`sql: ${value} is not a safe integer`);
    return typed('Int64', value.toString());
  },
  uint64: (value: number | bigint) => {
    if ((typeof value === 'number' && !Number.isSafeInteger(value)) || value < 0)
      throw new TypeError(`sql: ${value} is not an unsigned safe integer`);
    return typed('UInt64', value.toString());
  },
  /**
   * An instant in ms as `DateTime64(3, 'UTC')`, clamped to the type's range (no stored time lies
   * outside it, so a bound beyond it selects the same rows as the range's end).
   */
  dateTime64: (ms: number) => {
    if (!Number.isSafeInteger(ms)) throw new TypeError(`sql: ${ms} is not an instant in ms`);
    return typed("DateTime64(3, 'UTC')", dateTime64Text(Math.min(DATETIME64_MAX_MS, Math.max(DATETIME64_MIN_MS, ms))));
  },
  strings: (values: readonly string[]) => typed('Array(String)', [...values]),
};

/** An instant in ms as DateTime64(3) text (`2026-02-21 03:27:00.123`, UTC), as parameters and TabSeparated rows take it. */
export function dateTime64Text(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** The parameter of a plain value, typed by what it is. */
function paramOf(value: Exclude<SqlValue, SqlParam | SqlFragment>): SqlParam {
  if (typeof value === 'string') return typed('String', value);
  if (typeof value === 'bigint') return typed('Int64', value.toString());
  if (typeof value === 'boolean') return typed('Bool', value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`sql: ${value} is not a finite number`);
    return Number.isSafeInteger(value) ? typed('Int64', value.toString()) : typed('Float64', value);
  }
  if (Array.isArray(value)) {
    if (!value.every((item) => typeof item === 'string')) throw new TypeError('sql: a list must hold strings only');
    return typed('Array(String)', [...value]);
  }
  throw new TypeError(`sql: unsupported value of type ${typeof value}`);
}

/** Builds a query: `sql\`SELECT * FROM ${identifier('events')} WHERE id = ${id}\`` (id becomes `{p0:String}`). */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  const parts: (string | SqlParam)[] = [strings[0]!];
  values.forEach((value, i) => {
    if (isSqlFragment(value)) parts.push(...value.parts);
    else parts.push(isSqlParam(value) ? value : paramOf(value as Exclude<SqlValue, SqlParam | SqlFragment>));
    parts.push(strings[i + 1]!);
  });
  return fragment(parts);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A checked identifier as quoted SQL text (`db`.`table`); throws for anything but a plain name. */
export function quoteIdentifier(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new TypeError(`sql: "${name}" is not a plain identifier`);
  }
  return parts.map((part) => `\`${part}\``).join('.');
}

/** A table, column or database name: only `[A-Za-z_][A-Za-z0-9_]*`, optionally `db.table`. */
export function identifier(name: string): SqlFragment {
  return fragment([quoteIdentifier(name)]);
}

/** A checked integer written into the text, for the places ClickHouse takes no parameter (DDL: a TTL's interval). */
export function integerLiteral(value: number): SqlFragment {
  if (!Number.isSafeInteger(value)) throw new TypeError(`sql: ${value} is not a safe integer`);
  return fragment([value.toFixed(0)]);
}

/** Joins fragments with a separator fragment, e.g. `join(conditions, sql\` AND \`)`. */
export function join(parts: readonly SqlFragment[], separator: SqlFragment = fragment([', '])): SqlFragment {
  const out: (string | SqlParam)[] = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(...separator.parts);
    out.push(...part.parts);
  });
  return fragment(out);
}

/**
 * A statement from a file checked into this repository (migrations). Never call it with text that
 * holds anything a user sent: that is what `sql` is for.
 */
export function trustedStatement(text: string): SqlFragment {
  return fragment([text]);
}

/** The text with its placeholders numbered in order (`{p0:String}`, …), and the parameters' values. */
export function toQuery(query: SqlFragment): SqlQuery {
  let text = '';
  const params: SqlQuery['params'] = {};
  let n = 0;
  for (const part of query.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const name = `p${n}`;
    n += 1;
    text += `{${name}:${part.type}}`;
    params[name] = part.value;
  }
  return { text, params };
}

/**
 * A parameter's value as ClickHouse reads it from `param_<name>` (the escaped text form, as
 * `@clickhouse/client` writes it): strings with tab, line breaks, backslash and quote escaped;
 * arrays as `['a','b']` of such quoted strings. For requests sent without the client.
 */
export function encodeParam(value: SqlQuery['params'][string]): string {
  if (typeof value === 'string') return escapeParamString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return `[${value.map((item) => `'${escapeParamString(item)}'`).join(',')}]`;
}

const PARAM_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', "'": "\\'", '\\': '\\\\' };

function escapeParamString(value: string): string {
  return value.replace(/[\t\n\r'\\]/g, (c) => PARAM_ESCAPES[c]!);
}
