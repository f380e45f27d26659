/**
 * A tiny SQL builder for ClickHouse whose quoting makes injection impossible.
 *
 * ClickHouse 18.16 has no server-side query parameters, so values are written into the text.
 * The only way to produce query text is the `sql` template tag: its literal parts are ours, and
 * every interpolated value is rendered as a quoted literal (strings), a checked number, a list, an
 * identifier checked against a strict pattern, or another `sql` fragment. The one way around it is
 * `trustedStatement`, for migration files checked into this repository.
 */

const FRAGMENT = Symbol('sql.fragment');

/** A piece of SQL text built only by `sql`, `identifier` or `join`. */
export interface SqlFragment {
  readonly [FRAGMENT]: true;
  readonly text: string;
}

export type SqlValue = string | number | bigint | boolean | null | SqlFragment | readonly SqlValue[];

function fragment(text: string): SqlFragment {
  return Object.freeze({ [FRAGMENT]: true as const, text });
}

export function isSqlFragment(value: unknown): value is SqlFragment {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[FRAGMENT] === true;
}

/**
 * Quotes a string as a ClickHouse string literal. Backslash and quote are escaped, and every
 * control character (NUL, newline, …) is written as `\xHH`, so the literal is one token whatever
 * the input holds.
 */
export function quoteString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}'`;
}

function renderNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`sql: ${value} is not a finite number`);
  return Number.isInteger(value) ? value.toFixed(0) : String(value);
}

function render(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return renderNumber(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (isSqlFragment(value)) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new TypeError('sql: an empty list cannot be rendered');
    return `(${value.map((item) => render(item)).join(', ')})`;
  }
  throw new TypeError(`sql: unsupported value of type ${typeof value}`);
}

/** Builds a query: `sql\`SELECT * FROM ${identifier('events')} WHERE id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return fragment(text);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A table, column or database name: only `[A-Za-z_][A-Za-z0-9_]*`, optionally `db.table`. */
export function identifier(name: string): SqlFragment {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new TypeError(`sql: "${name}" is not a plain identifier`);
  }
  return fragment(parts.map((part) => `\`${part}\``).join('.'));
}

/** Joins fragments with a separator fragment, e.g. `join(conditions, sql\` AND \`)`. */
export function join(parts: readonly SqlFragment[], separator: SqlFragment = fragment(', ')): SqlFragment {
  return fragment(parts.map((part) => part.text).join(separator.text));
}

/**
 * A statement from a file checked into this repository (migrations). Never call it with text that
 * holds anything a user sent: that is what `sql` is for.
 */
export function trustedStatement(text: string): SqlFragment {
  return fragment(text);
}

/** The text of a fragment, ready to send. */
export function toSqlText(query: SqlFragment): string {
  return query.text;
}
