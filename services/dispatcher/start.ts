import type { Platform } from '../../core/platform.js';
import { compactedTopicSpec, ensureTopics } from '../../core/kafka/topics.js';
import type { Send } from '../../core/webhooks/retry.js';
import { createEventProducer } from '../../core/producer/producer.js';
import { createHttpSender } from '../../core/webhooks/sender.js';
import { createWebhookStore } from '../../core/webhooks/store.js';
import { createDeliveryAttempts, type DispatcherWebhooks } from './deliver.js';
import { createDeliveryLog } from './delivery-log.js';
import { createDispatcher } from './dispatcher.js';
import { createEndpointQueues } from './endpoint-queues.js';
import { dispatcherMetrics } from './metrics.js';
import { WEBHOOK_RETRIES_TOPIC } from './model.js';
import { createDeliveryNotifier } from './notifier.js';
import { createRetryStore } from './retry-store.js';
import { createRetryWorker } from './retry-worker.js';

const RETRY_TOPIC_CONFIG = [
  { name: 'segment.ms', value: '600000' },
  { name: 'delete.retention.ms', value: '600000' },
];

export interface DispatcherServiceOptions {
  /** How deliveries are sent; default: HTTP POST with the webhook timeout and URL rules. */
  send?: Send;
  /** The subscriptions; default: a store tailing `webhooks.subscriptions` for this process. */
  webhooks?: DispatcherWebhooks & { stop?: () => Promise<void> };
  /** Jitter share of retry delays. Default 0.2. */
  jitter?: number;
}

/**
 * The webhook dispatcher: first attempts from `events.*`, retries from `webhooks.retries`, one
 * set of per-endpoint lanes shared by both, attempts logged to ClickHouse, and `webhook.sent` /
 * `webhook.failed` / `webhook.disabled` published through the producer library (a producer of its own).
 */
export async function startDispatcher(
  platform: Platform,
  options: DispatcherServiceOptions = {},
): Promise<{ stop: () => Promise<void> }> {
  const { config, kafka, codec, catalog, clickhouse, metrics: registry } = platform;
  const logger = platform.logger.child({ component: 'dispatcher' });
  const admin = kafka.admin();
  await admin.connect();
  // Short segments: compaction never touches the active segment, and every retry worker re-reads
  // its partitions on assignment, so settled deliveries' records must be compacted away soon.
  const spec = compactedTopicSpec(WEBHOOK_RETRIES_TOPIC, config.kafka, config.dispatcher.retryPartitions);
  let retryPartitions: number;
  try {
    await ensureTopics(admin, [{ ...spec, configEntries: [...spec.configEntries, ...RETRY_TOPIC_CONFIG] }]);
    // Metadata, not offsets: a topic another process has just created may not have its leaders yet.
    retryPartitions = (await admin.fetchTopicMetadata({ topics: [WEBHOOK_RETRIES_TOPIC] })).topics[0]!.partitions
      .length;
  } finally {
    await admin.disconnect();
  }

  let ownStore: (DispatcherWebhooks & { stop(): Promise<void> }) | undefined;
  if (!options.webhooks) {
    const store = createWebhookStore({
      kafka,
      logger,
      groupIdPrefix: 'rg-dispatcher-webhooks',
      kafkaConfig: config.kafka,
    });
    await store.start();
    ownStore = store;
  }
  const webhooks = options.webhooks ?? ownStore!;
  const sender = options.send
    ? undefined
    : createHttpSender({
        timeoutMs: config.webhooks.timeoutMs,
        maxSocketsPerHost: config.dispatcher.maxConcurrencyPerEndpoint,
        allowPrivate: config.webhooks.allowPrivate,
      });
  const metrics = dispatcherMetrics(registry);
  const retries = createRetryStore({ kafka, partitions: retryPartitions });
  await retries.connect();
  const log = createDeliveryLog({ clickhouse, logger });
  const shutdown = new AbortController();
  // Delivery events get a producer of their own: a burst of them never queues ahead of the
  // platform producer's other writes (the API's publishes, when everything runs in one process).
  const notifications = createEventProducer({
    kafka,
    codec,
    catalog,
    logger,
    metrics: registry,
    compression: 'none',
    lingerMs: 20,
    maxBatchEvents: 5000,
    maxInFlight: 5,
  });
  await notifications.connect();
  const attempts = createDeliveryAttempts({
    send: options.send ?? sender!,
    webhooks,
    retries,
    log,
    notifier: createDeliveryNotifier({ producer: notifications, logger }),
    metrics,
    logger,
    retryScheduleMs: config.webhooks.retryScheduleMs,
    jitter: options.jitter ?? 0.2,
    disableAfterMs: config.dispatcher.disableAfterMs,
    signal: shutdown.signal,
  });
  const queues = createEndpointQueues({
    maxConcurrent: config.dispatcher.maxConcurrencyPerEndpoint,
    maxQueued: config.dispatcher.maxQueuedPerEndpoint,
    onChange: ({ running, queued }) => {
      metrics.attemptsRunning.set(running);
      metrics.attemptsQueued.set(queued);
    },
  });
  const worker = createRetryWorker({
    kafka,
    attempts,
    queues,
    metrics,
    logger,
    groupId: config.dispatcher.retryGroupId,
  });
  await worker.start();
  const dispatcher = createDispatcher({
    kafka,
    codec,
    webhooks,
    attempts,
    queues,
    metrics,
    logger,
    groupId: config.dispatcher.groupId,
  });
  await dispatcher.start();

  return {
    async stop() {
      // Attempts still running after a grace period are aborted: they end as failed attempts,
      // parked durably for a retry, so the offsets behind them can be committed.
      const grace = setTimeout(() => shutdown.abort(), 3000);
      await Promise.all([dispatcher.stop(queues.idle()), worker.stop()]);
      clearTimeout(grace);
      await retries.disconnect();
      await notifications.disconnect().catch(() => undefined);
      await log.flush().catch(() => undefined);
      await ownStore?.stop();
      sender?.close();
    },
  };
}
