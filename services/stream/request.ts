import { Type, type Static } from '@sinclair/typebox';
import { PlatformError } from '../../core/errors/index.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import { resolveTypeFilter, type TypeFilter } from '../../core/events/type-filter.js';
import { decodeCursor, type StreamPositions } from './cursor.js';
import { RESOURCE_FILTERS, type ResourceValues } from './matcher.js';
import { resourceFilters, typePatternList } from '../api/http/schemas.js';

/** A stream request, validated before the stream opens. */
export interface StreamRequest {
  filter: TypeFilter;
  resources: ResourceValues;
  /** Where to resume (`Last-Event-ID` header, else `last_event_id` query); undefined starts live. */
  resumeFrom: StreamPositions | undefined;
}

/** The query string of `GET /events/subscribe`. */
export const streamQuerySchema = (catalog: EventCatalog) =>
  Type.Object(
    {
      events: Type.Optional(
        typePatternList(
          catalog,
          'Type patterns (repeated or comma-separated): session.completed, session.*, * (default: every type).',
        ),
      ),
      types: Type.Optional(typePatternList(catalog, 'The same as events (both are accepted).')),
      ...resourceFilters(),
      last_event_id: Type.Optional(
        Type.String({
          description:
            'Resume after this cursor, for clients that cannot send the Last-Event-ID header (the header wins).',
        }),
      ),
      access_token: Type.Optional(
        Type.String({ description: 'The API key, for EventSource clients that cannot send Authorization.' }),
      ),
      organization_id: Type.Optional(
        Type.String({
          description: 'With an admin key: the organization, for clients that cannot send RG-Organization-Id.',
        }),
      ),
    },
    { additionalProperties: false },
  );

/** The request headers of `GET /events/subscribe`. */
export const streamHeadersSchema = Type.Object({
  'Last-Event-ID': Type.Optional(
    Type.String({ description: 'Resume after this cursor (the id: of the last frame received).' }),
  ),
});

/**
 * What a valid `GET /events/subscribe` asks for: its filters and where to resume. Throws
 * `invalid_cursor` for a resume cursor this API did not write.
 */
export function streamRequestOf(
  query: Static<ReturnType<typeof streamQuerySchema>>,
  headers: Static<typeof streamHeadersSchema>,
  catalog: EventCatalog,
): StreamRequest {
  const filter = resolveTypeFilter(catalog, [...(query.events ?? []), ...(query.types ?? [])]).filter!;
  const resources: ResourceValues = {};
  for (const name of RESOURCE_FILTERS) {
    const value = query[name];
    if (value !== undefined) resources[name] = value;
  }
  // EventSource reconnects to the same URL with the newest id in the header: the header wins.
  const header = headers['Last-Event-ID']?.trim();
  const [field, text] = header ? ['Last-Event-ID', header] : ['last_event_id', query.last_event_id?.trim() ?? ''];
  let resumeFrom: StreamPositions | undefined;
  if (text) {
    resumeFrom = decodeCursor(text);
    if (!resumeFrom) {
      throw new PlatformError('invalid_cursor', 'The event id to resume from is not one this API sent', {
        details: [{ field, message: 'is not a stream cursor (the id: of a frame)' }],
      });
    }
  }
  return { filter, resources, resumeFrom };
}
