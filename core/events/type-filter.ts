import { unknownEventType, type ErrorDetail } from '../errors/index.js';
import { EVENT_CATEGORIES, type EventCategory } from './categories.js';
import type { EventCatalog } from './catalog.js';

/**
 * A set of event types chosen by patterns: `*` (all), `session.*` (a prefix), or an exact type.
 * Resolved once against the catalogue, so matching an event is a set lookup.
 */
export interface TypeFilter {
  /** True when every type matches (`*`). */
  readonly all: boolean;
  /** The matching types. */
  readonly types: ReadonlySet<string>;
  /** The categories holding at least one matching type (the topics to read). */
  readonly categories: readonly EventCategory[];
  /** The patterns as given, normalized. */
  readonly patterns: readonly string[];
  matches(type: string): boolean;
}

const PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Splits `a,b` and repeated values into patterns; empty items are dropped. */
export function splitPatterns(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whether `pattern` is written as a type pattern (`*`, `session.*`, `session.completed`), known or not. */
export function isTypePatternSyntax(pattern: string): boolean {
  return pattern.length <= 200 && PATTERN.test(pattern);
}

/** Every pattern that matches at least one type of the catalogue: `*`, each type, and `prefix.*` of each prefix. */
export function typePatterns(catalog: EventCatalog): string[] {
  const prefixes = new Set<string>();
  for (const type of catalog.types) {
    const parts = type.split('.');
    for (let end = 1; end < parts.length; end += 1) prefixes.add(`${parts.slice(0, end).join('.')}.*`);
  }
  return ['*', ...prefixes, ...catalog.types];
}

/**
 * Resolves patterns to a filter, or to error details naming each pattern that matches no type.
 * No pattern at all means every type. A well-formed pattern that matches no type is marked as an
 * unknown event type (see `validationCode`); a malformed one is not.
 */
export function resolveTypeFilter(
  catalog: EventCatalog,
  patterns: readonly string[],
  field = 'types',
): { filter: TypeFilter; errors?: undefined } | { filter?: undefined; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const types = new Set<string>();
  let all = patterns.length === 0;
  patterns.forEach((pattern, index) => {
    const where = patterns.length > 1 ? `${field}[${index}]` : field;
    if (!isTypePatternSyntax(pattern)) {
      errors.push({
        field: where,
        message: `"${pattern.slice(0, 200)}" is not an event type pattern (e.g. session.completed, session.*, *)`,
      });
      return;
    }
    if (pattern === '*') {
      all = true;
      return;
    }
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      const matched = catalog.types.filter((type) => type.startsWith(prefix));
      if (matched.length === 0)
        errors.push(unknownEventType({ field: where, message: `no event type matches "${pattern}"` }));
      matched.forEach((type) => {
        types.add(type);
      });
      return;
    }
    if (catalog.get(pattern)) types.add(pattern);
    else errors.push(unknownEventType({ field: where, message: `unknown event type "${pattern}"` }));
  });
  if (errors.length) return { errors };
  if (all)
    catalog.types.forEach((type) => {
      types.add(type);
    });
  const categories = EVENT_CATEGORIES.filter((category) =>
    catalog.typesOfCategory(category).some((type) => types.has(type)),
  );
  const filter: TypeFilter = {
    all,
    types,
    categories,
    patterns: all ? ['*'] : [...patterns],
    matches: all ? () => true : (type) => types.has(type),
  };
  return { filter };
}
