import type { ErrorDetail } from '../errors/index.js';

/** The request field every filter error names (a route answers 400 `invalid_request` with them). */
export const FILTER_FIELD = 'filter';

/** The 1-based column of an offset, counted in characters as users see them (code points). */
export function columnOf(text: string, offset: number): number {
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    // The high half of a surrogate pair starts a character; its low half does not count again.
    if (code < 0xdc00 || code > 0xdfff) column += 1;
  }
  return column;
}

/** An error detail naming the column: `column 14: expected a value after "="`. */
export function filterError(text: string, offset: number, message: string): ErrorDetail {
  return { field: FILTER_FIELD, message: `column ${columnOf(text, offset)}: ${message}` };
}

/** What stands at `offset`, for messages: `"AND"`, `")"`, `the string "x"` or `the end of the filter`. */
export function found(text: string, offset: number): string {
  if (offset >= text.length) return 'the end of the filter';
  const quote = text[offset];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, offset + 1);
    const string =
      close < 0 || close - offset > 24 ? `${text.slice(offset, offset + 24)}…` : text.slice(offset, close + 1);
    return `the string ${string}`;
  }
  const match = /^(?:[A-Za-z0-9_.-]{1,24}|\S)/u.exec(text.slice(offset, offset + 24));
  return `"${match ? match[0] : text[offset]}"`;
}

/** A list of event types for a message, at most five named. */
export function typeList(types: Iterable<string>): string {
  const all = [...types];
  if (all.length === 0) return 'no type';
  if (all.length <= 5) return all.join(', ');
  return `${all.slice(0, 5).join(', ')} and ${all.length - 5} more`;
}

/** The types a field was looked for in, for messages: `session.failed`, or `any event type`. */
export function typesIn(scope: ReadonlySet<string>, catalog: { types: readonly string[] }): string {
  return scope.size === catalog.types.length ? 'any event type' : typeList(scope);
}
