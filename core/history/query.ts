import type { ClickHouse } from '../clickhouse/client.js';
import { identifier, join, param, sql, type SqlFragment } from '../clickhouse/sql.js';
import type { TypeFilter } from '../events/type-filter.js';
import type { CursorPosition } from './cursor.js';

// The resource filters of `GET /events`, each a column of the events table.
export { RESOURCE_FILTERS, type ResourceFilter } from '../events/resources.js';
import type { ResourceFilter } from '../events/resources.js';

/** One page of `GET /events`, as checked by the route. */
export interface ListQuery {
  /** The events table, e.g. `resonant.events`. */
  table: string;
  /** History by resource (`events_by_resource`, sorted by resource, payloads included), read instead when a resource filter is given. */
  resourceTable: string;
  organizationId: string;
  types: TypeFilter;
  /** created_at bounds in ms: since inclusive, until exclusive. */
  sinceMs?: number;
  untilMs?: number;
  resources: Partial<Record<ResourceFilter, string>>;
  order: 'asc' | 'desc';
  /** Rows to read: the page size plus one, to know whether more follow. */
  limit: number;
  /** Continue after this position (its `t` and `i`). */
  after?: Pick<CursorPosition, 't' | 'i'>;
  /** The walk's snapshot: only rows ingested up to this second (Unix seconds), that second included. */
  asOfSeconds: number;
}

/** A row of the list query: the event JSON and its keyset position (created_at in ms). */
export type ListRow = {
  payload: string;
  created_at_ms: string;
  id: string;
};

type KeyRow = {
  created_at_ms: string;
  id: string;
  category: string;
};

/** A slice of created_at in ms, `from` inclusive, `to` exclusive; undefined ends are open. */
export interface Slice {
  from?: number;
  to?: number;
}

const HOUR_MS = 3_600_000;
/** The first slice read; later ones grow from what it found. */
const FIRST_SLICE_MS = HOUR_MS;
/**
 * The first slice of a page filtered by resource: its keys come from `events_by_resource`, where one
 * resource's rows lie together, so a slice costs that resource's rows in it, not every event of
 * the span; a wider first slice saves the queries that growing from one hour would take.
 */
export const FIRST_RESOURCE_SLICE_MS = 24 * HOUR_MS;
/** After this many bounded slices, the rest of the range is read in one. */
const MAX_BOUNDED_SLICES = 4;

/** Conditions on created_at (the sort key's time, and the day partitions' key). */
function timeConditions(from: number | undefined, to: number | undefined): SqlFragment[] {
  const out: SqlFragment[] = [];
  if (from !== undefined) out.push(sql`created_at >= ${param.dateTime64(from)}`);
  if (to !== undefined) out.push(sql`created_at < ${param.dateTime64(to)}`);
  return out;
}

/** The walk's snapshot: rows ingested up to the end of its second (that second included). */
function snapshotCondition(asOfSeconds: number): SqlFragment {
  return sql`ingested_at < ${param.dateTime64((asOfSeconds + 1) * 1000)}`;
}

/** Every condition of the query itself (filters, snapshot, cursor), the same on every slice. */
function filterConditions(query: ListQuery): SqlFragment[] {
  const { organizationId, types, sinceMs, untilMs, resources, order, after, asOfSeconds } = query;
  const where: SqlFragment[] = [sql`organization_id = ${organizationId}`, snapshotCondition(asOfSeconds)];
  if (!types.all) {
    where.push(sql`category IN ${[...types.categories]}`);
    where.push(sql`type IN ${[...types.types]}`);
  }
  where.push(...timeConditions(sinceMs, untilMs));
  for (const [name, value] of Object.entries(resources)) where.push(sql`${identifier(name)} = ${value}`);
  if (after) {
    const t = param.dateTime64(after.t);
    where.push(
      order === 'desc'
        ? sql`(created_at < ${t} OR (created_at = ${t} AND id < ${after.i}))`
        : sql`(created_at > ${t} OR (created_at = ${t} AND id > ${after.i}))`,
    );
  }
  return where;
}

/**
 * The keys (not the payloads) of the first `rows` matching rows of one slice, in the page's order.
 * Without LIMIT BY, ClickHouse keeps only the top rows while it sorts, and reads no payload.
 */
export function keysSql(query: ListQuery, slice: Slice, rows: number): SqlFragment {
  const direction = query.order === 'desc' ? sql`DESC` : sql`ASC`;
  const { from, index } = source(query);
  return sql`
      SELECT toUnixTimestamp64Milli(created_at) AS created_at_ms, id, category FROM ${from}
      WHERE ${join([...index, ...filterConditions(query), ...timeConditions(slice.from, slice.to)], sql` AND `)}
      ORDER BY created_at ${direction}, id ${direction}
      LIMIT ${param.uint64(rows)}`;
}

/**
 * Where a page reads: with a resource filter, the table sorted by resource (it holds every column
 * the conditions name, one row per resource an event carries), led by that resource; else events.
 */
function source(query: ListQuery): { from: SqlFragment; index: SqlFragment[] } {
  const [resource] = Object.entries(query.resources);
  return resource
    ? {
        from: identifier(query.resourceTable),
        index: [sql`resource_kind = ${resource[0]}`, sql`resource_value = ${resource[1]}`],
      }
    : { from: identifier(query.table), index: [] };
}

/** The external table holding a page's ids, sent beside its payloads query. */
const PAGE_IDS = 'page_ids';

/**
 * The payloads of exactly these keys: PREWHERE on the ids reads the payload of their granules
 * only; the page's time span (and, in events, its categories) narrow the index (a list of its times
 * did not help). A resource's page reads them from that resource's rows, which lie together. The
 * ids travel as external data (`page_ids`): a literal list of 1,000 ids is a long statement for
 * ClickHouse to parse (the 1,000-event page's p50 fell by about a quarter without it).
 */
function payloadsSql(query: ListQuery, keys: readonly KeyRow[]): SqlFragment {
  const times = keys.map((key) => Number(key.created_at_ms));
  const { from, index } = source(query);
  const categories = index.length ? [] : [sql`category IN ${[...new Set(keys.map((key) => key.category))]}`];
  return sql`
      SELECT payload, toUnixTimestamp64Milli(created_at) AS created_at_ms, id FROM ${from}
      PREWHERE id IN (SELECT id FROM ${identifier(PAGE_IDS)})
      WHERE ${join(
        [
          ...index,
          sql`organization_id = ${query.organizationId}`,
          ...categories,
          ...timeConditions(Math.min(...times), Math.max(...times) + 1),
          snapshotCondition(query.asOfSeconds),
        ],
        sql` AND `,
      )}`;
}

/**
 * Reads one page (up to `query.limit` rows) of `GET /events`: the newest (or oldest) matching
 * events, each id once (its first copy in the page's order), as
 * `ORDER BY created_at_ms, id LIMIT 1 BY id LIMIT n` would, without its cost on a large history.
 *
 * That one query would sort every matching row with its payload: LIMIT BY rules out the top-N
 * sort, and with several categories (or none) the page's order is not a prefix of the sort key,
 * so ClickHouse cannot read in order and stop early. Instead the keys are read slice by slice of time, starting where the page starts (now,
 * `until` or the cursor for `desc`; `since` or the cursor for `asc`), each slice sized from what
 * the previous ones found, until the page is full; then the page's payloads are read by key.
 */
export async function listEvents(clickhouse: ClickHouse, query: ListQuery): Promise<ListRow[]> {
  const firstSliceMs = Object.keys(query.resources).length > 0 ? FIRST_RESOURCE_SLICE_MS : FIRST_SLICE_MS;
  const keys = await collectPage(
    query,
    Date.now(),
    (slice, rows) => clickhouse.queryStrings<KeyRow>(keysSql(query, slice, rows)),
    firstSliceMs,
  );
  if (keys.length === 0) return [];
  const ids = [...new Set(keys.map((key) => key.id))].map((id) => ({ id }));
  const rows = await clickhouse.queryWithTable<ListRow>(payloadsSql(query, keys), {
    name: PAGE_IDS,
    columns: ['id'],
    rows: ids,
  });
  const byKey = new Map(rows.map((row) => [`${row.created_at_ms}/${row.id}`, row]));
  return keys
    .map((key) => byKey.get(`${key.created_at_ms}/${key.id}`))
    .filter((row): row is ListRow => row !== undefined);
}

/** The page's part of the query: where it starts and ends, and its order. */
export type PageBounds = Pick<ListQuery, 'order' | 'limit' | 'sinceMs' | 'untilMs' | 'after'>;

/**
 * The keys of one page, read slice by slice through `readSlice(slice, rows)` (the first `rows`
 * matching keys inside the slice, in the page's order), the first `firstSliceMs` wide. Exported
 * for its unit test.
 */
export async function collectPage<Key extends { id: string }>(
  page: PageBounds,
  nowMs: number,
  readSlice: (slice: Slice, rows: number) => Promise<Key[]>,
  firstSliceMs = FIRST_SLICE_MS,
): Promise<Key[]> {
  const desc = page.order === 'desc';
  // Where the page starts. Without an edge, a desc page starts at now (its first slice open above);
  // an asc page without since or cursor has no start, and one slice reads the whole range.
  const cursorEdge = page.after ? (desc ? page.after.t + 1 : page.after.t) : undefined;
  const edges = [cursorEdge, desc ? page.untilMs : page.sinceMs].filter((edge): edge is number => edge !== undefined);
  const start = edges.length ? (desc ? Math.min(...edges) : Math.max(...edges)) : undefined;
  const stop = desc ? page.sinceMs : page.untilMs;
  const kept: Key[] = [];
  const seen = new Set<string>();
  let near = start; // the current slice's edge on the page's side; undefined: open
  let covered = 0;
  for (let slice = 0; kept.length < page.limit; slice += 1) {
    const anchor = near ?? (desc ? nowMs : undefined);
    const found = kept.length;
    // Sized so that, at the density seen so far, it fills the page (at least 2x, at most 16x what was read).
    const widthMs =
      slice === 0
        ? firstSliceMs
        : found === 0
          ? covered * 8
          : Math.ceil(Math.min(covered * 16, Math.max(covered * 2, (covered * (page.limit - found) * 1.25) / found)));
    let far =
      anchor !== undefined && slice < MAX_BOUNDED_SLICES ? (desc ? anchor - widthMs : anchor + widthMs) : undefined;
    if (far !== undefined && stop !== undefined && (desc ? far <= stop : far >= stop)) far = undefined;
    const range: Slice = desc ? { from: far, to: near } : { from: near, to: far };
    kept.push(...(await freshKeys((rows) => readSlice(range, rows), page.limit - kept.length, seen)));
    if (far === undefined) break; // this slice reached the end of the range
    covered += widthMs;
    near = far;
  }
  return kept;
}

/** Up to `wanted` keys of one slice whose ids were not seen before, in order; reads more rows when copies of one id took the room. */
async function freshKeys<Key extends { id: string }>(
  read: (rows: number) => Promise<Key[]>,
  wanted: number,
  seen: Set<string>,
): Promise<Key[]> {
  for (let rows = wanted; ; rows *= 4) {
    const keys = await read(rows);
    const fresh: Key[] = [];
    const local = new Set<string>();
    for (const key of keys) {
      if (seen.has(key.id) || local.has(key.id)) continue;
      local.add(key.id);
      fresh.push(key);
      if (fresh.length === wanted) break;
    }
    if (fresh.length === wanted || keys.length < rows) {
      for (const id of local) seen.add(id);
      return fresh;
    }
  }
}
