import type { EventDataByType, EventType, TypedEvent } from '../core/events/generated/event-types.js';

export type { EventDataByType, EventType, TypedEvent };

/** An event as the API returns it; `switch (event.type)` narrows `event.data`. */
export type Event = TypedEvent;
/** An event received on the live stream. */
export type StreamedEvent = TypedEvent;

export type Timestamp = string | Date;

export interface ListEventsParams {
  /** Type patterns: `session.completed`, `session.*`, `*`. */
  types?: string[];
  /** Inclusive. */
  since?: Timestamp;
  /** Exclusive. */
  until?: Timestamp;
  agent_id?: string;
  session_id?: string;
  team_id?: string;
  user_id?: string;
  /** 1–1000, default 100. */
  limit?: number;
  /** Default `desc` (newest first). */
  order?: 'asc' | 'desc';
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface PublishInput<T extends EventType = EventType> {
  type: T;
  data: EventDataByType[T];
  /** `evt_…`; assigned when absent. Publishing the same id again yields one event. */
  id?: string;
  /** RFC 3339; now when absent. */
  created_at?: Timestamp;
  metadata?: { user_id?: string | null; request_id?: string | null; organization_id?: string };
}

export interface PublishedEvent {
  id: string;
  type: EventType;
  created_at: string;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  created_at: string;
  /** Only on creation and rotation. */
  secret?: string;
  [key: string]: unknown;
}

export interface CreateWebhookParams {
  url: string;
  events: string[];
  /** Generated (`whsec_…`) when omitted. */
  secret?: string;
  description?: string;
}

export interface UpdateWebhookParams {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

export interface Delivery {
  id: string;
  event_id: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number | null;
  error: string | null;
  next_retry_at: string | null;
  [key: string]: unknown;
}

export interface ReplayParams {
  since: Timestamp;
  until: Timestamp;
  types?: string[];
  webhook_url?: string;
  webhook_id?: string;
  /** Signing secret when the URL is not one of the organization's webhooks. */
  secret?: string;
  agent_id?: string;
  session_id?: string;
  team_id?: string;
  user_id?: string;
}

export type ReplayStatusName = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface Replay {
  id: string;
  status: ReplayStatusName;
  event_count: number;
  total: number;
  delivered: number;
  failed: number;
  [key: string]: unknown;
}
