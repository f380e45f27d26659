import { createHash } from 'node:crypto';
import type { PlatformEvent } from '../../core/events/model.js';

/** The compacted topic of pending retries, keyed `<webhook_id>:<event_id>`, partitioned by webhook id. */
export const WEBHOOK_RETRIES_TOPIC = 'webhooks.retries';

/** One pending delivery in `webhooks.retries`; a tombstone (null value) once done or failed for good. */
export interface RetryRecord {
  webhook_id: string;
  organization_id: string;
  /** The event as delivered (the body is its JSON). */
  event: PlatformEvent;
  /** Attempts made so far (0 when the first could not even start: the endpoint was saturated). */
  attempts: number;
  /** When the next attempt is due, epoch ms. */
  due_at_ms: number;
  /** When the first attempt of this delivery was made or parked, epoch ms. */
  first_attempt_at_ms: number;
  last_error: string | null;
  last_status_code: number | null;
}

/** Where one delivery stands after an attempt; the delivery log's `state` column. */
export type DeliveryState = 'delivered' | 'retrying' | 'failed';

export const retryKey = (webhookId: string, eventId: string) => `${webhookId}:${eventId}`;

/** Stable across attempts and processes: the delivery of one event to one webhook. */
export function deliveryIdOf(webhookId: string, eventId: string): string {
  return `del_${createHash('sha256').update(`${webhookId}:${eventId}`).digest('base64url').slice(0, 22)}`;
}

/** Partition of a webhook's retries: all of one webhook land in one partition (one worker). */
export function retryPartitionOf(webhookId: string, partitions: number): number {
  return createHash('sha256').update(webhookId).digest().readUInt32BE(0) % partitions;
}

/**
 * The loop rule: delivering a `webhook.sent` or `webhook.failed` event never emits another
 * `webhook.sent`/`webhook.failed` (it is still attempted, retried and logged). So an event about a
 * delivery is at most one level deep, whoever subscribes to `webhook.*` or `*`.
 */
export const emitsDeliveryEvents = (eventType: string) =>
  eventType !== 'webhook.sent' && eventType !== 'webhook.failed';
