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

/** A webhook subscription (`GET /webhooks/{id}`); never carries its secret. */
export interface Webhook {
  /** `wh_` + a ULID. */
  id: string;
  /** Where deliveries are POSTed. */
  url: string;
  /** Type patterns as given: `session.completed`, `session.*`, `*`. */
  events: string[];
  description: string | null;
  enabled: boolean;
  /** Why the platform disabled it (`gone`: the endpoint answered 410; `failing`), null otherwise. */
  disabled_reason: string | null;
  /** RFC 3339. */
  created_at: string;
  /** RFC 3339. */
  updated_at: string;
}

/** The answer of `webhooks.create`: the webhook and its signing secret, shown this once. */
export interface CreatedWebhook extends Webhook {
  /** `whsec_…` (generated) or the secret given: keep it, no other answer shows it. */
  secret: string;
}

/** The answer of `webhooks.rotateSecret`: the new secret, shown this once. */
export interface RotatedWebhook extends CreatedWebhook {
  /** Until when the previous secret keeps signing too (RFC 3339), null when there was none left. */
  previous_secret_expires_at: string | null;
}

export interface CreateWebhookParams {
  /** An https URL on a public address (http and private addresses only where the operator allows them). */
  url: string;
  /** At least one type pattern: `agent.created`, `session.*`, `*`. */
  events: string[];
  /**
   * The signing secret: `whsec_` + base64 of 24 to 64 bytes, or any string of 24 to 256
   * characters. Generated (`whsec_` + 32 random bytes) when omitted, which is the safer choice.
   */
  secret?: string;
  description?: string;
}

/** Fields to change; the others are left as they are. */
export interface UpdateWebhookParams {
  url?: string;
  events?: string[];
  /** null clears it. */
  description?: string | null;
  /** Setting it (either way) clears `disabled_reason`. */
  enabled?: boolean;
}

export interface RotateSecretParams {
  /** The new secret (same rules as on creation); generated when omitted. */
  secret?: string;
}

/** The answer of `webhooks.test`: how the one signed `webhook.test` delivery went. */
export interface WebhookTestResult {
  /** The id of the test event (also its `webhook-id` header). */
  event_id: string;
  /** True on a 2xx answer. */
  delivered: boolean;
  /** Null when there was no answer. */
  status_code: number | null;
  duration_ms: number;
  /** `HTTP 500`, `timed out after 10000 ms`, `refused: …`; null when delivered. */
  error: string | null;
}

/** One attempt of one delivery (`GET /webhooks/{id}/deliveries`). */
export interface Delivery {
  /** The delivery (one event to one webhook): the same on every attempt. */
  id: string;
  webhook_id: string;
  /** Also the `webhook-id` header of every attempt. */
  event_id: string;
  event_type: string;
  /** 1 for the first attempt; 0 for a delivery dropped before any attempt. */
  attempt: number;
  /** RFC 3339. */
  attempted_at: string;
  url: string;
  /** Null when there was no answer (timeout, refused connection). */
  status_code: number | null;
  duration_ms: number | null;
  /** Null on success. */
  error: string | null;
  /** When the next attempt is due; null when delivered or failed for good. */
  next_retry_at: string | null;
  /** `failed` means failed for good. */
  state: 'delivered' | 'retrying' | 'failed';
}

export interface ListDeliveriesParams {
  /** 1–1000, default 50. */
  limit?: number;
  /** Only the attempts of this event. */
  event_id?: string;
  /** `next_cursor` of the previous page. */
  cursor?: string;
}

export interface ReplayParams {
  /** Inclusive. */
  since: Timestamp;
  /** Exclusive. */
  until: Timestamp;
  /** Type patterns; default every type. */
  types?: string[];
  /** Where to deliver; one of `webhook_url` or `webhook_id` is required. */
  webhook_url?: string;
  /** One of your webhooks: its URL and secrets are used. */
  webhook_id?: string;
  /** Signing secret when `webhook_url` is not one of the organization's webhooks (24+ characters or `whsec_…`). */
  secret?: string;
  agent_id?: string;
  session_id?: string;
  team_id?: string;
  user_id?: string;
}

export type ReplayStatusName = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A replay and its progress (`GET /events/replay/{id}`). */
export interface Replay {
  /** `rpl_…` */
  id: string;
  status: ReplayStatusName;
  since: string;
  until: string;
  types: string[];
  webhook_url: string;
  webhook_id: string | null;
  /** Events the replay delivers; null while the replayer is still counting them. */
  event_count: number | null;
  /** Same as `event_count`. */
  total: number | null;
  delivered: number;
  failed: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  estimated_seconds_remaining: number | null;
  /** Why it failed, when it did. */
  error: string | null;
  [key: string]: unknown;
}
