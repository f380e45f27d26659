import { Type, type Static } from '@sinclair/typebox';
import type { ClickHouse } from '../../../core/clickhouse/client.js';
import { identifier, sql } from '../../../core/clickhouse/sql.js';
import { NotFoundError } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { isValidEventId } from '../../../core/events/ids.js';
import { parseTimestamp } from '../../../core/events/time.js';
import { resolveTypeFilter } from '../../../core/events/type-filter.js';
import { encodeCursor, queryFingerprint } from '../../../core/history/cursor.js';
import { listEvents, RESOURCE_FILTERS, type ListQuery } from '../../../core/history/query.js';
import { ValidationError } from '../../../core/errors/index.js';
import { organizationOf } from '../http/auth.js';
import { pageCursor } from '../http/cursor.js';
import { defineRoute, queryReader, type Route } from '../http/route.js';
import { cursor, idParameter, limit, ref, resourceFilters, timestamp, typePatternList } from '../http/schemas.js';

export interface HistoryRoutesOptions {
  clickhouse: ClickHouse;
  catalog: EventCatalog;
  /** Signs cursors (RG_CURSOR_SECRET). */
  cursorSecret: string;
}

/** The query string of `GET /events`. */
export const listQuerySchema = (catalog: EventCatalog) =>
  Type.Object(
    {
      types: Type.Optional(
        typePatternList(catalog, 'Type patterns (repeated or comma-separated): session.completed, session.*, *'),
      ),
      since: Type.Optional(timestamp('The start of the range (inclusive).')),
      until: Type.Optional(timestamp('The end of the range (exclusive).')),
      ...resourceFilters(),
      limit: Type.Optional(limit(100)),
      order: Type.Optional(
        Type.Union([Type.Literal('desc'), Type.Literal('asc')], {
          description: 'Newest first (desc, the default) or oldest first.',
        }),
      ),
      cursor: Type.Optional(cursor),
      organization_id: Type.Optional(
        Type.String({ description: 'With an admin key: the organization, as the RG-Organization-Id header names it.' }),
      ),
      access_token: Type.Optional(
        Type.String({
          description: 'Ignored here (the key goes in Authorization); accepted so that a stream URL also lists.',
        }),
      ),
    },
    { additionalProperties: false },
  );

export type ListQueryParams = Static<ReturnType<typeof listQuerySchema>>;

export interface ListRequestOptions {
  /** The caller's organization (only its events are listed). */
  organizationId: string;
  catalog: EventCatalog;
  cursorSecret: string;
  /** The ClickHouse database holding `events` and `events_by_resource`. */
  database: string;
}

/**
 * What a `GET /events` query asks for, once its shape is valid: the history query (one row more
 * than the page, to tell whether another page follows), the page size and the query's fingerprint
 * (cursors carry it). Throws a ValidationError (`until` not after `since`) or `invalid_cursor`.
 */
export function listRequest(
  params: ListQueryParams,
  { organizationId, catalog, cursorSecret, database }: ListRequestOptions,
): { query: ListQuery; limit: number; fingerprint: string } {
  const types = resolveTypeFilter(catalog, params.types ?? []);
  if (!types.filter) throw new ValidationError('The query is invalid', types.errors);
  const since = params.since === undefined ? undefined : parseTimestamp(params.since);
  const until = params.until === undefined ? undefined : parseTimestamp(params.until);
  if (since !== undefined && until !== undefined && since >= until)
    throw new ValidationError('The query is invalid', [{ field: 'until', message: 'must be after since' }]);
  const pageSize = params.limit ?? 100;
  const order = params.order ?? 'desc';
  const resources: Partial<Record<(typeof RESOURCE_FILTERS)[number], string>> = {};
  for (const name of RESOURCE_FILTERS) {
    const value = params[name];
    if (value !== undefined) resources[name] = value;
  }

  const fingerprint = queryFingerprint([organizationId, types.filter.patterns, since, until, resources, order]);
  const after = pageCursor(params.cursor, { secret: cursorSecret, fingerprint, keep: 'filters and order' });
  // The walk reads a snapshot: rows ingested up to this second (included), fixed by the first page.
  // Included, so a new event shows as soon as it is stored; one stored later in this second may
  // still show on a later page (never twice: keyset positions do not move).
  const asOf = after?.a ?? Math.floor(Date.now() / 1000);
  const query: ListQuery = {
    table: `${database}.events`,
    resourceTable: `${database}.events_by_resource`,
    organizationId,
    types: types.filter,
    sinceMs: since,
    untilMs: until,
    resources,
    order,
    limit: pageSize + 1,
    after,
    asOfSeconds: asOf,
  };
  return { query, limit: pageSize, fingerprint };
}

const readers = new WeakMap<EventCatalog, (query: Record<string, unknown>) => ListQueryParams>();

/** `listRequest` of a raw query string, validated as the route validates it (for the query benchmark). */
export function listRequestOf(req: { query: Record<string, unknown> }, options: ListRequestOptions) {
  let read = readers.get(options.catalog);
  if (!read) readers.set(options.catalog, (read = queryReader(listQuerySchema(options.catalog), 'GET /events')));
  return listRequest(read(req.query), options);
}

/** `GET /events` (history with filters and cursor pagination) and `GET /events/{event_id}`. */
export function historyRoutes({ clickhouse, catalog, cursorSecret }: HistoryRoutesOptions): Route[] {
  const table = identifier(`${clickhouse.database}.events`);

  const list = defineRoute({
    method: 'get',
    path: '/events',
    summary: 'List past events (history)',
    description:
      'Newest first by default. Pages are exact: walking every page with `next_cursor` yields each matching event once, none skipped, even while events keep arriving (a walk reads the events stored when its first page was read).',
    query: listQuerySchema(catalog),
    responses: {
      200: {
        description: 'A page of events',
        schema: Type.Object({
          data: Type.Array(ref('Event')),
          has_more: Type.Boolean(),
          next_cursor: Type.Union([Type.String(), Type.Null()]),
        }),
      },
      503: 'ClickHouse is unreachable; retry later',
    },
    async handler({ query: params }, req, res) {
      const { query, limit, fingerprint } = listRequest(params, {
        organizationId: organizationOf(req),
        catalog,
        cursorSecret,
        database: clickhouse.database,
      });
      const rows = await listEvents(clickhouse, query);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const hasMore = rows.length > limit;
      const nextCursor =
        hasMore && last
          ? encodeCursor(
              { t: Number(last.created_at_ms), i: last.id, a: query.asOfSeconds, q: fingerprint },
              cursorSecret,
            )
          : null;
      // A stored payload is the event's JSON as published (written by JSON.stringify in the sink):
      // spliced into the page as it is, not parsed and serialized again.
      res
        .type('application/json')
        .send(
          `{"data":[${page.map((row) => row.payload).join(',')}],"has_more":${hasMore},"next_cursor":${JSON.stringify(nextCursor)}}`,
        );
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/events/{event_id}',
    summary: 'One event',
    params: Type.Object({ event_id: idParameter('The event id (evt_…).') }),
    responses: {
      200: { description: 'The event', schema: ref('Event') },
      404: 'No such event in your organization',
      503: 'ClickHouse is unreachable; retry later',
    },
    async handler({ params }, req, res) {
      const organizationId = organizationOf(req);
      const id = params.event_id;
      if (!isValidEventId(id)) throw new NotFoundError(`Event ${params.event_id.slice(0, 100)}`);
      const rows = await clickhouse.queryStrings<{ payload: string }>(
        sql`SELECT payload FROM ${table} WHERE organization_id = ${organizationId} AND id = ${id} LIMIT 1`,
      );
      if (!rows[0]) throw new NotFoundError(`Event ${id}`);
      res.type('application/json').send(rows[0].payload);
    },
  });

  return [list, get];
}
