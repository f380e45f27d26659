import { Type, type TOptional, type TSchema, type TString, type TUnsafe } from '@sinclair/typebox';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { EVENT_ID_PATTERN } from '../../../core/events/ids.js';
import { RESOURCE_FILTERS, type ResourceFilter } from '../../../core/events/resources.js';
import { typePatterns } from '../../../core/events/type-filter.js';

// Schemas that several routes declare: one wording and one rule each.

/** A reference to a schema of the document's `components` (answers only: requests are validated inline). */
export const ref = <T = unknown>(name: string): TUnsafe<T> => Type.Unsafe<T>({ $ref: `#/components/schemas/${name}` });

/** `limit`: 1 to 1000. */
export const limit = (fallback: number) =>
  Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: fallback,
    description: `Page size, 1 to 1000 (default ${fallback}).`,
  });

export const cursor = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: '`next_cursor` of the previous page (keep the same filters while paging).',
});

/** An RFC 3339 date-time, read by the API's own rule (`core/events/time.ts`). */
export const timestamp = (description: string) =>
  Type.String({ format: 'date-time', description, examples: ['2026-02-21T00:00:00Z'] });

const RESOURCE_WORDS: Record<ResourceFilter, string> = {
  session_id: 'Only events of this session.',
  agent_id: 'Only events about this agent.',
  team_id: 'Only events of this team.',
  user_id: 'Only events about this user, or caused by them (metadata.user_id).',
};

/** The resource filters (`session_id`, `agent_id`, `team_id`, `user_id`): 1 to 256 characters each. */
export function resourceFilters(): Record<ResourceFilter, TOptional<TString>> {
  return Object.fromEntries(
    RESOURCE_FILTERS.map((name) => [
      name,
      Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: RESOURCE_WORDS[name] })),
    ]),
  ) as Record<ResourceFilter, TOptional<TString>>;
}

/**
 * An event type pattern: `*`, `category.*` (any prefix), or an exact type. The document lists every
 * pattern that matches a type; a well-formed one that matches none is an unknown event type.
 */
export const typePattern = (catalog: EventCatalog) =>
  Type.Unsafe<string>({ type: 'string', enum: typePatterns(catalog), 'x-event-type-pattern': true });

/** A list of type patterns; in a query string, repeated or comma-separated. */
export const typePatternList = (catalog: EventCatalog, description: string, options: object = {}) =>
  Type.Array(typePattern(catalog), {
    description,
    maxItems: 100,
    'x-message': 'must be a list of at most 100 event type patterns (e.g. session.completed, session.*, *)',
    ...options,
  });

/** A path parameter naming an object; an id of no object answers 404 like another organization's. */
export const idParameter = (description: string) => Type.String({ description });

/** A client event id, as a query parameter. */
export const eventId = (description: string) =>
  Type.String({ pattern: EVENT_ID_PATTERN.source, description, 'x-message': 'must be an event id (evt_…)' });

/** A schema made nullable, as OpenAPI 3.1 writes it. */
export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
