import type { PlatformEvent } from '../events/model.js';
import type { EventCategory } from '../events/categories.js';
import { resourcesOf } from '../events/resources.js';

/** The resource ids extracted into their own columns, so filters on them use no JSON. */
export const RESOURCE_COLUMNS = ['agent_id', 'session_id', 'team_id', 'user_id', 'webhook_id'] as const;

export interface EventRow {
  organization_id: string;
  category: string;
  created_at_ms: number;
  id: string;
  type: string;
  created_at: number;
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
   * Unix seconds the row was stored (copied into `events_by_resource`); the sink appends it to its
   * lines when it sends the insert, so this field is for other writers (tests, benchmarks).
   */
  ingested_at?: number;
}

/**
 * The columns of an `events` row, in the order of the sink's TabSeparated lines (`id` first);
 * `ingested_at` is not among them: the sink appends it when it sends the insert.
 */
export const EVENT_COLUMNS = [
  'id',
  'organization_id',
  'category',
  'created_at_ms',
  'type',
  'created_at',
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
const everyColumnListed: [Exclude<keyof EventRow, (typeof EVENT_COLUMNS)[number] | 'ingested_at'>] extends [never]
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
    created_at_ms: createdAtMs,
    id: event.id,
    type: event.type,
    created_at: Math.floor(createdAtMs / 1000),
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
