/**
 * The bounds of one filter. They keep parsing, checking and evaluation small and predictable: a
 * filter is at most `maxLength` characters, so the work it can ask for is bounded by its text; the
 * in-process matcher does a constant amount of work per term (set lookups, or one pass over a
 * one-of list or an array field), and ClickHouse evaluates a bounded number of JSON reads per row.
 * `docs/filters.md` lists them for users.
 */
export const FILTER_LIMITS = {
  /** Longest filter, in characters (UTF-16 code units). */
  maxLength: 4096,
  /** Deepest nesting of parentheses and NOT. */
  maxDepth: 16,
  /** Most comparisons (`field op value`, a one-of list counting as one) in one filter. */
  maxTerms: 64,
  /** Most values in one `IN (…)` list. */
  maxListValues: 100,
  /** Longest string value, in characters. */
  maxStringLength: 1024,
  /** Most segments of a field path (`data.changes.name.new` has four). */
  maxPathSegments: 8,
} as const;

export type FilterLimits = typeof FILTER_LIMITS;
