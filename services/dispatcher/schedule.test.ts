import { describe, expect, it } from 'vitest';
import { nextRetryDelayMs } from '../../core/webhooks/retry.js';
import { deliveryIdOf, emitsDeliveryEvents, retryPartitionOf } from './model.js';

describe('nextRetryDelayMs', () => {
  const scheduleMs = [1000, 5000, 60_000];

  it('follows the schedule by attempts made, and ends after its last delay', () => {
    const exact = { scheduleMs, jitter: 0, random: () => 0.5 };
    expect([1, 2, 3, 4].map((n) => nextRetryDelayMs(n, exact))).toEqual([1000, 5000, 60_000, undefined]);
    expect(nextRetryDelayMs(0, exact)).toBeUndefined();
    expect(nextRetryDelayMs(1, { scheduleMs: [], jitter: 0 })).toBeUndefined();
  });

  it('keeps jitter within its share on both sides', () => {
    expect(nextRetryDelayMs(2, { scheduleMs, jitter: 0.2, random: () => 0 })).toBe(4000);
    expect(nextRetryDelayMs(2, { scheduleMs, jitter: 0.2, random: () => 0.999999 })).toBe(6000);
    const seen = new Set(Array.from({ length: 200 }, () => nextRetryDelayMs(1, { scheduleMs, jitter: 0.2 })!));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...seen)).toBeLessThanOrEqual(1200);
    expect(seen.size).toBeGreaterThan(10);
  });

  it('waits at least what Retry-After asks, never less than the schedule', () => {
    expect(nextRetryDelayMs(1, { scheduleMs, jitter: 0, retryAfterMs: 30_000 })).toBe(30_000);
    expect(nextRetryDelayMs(3, { scheduleMs, jitter: 0, retryAfterMs: 30_000 })).toBe(60_000);
  });
});

describe('delivery identity and the loop rule', () => {
  it('gives one delivery one id on every attempt and process, distinct per webhook and event', () => {
    expect(deliveryIdOf('wh_1', 'evt_1')).toBe(deliveryIdOf('wh_1', 'evt_1'));
    expect(deliveryIdOf('wh_1', 'evt_1')).not.toBe(deliveryIdOf('wh_2', 'evt_1'));
    expect(deliveryIdOf('wh_1', 'evt_1')).toMatch(/^del_[A-Za-z0-9_-]{22}$/);
  });

  it('puts all retries of a webhook in one partition, spread over all of them', () => {
    expect(retryPartitionOf('wh_a', 6)).toBe(retryPartitionOf('wh_a', 6));
    const used = new Set(Array.from({ length: 100 }, (_, n) => retryPartitionOf(`wh_${n}`, 6)));
    expect(used.size).toBe(6);
  });

  it('emits no delivery events for deliveries of webhook.sent or webhook.failed', () => {
    expect(emitsDeliveryEvents('webhook.sent')).toBe(false);
    expect(emitsDeliveryEvents('webhook.failed')).toBe(false);
    expect(emitsDeliveryEvents('webhook.disabled')).toBe(true);
    expect(emitsDeliveryEvents('session.completed')).toBe(true);
  });
});
