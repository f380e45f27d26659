import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import type { PlatformEvent } from '../../core/events/model.js';
import type { WebhookSubscription } from '../../core/webhooks/model.js';
import type { SendResult } from '../../core/webhooks/retry.js';
import { createDeliveryAttempts } from './deliver.js';
import { dispatcherMetrics } from './metrics.js';
import type { RetryRecord } from './model.js';

const HOUR_MS = 3_600_000;
const DISABLE_AFTER_MS = 5 * 24 * HOUR_MS;

/** The outcome rules of one attempt, on a clock of our own: no endpoint, broker or ClickHouse involved. */
function setUp(answers: SendResult[]) {
  let nowMs = Date.UTC(2026, 10, 1);
  const subscription: WebhookSubscription = {
    id: 'wh_test',
    organization_id: 'org_test',
    url: 'https://hooks.example/in',
    events: ['*'],
    description: null,
    enabled: true,
    disabled_reason: null,
    secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', expires_at_ms: null }],
    created_at_ms: nowMs,
    updated_at_ms: nowMs,
  };
  const stored = new Map([[subscription.id, subscription]]);
  const parked: RetryRecord[] = [];
  const disabled: { reason: string; failing_since: string | null }[] = [];
  const attempts = createDeliveryAttempts({
    send: async () => answers.shift() ?? { ok: true, status: 200 },
    webhooks: {
      get: (id) => stored.get(id),
      matching: () => [...stored.values()],
      put: async (next) => void stored.set(next.id, next),
    },
    retries: {
      connect: async () => undefined,
      put: async (record) => void parked.push(record),
      remove: async () => undefined,
      disconnect: async () => undefined,
    },
    log: { record: () => undefined, flush: async () => undefined },
    notifier: {
      sent: () => undefined,
      failed: () => undefined,
      disabled: async (_organization, data) => void disabled.push(data),
    },
    metrics: dispatcherMetrics(createMetricsRegistry({ defaultMetrics: false })),
    logger: createLogger({ level: 'error' }),
    retryScheduleMs: Array.from({ length: 20 }, () => 12 * HOUR_MS),
    jitter: 0,
    disableAfterMs: DISABLE_AFTER_MS,
    now: () => nowMs,
    signal: new AbortController().signal,
  });
  const event = (n: number): PlatformEvent => ({
    id: `evt_0000000000000000000000000${n}`,
    type: 'agent.created',
    created_at: new Date(nowMs).toISOString(),
    data: { agent_id: `agent_${n}` },
    metadata: { organization_id: 'org_test', user_id: null, request_id: null },
  });
  const attempt = (n: number, firstAttemptAtMs = nowMs) =>
    attempts.attempt({
      webhookId: subscription.id,
      event: event(n),
      attemptsBefore: 0,
      firstAttemptAtMs,
      parked: false,
    });
  return {
    attempt,
    stored,
    parked,
    disabled,
    advance: (ms: number) => {
      nowMs += ms;
    },
    now: () => nowMs,
  };
}

const failure: SendResult = { ok: false, status: 500, error: 'HTTP 500' };

describe('delivery attempts', () => {
  it('disables an endpoint that has failed without a success for RG_WEBHOOK_DISABLE_AFTER, saying since when', async () => {
    const { attempt, stored, parked, disabled, advance, now } = setUp([failure, failure, failure]);
    const failingSince = now();
    await attempt(1);
    expect(parked).toHaveLength(1); // retried later, not disabled
    advance(DISABLE_AFTER_MS - 1);
    await attempt(2);
    expect(stored.get('wh_test')).toMatchObject({ enabled: true });
    advance(1);
    await attempt(3);
    expect(stored.get('wh_test')).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    expect(disabled).toEqual([
      expect.objectContaining({ reason: 'failing', failing_since: new Date(failingSince).toISOString() }),
    ]);
    expect(parked).toHaveLength(2); // the last failure is not parked: the endpoint is off
  });

  it('starts counting again after a success', async () => {
    const { attempt, stored, disabled, advance } = setUp([failure, { ok: true, status: 200 }, failure, failure]);
    await attempt(1);
    advance(DISABLE_AFTER_MS - HOUR_MS);
    await attempt(2); // succeeds
    advance(2 * HOUR_MS);
    await attempt(3); // fails: failing for 0 h, not 5 days
    advance(DISABLE_AFTER_MS - HOUR_MS);
    await attempt(4);
    expect(stored.get('wh_test')).toMatchObject({ enabled: true });
    expect(disabled).toEqual([]);
  });

  it('disables at once on 410 Gone, without a retry', async () => {
    const { attempt, stored, parked, disabled } = setUp([{ ok: false, status: 410, error: 'HTTP 410' }]);
    await attempt(1);
    expect(stored.get('wh_test')).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    expect(disabled).toEqual([expect.objectContaining({ reason: 'gone', failing_since: null })]);
    expect(parked).toEqual([]);
  });
});
