import type { Request } from 'express';
import { PlatformError, ValidationError, type ErrorDetail } from '../../core/errors/index.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import { resolveTypeFilter, splitPatterns, type TypeFilter } from '../../core/events/type-filter.js';
import { decodeCursor, type StreamPositions } from './cursor.js';
import { RESOURCE_FILTERS, type ResourceValues } from './matcher.js';
import { resourceParam, singleParam, unknownParams } from '../api/http/query.js';

/** A stream request, validated before the stream opens. */
export interface StreamRequest {
  filter: TypeFilter;
  resources: ResourceValues;
  /** Where to resume (`Last-Event-ID` header, else `last_event_id` query); undefined starts live. */
  resumeFrom: StreamPositions | undefined;
}

const PARAMS = new Set([
  'events',
  'types',
  'session_id',
  'agent_id',
  'team_id',
  'user_id',
  'last_event_id',
  'access_token',
  'organization_id',
]);

/**
 * Reads the filters and the resume cursor of `GET /events/subscribe`, or throws the 400 naming
 * every bad parameter: unknown parameters, type patterns that match nothing (`unknown_event_type`),
 * bad resource ids, a cursor this API did not write (`invalid_cursor`).
 */
export function parseStreamRequest(req: Request, catalog: EventCatalog): StreamRequest {
  const errors: ErrorDetail[] = unknownParams(req, PARAMS, 'GET /events/subscribe');
  let unknownType = false;
  const patterns: string[] = [];
  for (const field of ['events', 'types'] as const) {
    const given = splitPatterns(req.query[field]);
    if (given.length === 0) continue;
    const result = resolveTypeFilter(catalog, given, field);
    if (result.errors) {
      errors.push(...result.errors);
      unknownType ||= result.unknownType;
    }
    patterns.push(...given);
  }
  const resources: ResourceValues = {};
  for (const name of RESOURCE_FILTERS) {
    const value = resourceParam(req, name, errors);
    if (value !== undefined) resources[name] = value;
  }
  const lastEventIdQuery = singleParam(req, 'last_event_id', errors);
  if (errors.length)
    throw new ValidationError(
      'The subscription is invalid',
      errors,
      unknownType ? 'unknown_event_type' : 'invalid_request',
    );

  const filter = resolveTypeFilter(catalog, patterns).filter!;
  // EventSource reconnects to the same URL with the newest id in the header: the header wins.
  const header = req.get('last-event-id')?.trim();
  const [field, text] = header
    ? ['Last-Event-ID', header]
    : ['last_event_id', typeof lastEventIdQuery === 'string' ? lastEventIdQuery.trim() : ''];
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
