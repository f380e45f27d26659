/** A webhook subscription as stored in the compacted `webhooks.subscriptions` topic, keyed by `id`. */
export interface WebhookSubscription {
  /** `wh_` + a ULID. */
  id: string;
  organization_id: string;
  url: string;
  /** Type patterns: exact types, `category.*` or `*`. */
  events: string[];
  description: string | null;
  enabled: boolean;
  /** Why it was disabled by the platform (`gone`, `failing`), null when enabled or disabled by the user. */
  disabled_reason: string | null;
  /** Signing secrets, newest first; a rotated-out one keeps signing until `expires_at_ms`. */
  secrets: { secret: string; expires_at_ms: number | null }[];
  /** Epoch ms. */
  created_at_ms: number;
  updated_at_ms: number;
}

export const WEBHOOK_SUBSCRIPTIONS_TOPIC = 'webhooks.subscriptions';

/** The secrets that sign a delivery at `nowMs`: the current one and any still in its grace period. */
export function activeSecrets(subscription: Pick<WebhookSubscription, 'secrets'>, nowMs = Date.now()): string[] {
  return subscription.secrets.filter((s) => s.expires_at_ms === null || s.expires_at_ms > nowMs).map((s) => s.secret);
}
