import { Router } from 'express';
import type { ClickHouse } from '../../../core/clickhouse/client.js';
import { identifier, sql } from '../../../core/clickhouse/sql.js';
import { NotFoundError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { isValidEventId } from '../../../core/events/ids.js';
import { parseTimestamp } from '../../../core/events/time.js';
import { resolveTypeFilter, splitPatterns } from '../../../core/events/type-filter.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../../../core/history/cursor.js';
import { listEvents, RESOURCE_FILTERS, type ListQuery } from '../../../core/history/query.js';
import { organizationOf } from '../http/auth.js';
import { limitParam, resourceParam, singleParam as single, unknownParams, type QueryOf } from '../http/query.js';

export interface HistoryRoutesOptions {
  clickhouse: ClickHouse;
  catalog: EventCatalog;
  /** Signs cursors (RG_CURSOR_SECRET). */
  cursorSecret: string;
}

const PARAMS = new Set([
  'types',
  'since',
  'until',
  'agent_id',
  'session_id',
  'team_id',
  'user_id',
  'limit',
  'order',
  'cursor',
  'organization_id',
  'access_token',
]);

export interface ListRequestOptions {
  /** The caller's organization (only its events are listed). */
  organizationId: string;
  catalog: EventCatalog;
  cursorSecret: string;
  /** The ClickHouse database holding `events` and `events_by_resource`. */
  database: string;
}

/**
 * What a `GET /events` query string asks for: the history query (one row more than the page, to
 * tell whether another page follows), the page size and the query's fingerprint (cursors carry
 * it). Throws a ValidationError naming every bad parameter, or `invalid_cursor`.
 */
export function listRequestOf(
  req: QueryOf,
  { organizationId, catalog, cursorSecret, database }: ListRequestOptions,
): { query: ListQuery; limit: number; fingerprint: string } {
  const errors: ErrorDetail[] = unknownParams(req, PARAMS, 'GET /events');
  const typeResult = resolveTypeFilter(catalog, splitPatterns(req.query.types));
  if (typeResult.errors) errors.push(...typeResult.errors);
  const sinceText = single(req, 'since', errors);
  const untilText = single(req, 'until', errors);
  const since = sinceText === undefined ? undefined : parseTimestamp(sinceText);
  const until = untilText === undefined ? undefined : parseTimestamp(untilText);
  if (sinceText !== undefined && since === undefined)
    errors.push({ field: 'since', message: 'must be an RFC 3339 timestamp such as 2026-02-21T00:00:00Z' });
  if (untilText !== undefined && until === undefined)
    errors.push({ field: 'until', message: 'must be an RFC 3339 timestamp such as 2026-02-21T00:00:00Z' });
  if (since !== undefined && until !== undefined && since >= until)
    errors.push({ field: 'until', message: 'must be after since' });
  const limit = limitParam(req, 100, errors);
  const order = single(req, 'order', errors) ?? 'desc';
  if (order !== 'asc' && order !== 'desc') errors.push({ field: 'order', message: 'must be asc or desc' });
  const resources: Partial<Record<(typeof RESOURCE_FILTERS)[number], string>> = {};
  for (const name of RESOURCE_FILTERS) {
    const value = resourceParam(req, name, errors);
    if (value !== undefined) resources[name] = value;
  }
  if (errors.length)
    throw new ValidationError(
      'The query is invalid',
      errors,
      typeResult.unknownType ? 'unknown_event_type' : 'invalid_request',
    );

  const fingerprint = queryFingerprint([organizationId, typeResult.filter!.patterns, since, until, resources, order]);
  const cursorText = single(req, 'cursor', []);
  const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText, cursorSecret);
  if (cursorText !== undefined && !cursor)
    throw new PlatformError('invalid_cursor', 'The cursor is corrupted or was not issued by this API', {
      details: [{ field: 'cursor', message: 'is not a valid cursor' }],
    });
  if (cursor && cursor.q !== fingerprint)
    throw new PlatformError(
      'invalid_cursor',
      'The cursor belongs to another query: keep the same filters and order while paging',
      { details: [{ field: 'cursor', message: 'belongs to another query' }] },
    );
  // The walk reads a snapshot: rows ingested up to this second (included), fixed by the first page.
  // Included, so a new event shows as soon as it is stored; one stored later in this second may
  // still show on a later page (never twice: keyset positions do not move).
  const asOf = cursor?.a ?? Math.floor(Date.now() / 1000);
  const query: ListQuery = {
    table: `${database}.events`,
    resourceTable: `${database}.events_by_resource`,
    organizationId,
    types: typeResult.filter!,
    sinceMs: since,
    untilMs: until,
    resources,
    order: order as 'asc' | 'desc',
    limit: limit + 1,
    after: cursor,
    asOfSeconds: asOf,
  };
  return { query, limit, fingerprint };
}

/** `GET /events` (history with filters and cursor pagination) and `GET /events/{id}`. */
export function historyRoutes({ clickhouse, catalog, cursorSecret }: HistoryRoutesOptions): Router {
  const router = Router();
  const table = identifier(`${clickhouse.database}.events`);

  router.get('/events', async (req, res) => {
    const { query, limit, fingerprint } = listRequestOf(req, {
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
  });

  router.get('/events/:id', async (req, res) => {
    const organizationId = organizationOf(req);
    const id = String(req.params.id);
    if (!isValidEventId(id)) throw new NotFoundError(`Event ${String(req.params.id).slice(0, 100)}`);
    const rows = await clickhouse.queryStrings<{ payload: string }>(
      sql`SELECT payload FROM ${table} WHERE organization_id = ${organizationId} AND id = ${id} LIMIT 1`,
    );
    if (!rows[0]) throw new NotFoundError(`Event ${id}`);
    res.type('application/json').send(rows[0].payload);
  });

  return router;
}
