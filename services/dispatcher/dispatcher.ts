import type { Consumer, Kafka } from 'kafkajs';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import type { EventCodec } from '../../core/events/codec.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { createCommitTracker } from '../../core/kafka/commit-tracker.js';
import type { DeliveryAttempts, DispatcherWebhooks } from './deliver.js';
import type { EndpointQueues } from './endpoint-queues.js';
import type { DispatcherMetrics } from './metrics.js';

export interface DispatcherOptions {
  kafka: Kafka;
  codec: EventCodec;
  webhooks: DispatcherWebhooks;
  attempts: DeliveryAttempts;
  queues: EndpointQueues;
  metrics: DispatcherMetrics;
  logger: Logger;
  /** Consumer group on every `events.*` topic (RG_DISPATCHER_GROUP). */
  groupId: string;
  /** Deliveries read but not yet settled before reading pauses. Default 20000. */
  maxOpenDeliveries?: number;
  /** How often settled offsets are committed, in ms. Default 200. */
  commitIntervalMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads every `events.*` topic and turns each event into one delivery per matching subscription.
 * The first attempt starts at once on the endpoint's own lane; the consumer never waits for an
 * endpoint. A delivery that fails or cannot start is parked durably in `webhooks.retries`, and a
 * partition's offset is committed only up to the first record with an unsettled delivery, so a
 * crash at any moment re-reads (and re-delivers, same webhook-id) rather than loses.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { kafka, codec, webhooks, attempts, queues, metrics, logger } = options;
  const topics = EVENT_CATEGORIES.map(topicForCategory);
  const tracker = createCommitTracker();
  const maxOpen = options.maxOpenDeliveries ?? 20_000;
  let consumer: Consumer | undefined;
  let commitTimer: NodeJS.Timeout | undefined;
  let committing = Promise.resolve();
  let stopping = false;

  async function commit(): Promise<void> {
    const offsets = tracker.takeCommittable();
    metrics.openDeliveries.set(tracker.openUnits());
    if (offsets.length === 0 || !consumer) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (error) {
      // A rebalance in progress: the new owner re-reads from the last commit (duplicates, never losses).
      logger.warn('offset commit failed', { error: errorMessage(error) });
    }
  }

  /**
   * Where a partition without a committed offset starts: its end when this process started. The
   * start is committed at once (through the tracker), so a restart before the first delivery
   * resumes there instead of skipping what was published meanwhile.
   */
  async function uncommittedStarts(): Promise<Map<string, string>> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const starts = new Map<string, string>();
      const committed = await admin.fetchOffsets({ groupId: options.groupId, topics });
      for (const { topic, partitions } of committed) {
        if (!partitions.some((p) => p.offset === '-1')) continue;
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((e) => [e.partition, e.high] as const));
        for (const p of partitions)
          if (p.offset === '-1') starts.set(`${topic}:${p.partition}`, ends.get(p.partition) ?? '0');
      }
      return starts;
    } finally {
      await admin.disconnect();
    }
  }

  /** Delivers one event to one webhook; `settle` (from the commit tracker) when it is settled. */
  function deliver(
    settle: () => void,
    webhookId: string,
    organizationId: string,
    event: Parameters<DeliveryAttempts['attempt']>[0]['event'],
  ): void {
    const accepted = queues.submit(webhookId, () =>
      attempts
        .attempt({ webhookId, event, attemptsBefore: 0, firstAttemptAtMs: Date.now(), parked: false })
        .catch((error) =>
          logger.error('delivery attempt crashed', {
            webhook_id: webhookId,
            event_id: event.id,
            error: errorMessage(error),
          }),
        )
        .finally(settle),
    );
    if (accepted) return;
    // The endpoint's lane is full: park the delivery instead of waiting; the retry workers take it.
    void (async () => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await attempts.park(webhookId, organizationId, event);
          return settle();
        } catch (error) {
          if (stopping) return;
          logger.warn('parking a delivery failed, retrying', { webhook_id: webhookId, error: errorMessage(error) });
          await sleep(Math.min(5000, 100 * 2 ** attempt));
        }
      }
    })();
  }

  return {
    async start() {
      const starts = await uncommittedStarts();
      consumer = kafka.consumer({
        groupId: options.groupId,
        maxWaitTimeInMs: 50,
        sessionTimeout: 10_000,
        heartbeatInterval: 1000,
      });
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: false });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = payload.memberAssignment;
        tracker.retain((topic, partition) => (assigned[topic] ?? []).includes(partition));
        for (const [topic, partitions] of Object.entries(assigned)) {
          for (const partition of partitions) {
            const start = starts.get(`${topic}:${partition}`);
            if (start === undefined) continue;
            starts.delete(`${topic}:${partition}`);
            consumer!.seek({ topic, partition, offset: start });
            tracker.add(topic, partition, String(BigInt(start) - 1n), 0);
          }
        }
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 16,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) return;
            while (tracker.openUnits() >= maxOpen && isRunning() && !isStale()) {
              await sleep(20);
              await heartbeat();
            }
            // The producer's headers route without decoding: most events match no subscription.
            const organizationId = message.headers?.[EVENT_HEADERS.organization]?.toString();
            const type = message.headers?.[EVENT_HEADERS.type]?.toString();
            let matches = organizationId && type ? webhooks.matching(organizationId, type) : undefined;
            if (matches?.length === 0 || !message.value) {
              tracker.add(batch.topic, batch.partition, message.offset, 0);
              resolveOffset(message.offset);
              continue;
            }
            let event: PlatformEvent;
            try {
              event = await codec.decode(message.value);
            } catch (error) {
              logger.error('undecodable record skipped', {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                error: errorMessage(error),
              });
              tracker.add(batch.topic, batch.partition, message.offset, 0);
              resolveOffset(message.offset);
              continue;
            }
            matches ??= webhooks.matching(event.metadata.organization_id, event.type);
            // Settles this read's deliveries only: a late settle after the partition moved away and
            // came back must not settle the record read again.
            const settle = tracker.add(batch.topic, batch.partition, message.offset, matches.length);
            for (const subscription of matches) deliver(settle, subscription.id, subscription.organization_id, event);
            resolveOffset(message.offset);
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last)
            metrics.lag.set(
              { topic: batch.topic, partition: String(batch.partition) },
              Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)),
            );
          await heartbeat();
        },
      });
      commitTimer = setInterval(() => {
        committing = committing.then(commit);
      }, options.commitIntervalMs ?? 200);
    },
    /** Stops reading, lets the deliveries in flight settle (the caller aborts them after a deadline), commits, leaves the group. */
    async stop(settled: Promise<void>) {
      stopping = true;
      clearInterval(commitTimer);
      // Paused, not stopped: the group membership is needed for the last commit.
      consumer?.pause(topics.map((topic) => ({ topic })));
      await settled;
      await committing;
      await commit();
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
