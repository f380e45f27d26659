import {
  Counter,
  Gauge,
  getOrCreate,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '../../core/metrics/registry.js';

/** The dispatcher's metrics: deliveries by outcome, attempt latency, attempts running and queued, pending retries, consumer lag. */
export function dispatcherMetrics(metrics: Registry) {
  return {
    deliveries: getOrCreate(
      metrics,
      'rg_webhook_deliveries_total',
      () =>
        new Counter({
          name: 'rg_webhook_deliveries_total',
          help: 'Webhook delivery attempts by outcome (delivered, retrying, failed) and deliveries parked unattempted (parked).',
          labelNames: ['outcome'],
          registers: [metrics],
        }),
    ),
    attemptSeconds: getOrCreate(
      metrics,
      'rg_webhook_attempt_seconds',
      () =>
        new Histogram({
          name: 'rg_webhook_attempt_seconds',
          help: 'Duration of one delivery attempt.',
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [metrics],
        }),
    ),
    pendingRetries: getOrCreate(
      metrics,
      'rg_webhook_pending_retries',
      () =>
        new Gauge({
          name: 'rg_webhook_pending_retries',
          help: 'Deliveries waiting in this process for their next attempt.',
          registers: [metrics],
        }),
    ),
    lag: getOrCreate(
      metrics,
      'rg_dispatcher_consumer_lag',
      () =>
        new Gauge({
          name: 'rg_dispatcher_consumer_lag',
          help: 'Records behind the partition end, per topic and partition.',
          labelNames: ['topic', 'partition'],
          registers: [metrics],
        }),
    ),
    attemptsRunning: getOrCreate(
      metrics,
      'rg_webhook_attempts_running',
      () =>
        new Gauge({
          name: 'rg_webhook_attempts_running',
          help: 'Delivery attempts being sent now, over all endpoints.',
          registers: [metrics],
        }),
    ),
    attemptsQueued: getOrCreate(
      metrics,
      'rg_webhook_attempts_queued',
      () =>
        new Gauge({
          name: 'rg_webhook_attempts_queued',
          help: 'Delivery attempts waiting for a free slot of their endpoint (RG_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT).',
          registers: [metrics],
        }),
    ),
    openDeliveries: getOrCreate(
      metrics,
      'rg_dispatcher_open_deliveries',
      () =>
        new Gauge({
          name: 'rg_dispatcher_open_deliveries',
          help: 'Deliveries read from events.* not yet settled (delivered, failed for good or parked).',
          registers: [metrics],
        }),
    ),
  };
}

export type DispatcherMetrics = ReturnType<typeof dispatcherMetrics>;
