import { Counter, Gauge, getOrCreate, Histogram, LATENCY_BUCKETS_SECONDS, type Registry } from '../../core/metrics/registry.js';

/** The dispatcher's metrics: deliveries by outcome, attempt latency, pending retries, consumer lag. */
export function dispatcherMetrics(metrics: Registry) {
  return {
    deliveries: getOrCreate(metrics, 'rg_webhook_deliveries_total', () => new Counter({ name: 'rg_webhook_deliveries_total', help: 'Webhook delivery attempts by outcome (delivered, retrying, failed) and deliveries parked unattempted (parked).', labelNames: ['outcome'], registers: [metrics] })),
    attemptSeconds: getOrCreate(metrics, 'rg_webhook_attempt_seconds', () => new Histogram({ name: 'rg_webhook_attempt_seconds', help: 'Duration of one delivery attempt.', buckets: LATENCY_BUCKETS_SECONDS, registers: [metrics] })),
    pendingRetries: getOrCreate(metrics, 'rg_webhook_pending_retries', () => new Gauge({ name: 'rg_webhook_pending_retries', help: 'Deliveries waiting in this process for their next attempt.', registers: [metrics] })),
    lag: getOrCreate(metrics, 'rg_dispatcher_consumer_lag', () => new Gauge({ name: 'rg_dispatcher_consumer_lag', help: 'Records behind the partition end, per topic and partition.', labelNames: ['topic', 'partition'], registers: [metrics] })),
    openDeliveries: getOrCreate(metrics, 'rg_dispatcher_open_deliveries', () => new Gauge({ name: 'rg_dispatcher_open_deliveries', help: 'Deliveries read from events.* not yet settled (delivered, failed for good or parked).', registers: [metrics] })),
  };
}

export type DispatcherMetrics = ReturnType<typeof dispatcherMetrics>;
