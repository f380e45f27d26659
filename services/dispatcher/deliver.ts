import { formatTimestamp } from '../../core/events/time.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { activeSecrets, type WebhookSubscription } from '../../core/webhooks/model.js';
import { nextRetryDelayMs, type Send } from '../../core/webhooks/retry.js';
import { signatureHeaders } from '../../core/webhooks/signature.js';
import type { DeliveryLog } from './delivery-log.js';
import type { DispatcherMetrics } from './metrics.js';
import { deliveryIdOf, emitsDeliveryEvents, type DeliveryState } from './model.js';
import type { DeliveryNotifier } from './notifier.js';
import type { RetryStore } from './retry-store.js';

/** What the dispatcher needs of the subscription store (W1's `createWebhookStore`). */
export interface DispatcherWebhooks {
  get(id: string): WebhookSubscription | undefined;
  matching(organizationId: string, type: string): WebhookSubscription[];
  put(subscription: WebhookSubscription): Promise<unknown>;
}

export interface DeliveryOptions {
  send: Send;
  webhooks: DispatcherWebhooks;
  retries: RetryStore;
  log: DeliveryLog;
  notifier: DeliveryNotifier;
  metrics: DispatcherMetrics;
  logger: Logger;
  /** Delays between attempts, in ms (RG_WEBHOOK_RETRY_SCHEDULE). */
  retryScheduleMs: readonly number[];
  /** Share of each delay randomly added or taken. Default 0.2. */
  jitter?: number;
  /** An endpoint failing without a success for this long is disabled, in ms. */
  disableAfterMs: number;
  now?: () => number;
  /** Aborted at shutdown: requests in flight end as failed attempts and are parked for a retry. */
  signal: AbortSignal;
}

/** One delivery about to be attempted. */
export interface Delivery {
  webhookId: string;
  event: PlatformEvent;
  /** Attempts made before this one. */
  attemptsBefore: number;
  firstAttemptAtMs: number;
  /** True when a record of it sits in the retry store (it must be removed once settled). */
  parked: boolean;
}

/**
 * One attempt of one delivery and everything that follows from its outcome: the delivery log row,
 * `webhook.sent`/`webhook.failed`, the next retry parked durably (or the record removed), and
 * disabling an endpoint that answered 410 Gone or has failed for `disableAfterMs`. Resolves once
 * the delivery is settled: delivered, failed for good, or durably waiting for its next attempt.
 */
// One event matched by several webhooks is one shared object: its body is written once, not once
// per delivery.
const bodies = new WeakMap<PlatformEvent, string>();
function bodyOf(event: PlatformEvent): string {
  let body = bodies.get(event);
  if (body === undefined) bodies.set(event, (body = JSON.stringify(event)));
  return body;
}

export function createDeliveryAttempts(options: DeliveryOptions) {
  const { send, webhooks, retries, log, notifier, metrics, logger } = options;
  const now = options.now ?? Date.now;
  const failingSince = new Map<string, number>();
  const lastSuccessAt = new Map<string, number>();
  const disabling = new Set<string>();
  // One labelled child per outcome: resolving labels on every delivery costs more than the count.
  const outcomes = new Map<string, ReturnType<DispatcherMetrics['deliveries']['labels']>>();
  const countOutcome = (outcome: DeliveryState | 'parked') => {
    let counter = outcomes.get(outcome);
    if (!counter) outcomes.set(outcome, (counter = metrics.deliveries.labels({ outcome })));
    counter.inc();
  };

  async function disable(
    subscription: WebhookSubscription,
    reason: 'gone' | 'failing',
    since: number | null,
  ): Promise<void> {
    if (disabling.has(subscription.id)) return;
    disabling.add(subscription.id);
    try {
      const latest = webhooks.get(subscription.id) ?? subscription;
      if (!latest.enabled) return;
      await webhooks.put({ ...latest, enabled: false, disabled_reason: reason, updated_at_ms: now() });
      logger.warn('webhook disabled', { webhook_id: subscription.id, reason });
      await notifier.disabled(subscription.organization_id, {
        webhook_id: subscription.id,
        url: subscription.url,
        reason,
        failing_since: since === null ? null : formatTimestamp(since),
      });
    } catch (error) {
      logger.error('disabling a webhook failed', { webhook_id: subscription.id, error: errorMessage(error) });
    } finally {
      disabling.delete(subscription.id);
    }
  }

  function record(
    subscription: Pick<WebhookSubscription, 'id' | 'organization_id' | 'url'>,
    delivery: Delivery,
    deliveryId: string,
    attempt: number,
    at: number,
    outcome: { status?: number; durationMs: number; error: string; nextRetryAtMs: number | null; state: DeliveryState },
  ): void {
    log.record({
      organization_id: subscription.organization_id,
      webhook_id: subscription.id,
      attempted_at_ms: at,
      delivery_id: deliveryId,
      event_id: delivery.event.id,
      event_type: delivery.event.type,
      attempt,
      url: subscription.url,
      status_code: outcome.status ?? null,
      duration_ms: Math.round(outcome.durationMs),
      error: outcome.error,
      next_retry_at_ms: outcome.nextRetryAtMs,
      state: outcome.state,
    });
    countOutcome(outcome.state);
  }

  /** Settles a delivery that will never be attempted again. */
  async function giveUp(delivery: Delivery): Promise<void> {
    if (delivery.parked) await retries.remove(delivery.webhookId, delivery.event.id);
  }

  return {
    /** Attempts a delivery now; resolves once it is settled. Never rejects for an endpoint's fault. */
    async attempt(delivery: Delivery): Promise<void> {
      const subscription = webhooks.get(delivery.webhookId);
      const attempt = delivery.attemptsBefore + 1;
      const deliveryId = deliveryIdOf(delivery.webhookId, delivery.event.id);
      if (!subscription?.enabled) {
        // A disabled or deleted webhook's pending deliveries are failed for good, not attempted.
        const at = now();
        record(
          subscription ?? { id: delivery.webhookId, organization_id: delivery.event.metadata.organization_id, url: '' },
          delivery,
          deliveryId,
          delivery.attemptsBefore,
          at,
          {
            durationMs: 0,
            error: subscription ? 'webhook disabled' : 'webhook deleted',
            nextRetryAtMs: null,
            state: 'failed',
          },
        );
        await giveUp(delivery);
        return;
      }
      const body = bodyOf(delivery.event);
      const startedAt = now();
      const started = performance.now();
      const result = await send(
        {
          url: subscription.url,
          body,
          headers: signatureHeaders(activeSecrets(subscription, startedAt), delivery.event.id, body, startedAt),
        },
        options.signal,
      );
      const durationMs = performance.now() - started;
      metrics.attemptSeconds.observe(durationMs / 1000);
      const notify = emitsDeliveryEvents(delivery.event.type);

      if (result.ok) {
        failingSince.delete(subscription.id);
        lastSuccessAt.set(subscription.id, startedAt);
        record(subscription, delivery, deliveryId, attempt, startedAt, {
          status: result.status,
          durationMs,
          error: '',
          nextRetryAtMs: null,
          state: 'delivered',
        });
        if (notify)
          notifier.sent(subscription.organization_id, {
            webhook_id: subscription.id,
            delivery_id: deliveryId,
            url: subscription.url,
            status_code: result.status ?? 200,
            duration_ms: Math.round(durationMs),
            event_id: delivery.event.id,
            attempt,
          });
        if (delivery.parked) await retries.remove(subscription.id, delivery.event.id);
        return;
      }

      const error = result.error ?? (result.status ? `HTTP ${result.status}` : 'request failed');
      const since =
        failingSince.get(subscription.id) ??
        Math.max(delivery.firstAttemptAtMs, lastSuccessAt.get(subscription.id) ?? 0);
      failingSince.set(subscription.id, since);
      let nextRetryAtMs: number | null = null;
      if (result.refused) {
        // The URL rules refused the target before sending: no retry can succeed.
      } else if (result.status === 410) {
        await disable(subscription, 'gone', null);
      } else if (startedAt - since >= options.disableAfterMs) {
        await disable(subscription, 'failing', since);
      } else {
        const delay = nextRetryDelayMs(attempt, {
          scheduleMs: options.retryScheduleMs,
          jitter: options.jitter ?? 0.2,
          ...(result.retryAfterMs !== undefined && (result.status === 429 || result.status === 503)
            ? { retryAfterMs: result.retryAfterMs }
            : {}),
        });
        if (delay !== undefined) nextRetryAtMs = now() + delay;
      }
      if (nextRetryAtMs !== null) {
        await retries.put({
          webhook_id: subscription.id,
          organization_id: subscription.organization_id,
          event: delivery.event,
          attempts: attempt,
          due_at_ms: nextRetryAtMs,
          first_attempt_at_ms: delivery.firstAttemptAtMs,
          last_error: error,
          last_status_code: result.status ?? null,
        });
      } else {
        await giveUp(delivery);
      }
      record(subscription, delivery, deliveryId, attempt, startedAt, {
        ...(result.status ? { status: result.status } : {}),
        durationMs,
        error,
        nextRetryAtMs,
        state: nextRetryAtMs === null ? 'failed' : 'retrying',
      });
      if (notify) {
        notifier.failed(subscription.organization_id, {
          webhook_id: subscription.id,
          delivery_id: deliveryId,
          url: subscription.url,
          error,
          retry_count: attempt - 1,
          next_retry_at: nextRetryAtMs === null ? null : formatTimestamp(nextRetryAtMs),
          status_code: result.status ?? null,
          event_id: delivery.event.id,
        });
      }
    },
    /** Parks a delivery that could not start (its endpoint is saturated): due at once, no attempt made. */
    async park(webhookId: string, organizationId: string, event: PlatformEvent): Promise<void> {
      const at = now();
      await retries.put({
        webhook_id: webhookId,
        organization_id: organizationId,
        event,
        attempts: 0,
        due_at_ms: at,
        first_attempt_at_ms: at,
        last_error: null,
        last_status_code: null,
      });
      countOutcome('parked');
    },
  };
}

export type DeliveryAttempts = ReturnType<typeof createDeliveryAttempts>;
