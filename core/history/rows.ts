import type { ClickHouse } from '../clickhouse/client.js';
import { dateTime64Text } from '../clickhouse/sql.js';
import type { PlatformEvent } from '../events/model.js';
import type { EventCategory } from '../events/categories.js';
import { resourcesOf } from '../events/resources.js';

/** The resource ids extracted into their own columns, so filters on them use no JSON. */
export const RESOURCE_COLUMNS = ['agent_id', 'session_id', 'team_id', 'user_id', 'webhook_id'] as const;

export interface EventRow {
  organization_id: string;
  category: string;
  /** DateTime64(3) text (`2026-02-21 03:27:00.123`, UTC). */
  created_at: string;
  /** The same instant in ms: not a column, for the sink's dedup check. */
  created_at_ms: number;
  id: string;
  type: string;
  agent_id: string;
  session_id: string;
  team_id: string;
  user_id: string;
  webhook_id: string;
  resource_id: string;
  payload: string;
  kafka_partition: number;
  kafka_offset: string;
  /**
   * When the row was stored, DateTime64(3) text (copied into `events_by_resource`); the sink
   * appends it to its lines when it sends the insert, so this field is for other writers (tests,
   * benchmarks). Without it `insertEventRows` stamps the insert's time.
   */
  ingested_at?: string;
}

/**
 * The columns of an `events` row, in the order of the sink's TabSeparated lines (`id` first);
 * `ingested_at` is not among them: the sink appends it when it sends the insert.
 */
export const EVENT_COLUMNS = [
  'id',
  'organization_id',
  'category',
  'created_at',
  'type',
  'agent_id',
  'session_id',
  'team_id',
  'user_id',
  'webhook_id',
  'resource_id',
  'payload',
  'kafka_partition',
  'kafka_offset',
] as const satisfies readonly (keyof EventRow)[];
// A compile error when EventRow gains a column EVENT_COLUMNS does not list.
const everyColumnListed: [
  Exclude<keyof EventRow, (typeof EVENT_COLUMNS)[number] | 'ingested_at' | 'created_at_ms'>,
] extends [never]
  ? true
  : false = true;
void everyColumnListed;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One row of the `events` table for a decoded event. */
export function toEventRow(
  event: PlatformEvent,
  category: EventCategory,
  resourceKey: string,
  partition: number,
  offset: string,
): EventRow {
  const createdAtMs = Date.parse(event.created_at);
  // The same rule as the live stream's and replays' filters.
  const resources = resourcesOf(event);
  return {
    organization_id: event.metadata.organization_id,
    category,
    created_at: dateTime64Text(createdAtMs),
    created_at_ms: createdAtMs,
    id: event.id,
    type: event.type,
    agent_id: resources.agent_id ?? '',
    session_id: resources.session_id ?? '',
    team_id: resources.team_id ?? '',
    user_id: resources.user_id ?? '',
    webhook_id: text(event.data.webhook_id),
    resource_id: text(event.data[resourceKey]),
    payload: JSON.stringify(event),
    kafka_partition: partition,
    kafka_offset: offset,
  };
}

/**
 * Inserts rows into an events table as the sink writes them (EVENT_COLUMNS, then `ingested_at`:
 * the row's own, or this insert's time). For writers other than the sink: tests, benchmarks.
 */
export async function insertEventRows(clickhouse: ClickHouse, table: string, rows: readonly EventRow[]): Promise<void> {
  const now = dateTime64Text(Date.now());
  await clickhouse.insert(
    table,
    rows.map((row) => (row.ingested_at === undefined ? { ...row, ingested_at: now } : row)),
    [...EVENT_COLUMNS, 'ingested_at'],
  );
}
