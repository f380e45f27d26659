// The API's objects as the console reads them (docs/api.md, webhooks.md, replay.md).

export interface PlatformEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
  metadata: { organization_id: string; user_id: string | null; request_id: string | null };
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  /** Only in the answers of create and rotate-secret. */
  secret?: string;
  previous_secret_expires_at?: string | null;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  attempted_at: string;
  url: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  next_retry_at: string | null;
  state: 'delivered' | 'retrying' | 'failed' | string;
}

export interface TestDelivery {
  event_id: string;
  delivered: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

export interface Replay {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled' | string;
  event_count: number | null;
  total: number | null;
  delivered: number;
  failed: number;
  scanned: number;
  since?: string;
  until?: string;
  types?: string[];
  webhook_url: string;
  webhook_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  estimated_seconds_remaining: number | null;
  error: string | null;
  cancel_requested?: boolean;
}

export interface EventTypeField {
  name: string;
  type: string;
  required: boolean;
  nullable: boolean;
  description: string;
  values?: string[];
}

export interface EventType {
  type: string;
  category: string;
  description: string;
  resource_key: string;
  fields: EventTypeField[];
  example: Record<string, unknown> | null;
}

export interface Whoami {
  admin: boolean;
  organization_id: string | null;
  organizations: string[];
}

export interface FailingWebhook {
  webhook_id: string;
  url: string;
  description: string | null;
  enabled: boolean | null;
  attempts: number;
  failed_attempts: number;
  last_state: string;
  last_error: string | null;
  last_status_code: number | null;
  last_attempt_at: string | null;
  next_retry_at: string | null;
}

export interface Overview {
  events: { last_hour: number; last_day: number };
  deliveries: {
    since: string;
    attempts: number;
    delivered: number;
    retrying: number;
    failed: number;
    success_rate: number | null;
    failing_webhooks: FailingWebhook[];
  };
  sink: {
    lag: number | null;
    newest_event_at: string | null;
    newest_stored_at: string | null;
    freshness_seconds: number | null;
  };
}

/** The resource filters of every read path, most selective first. */
export const RESOURCE_FILTERS = ['session_id', 'agent_id', 'team_id', 'user_id'] as const;
export type ResourceFilter = (typeof RESOURCE_FILTERS)[number];
