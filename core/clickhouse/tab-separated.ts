/**
 * ClickHouse's TabSeparated format, for inserts and external data: cheaper than JSONEachRow on
 * both ends (ClickHouse parses it faster, and a JSON payload column needs only its backslashes
 * doubled, where JSON would escape every quote in it again).
 */

const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

/** One value as a TabSeparated field: backslash, tab, line breaks and NUL escaped. */
export function tsvField(value: string): string {
  return needsEscape(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

/**
 * Whether a value holds a character to escape, by native `indexOf` searches rather than a regex
 * (payloads are the long values, and a JSON payload never holds a raw control character).
 */
function needsEscape(value: string): boolean {
  return (
    value.indexOf('\\') >= 0 ||
    value.indexOf('\t') >= 0 ||
    value.indexOf('\n') >= 0 ||
    value.indexOf('\r') >= 0 ||
    value.indexOf('\0') >= 0
  );
}

/** A row value as a field: strings escaped, numbers and bigints as digits, booleans 1/0, null as `\N` (Nullable columns). */
function field(value: unknown, column: string, index: number): string {
  switch (typeof value) {
    case 'string':
      return tsvField(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    default:
      if (value === null) return '\\N';
      // A missing value has no TabSeparated spelling (omitting it shifts the columns): a caller's bug.
      throw new TypeError(`row ${index} has no value for column ${column} (${typeof value})`);
  }
}

/**
 * One row as a TabSeparated line without its line break, in `columns` order: a flat string (an
 * array join, not a chain of concatenations), so one object stands for the row while it waits.
 */
export function toTabSeparatedLine(row: object, columns: readonly string[], index = 0): string {
  const fields = new Array<string>(columns.length);
  for (let c = 0; c < columns.length; c += 1)
    fields[c] = field((row as Record<string, unknown>)[columns[c]!], columns[c]!, index);
  return fields.join('\t');
}

/** Rows as TabSeparated lines, in `columns` order; every row must carry every column. */
export function toTabSeparated(rows: readonly object[], columns: readonly string[]): string {
  if (rows.length === 0) return '';
  return `${rows.map((row, index) => toTabSeparatedLine(row, columns, index)).join('\n')}\n`;
}

// ClickHouse's output escapes (writeEscapedString): these, and a backslash before any other character stands for it.
const UNESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', 0: '\0' };
const ESCAPED = /\\([\s\S])/g;

/** One TabSeparated field as its value: escapes undone, `\N` as null. */
export function tsvValue(field: string): string | null {
  if (field === '\\N') return null;
  return field.includes('\\') ? field.replace(ESCAPED, (_, c: string) => UNESCAPES[c] ?? c) : field;
}

/**
 * `TabSeparatedWithNames` output as rows named by its header line, every value a string (or null).
 * A line break inside a value is always escaped, so lines are rows.
 */
export function fromTabSeparated(text: string): Record<string, string | null>[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return [];
  const columns = lines[0]!.split('\t').map((name) => tsvValue(name) ?? '');
  const rows: Record<string, string | null>[] = new Array(lines.length - 1);
  for (let l = 1; l < lines.length; l += 1) {
    const fields = lines[l]!.split('\t');
    if (fields.length !== columns.length)
      throw new Error(`TabSeparated row ${l} has ${fields.length} fields, the header ${columns.length}`);
    const row: Record<string, string | null> = {};
    for (let c = 0; c < columns.length; c += 1) row[columns[c]!] = tsvValue(fields[c]!);
    rows[l - 1] = row;
  }
  return rows;
}
