// The API's objects as the console reads them (docs/api.md, webhooks.md, replay.md).

export interface PlatformEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
  metadata: { organization_id: string; user_id: string | null; request_id: string | null };
}

// The API's objects as the SDK describes them (type-only: nothing of the SDK is bundled).
export type {
  CreatedWebhook,
  Delivery,
  Page,
  Replay,
  RotatedWebhook,
  Webhook,
  WebhookTestResult as TestDelivery,
} from '../../../sdk/types.js';

// The catalogue as its route describes it (type-only).
export type {
  EventTypeDescription as EventType,
  EventTypeField,
} from '../../../services/api/routes/event-types.js';

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
