import { randomBytes } from 'node:crypto';
import { newEventId } from '../events/ids.js';
import { formatTimestamp } from '../events/time.js';

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

/** Secrets kept on a subscription at once (the current one and those in their grace period). */
export const MAX_SECRETS = 5;
/** Shortest and longest signing key, in bytes (the Standard Webhooks range). */
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
const MAX_PLAIN_SECRET_LENGTH = 256;

/** `wh_` + a ULID, so ids sort by creation time. */
export function newWebhookId(nowMs = Date.now()): string {
  return newEventId(nowMs).replace(/^evt_/, 'wh_');
}

/** A new signing secret: `whsec_` + 32 random bytes in base64. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * Why a secret given by a user may not sign deliveries, or undefined when it may: a `whsec_`
 * secret must be base64 of 24 to 64 bytes; any other must be 24 to 256 characters with no
 * control characters and no space at either end (its UTF-8 bytes are the key).
 */
export function secretProblem(secret: unknown): string | undefined {
  if (typeof secret !== 'string') return 'must be a string';
  if (secret.startsWith('whsec_')) {
    const encoded = secret.slice('whsec_'.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0)
      return 'a whsec_ secret must be whsec_ followed by base64';
    const bytes = Buffer.from(encoded, 'base64').length;
    if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES)
      return `a whsec_ secret must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (it encodes ${bytes})`;
    return undefined;
  }
  if (secret.length < MIN_SECRET_BYTES)
    return `is too short: at least ${MIN_SECRET_BYTES} characters (or omit it to get a generated whsec_ secret)`;
  if (secret.length > MAX_PLAIN_SECRET_LENGTH) return `is too long: at most ${MAX_PLAIN_SECRET_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(secret) || secret.trim() !== secret)
    return 'must not hold control characters or start or end with spaces';
  return undefined;
}

/**
 * The secrets after a rotation at `nowMs`: `secret` becomes the current one; the previous current
 * one keeps signing until `nowMs + graceMs`; expired ones are dropped, and at most MAX_SECRETS kept.
 */
export function rotatedSecrets(
  subscription: Pick<WebhookSubscription, 'secrets'>,
  secret: string,
  nowMs: number,
  graceMs: number,
): WebhookSubscription['secrets'] {
  const previous = subscription.secrets
    .filter((s) => s.expires_at_ms === null || s.expires_at_ms > nowMs)
    .map((s) => ({
      secret: s.secret,
      expires_at_ms: s.expires_at_ms === null ? nowMs + graceMs : Math.min(s.expires_at_ms, nowMs + graceMs),
    }))
    .filter((s) => s.expires_at_ms > nowMs);
  return [{ secret, expires_at_ms: null }, ...previous].slice(0, MAX_SECRETS);
}

/** A subscription as the API shows it: never its secrets. */
export function publicWebhook(subscription: WebhookSubscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    events: subscription.events,
    description: subscription.description,
    enabled: subscription.enabled,
    disabled_reason: subscription.disabled_reason,
    created_at: formatTimestamp(subscription.created_at_ms),
    updated_at: formatTimestamp(subscription.updated_at_ms),
  };
}
