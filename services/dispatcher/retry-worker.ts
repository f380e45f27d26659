import type { Consumer, Kafka } from 'kafkajs';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import type { DeliveryAttempts } from './deliver.js';
import { createDueHeap } from './due-heap.js';
import type { EndpointQueues } from './endpoint-queues.js';
import type { DispatcherMetrics } from './metrics.js';
import { WEBHOOK_RETRIES_TOPIC, type RetryRecord } from './model.js';

export interface RetryWorkerOptions {
  kafka: Kafka;
  attempts: DeliveryAttempts;
  queues: EndpointQueues;
  metrics: DispatcherMetrics;
  logger: Logger;
  /** Consumer group on `webhooks.retries`; its partitions (webhooks) are split among the workers. */
  groupId: string;
  /** How long a due retry waits when its endpoint's lane is full, in ms. Default 250. */
  busyDelayMs?: number;
}

interface Pending {
  record: RetryRecord;
  partition: number;
}

/**
 * Fires the parked deliveries of the `webhooks.retries` partitions this process owns. On every
 * assignment it reads its partitions from the start (the compacted topic holds exactly the pending
 * deliveries) into a min-heap by due time and fires each when due, on the same per-endpoint lanes
 * as first attempts. Each attempt writes its outcome back (the next attempt, or a tombstone), so
 * the topic is the only state: a worker that dies is replaced by whoever gets its partitions.
 */
export function createRetryWorker(options: RetryWorkerOptions) {
  const { kafka, attempts, queues, metrics, logger } = options;
  const busyDelayMs = options.busyDelayMs ?? 250;
  const heap = createDueHeap<Pending>();
  // Keys being attempted now, with the attempt count fired; records read meanwhile wait in `stash`.
  const inFlight = new Map<string, number>();
  const stash = new Map<string, Pending | null>();
  const flights = new Set<Promise<void>>();
  let owned = new Set<number>();
  let consumer: Consumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let timerDueAt = Infinity;
  let stopping = false;

  const updateGauge = () => metrics.pendingRetries.set(heap.size + inFlight.size);

  function apply(key: string, pending: Pending | null): void {
    if (pending) heap.set(key, pending.record.due_at_ms, pending);
    else heap.delete(key);
    updateGauge();
    arm();
  }

  function arm(): void {
    if (stopping) return;
    const next = heap.nextDueAtMs();
    if (next === undefined) return;
    const at = Math.max(next, Date.now());
    if (timer && timerDueAt <= at) return;
    clearTimeout(timer);
    timerDueAt = at;
    timer = setTimeout(fire, Math.min(at - Date.now(), 60_000));
  }

  function fire(): void {
    timer = undefined;
    timerDueAt = Infinity;
    if (stopping) return;
    const now = Date.now();
    for (const { key, value } of heap.takeDue(now, 5000)) {
      const { record } = value;
      const started = queues.submit(record.webhook_id, async () => {
        const flight = attempts
          .attempt({
            webhookId: record.webhook_id,
            event: record.event,
            attemptsBefore: record.attempts,
            firstAttemptAtMs: record.first_attempt_at_ms,
            parked: true,
          })
          .catch((error) => {
            // The attempt's outcome could not be stored: keep the delivery and try again later.
            logger.error('retry attempt crashed', {
              webhook_id: record.webhook_id,
              event_id: record.event.id,
              error: errorMessage(error),
            });
            if (!stash.has(key)) stash.set(key, { ...value, record: { ...record, due_at_ms: Date.now() + 5000 } });
          })
          .finally(() => {
            flights.delete(flight);
            inFlight.delete(key);
            const latest = stash.get(key);
            stash.delete(key);
            // What the topic said of this delivery while it was in flight (a newer attempt's record, a
            // delete, or the crash path's reschedule) wins; the heap cannot hold the key meanwhile.
            if (latest !== undefined) apply(key, latest);
            updateGauge();
          });
        flights.add(flight);
        await flight;
      });
      if (started) inFlight.set(key, record.attempts);
      else heap.set(key, now + busyDelayMs, value);
    }
    updateGauge();
    arm();
  }

  return {
    async start() {
      consumer = kafka.consumer({
        groupId: options.groupId,
        maxWaitTimeInMs: 100,
        sessionTimeout: 10_000,
        heartbeatInterval: 1000,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: WEBHOOK_RETRIES_TOPIC, fromBeginning: true });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = new Set<number>(payload.memberAssignment[WEBHOOK_RETRIES_TOPIC] ?? []);
        // Forget what moved away; rebuild what arrived by reading it from the start.
        for (const key of [...heap.keys()]) if (!assigned.has(heap.get(key)!.partition)) heap.delete(key);
        for (const partition of assigned)
          if (!owned.has(partition)) consumer!.seek({ topic: WEBHOOK_RETRIES_TOPIC, partition, offset: '0' });
        owned = assigned;
        updateGauge();
      });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const key = message.key?.toString();
          if (!key || !owned.has(partition)) return;
          let pending: Pending | null = null;
          if (message.value) {
            try {
              pending = { record: JSON.parse(message.value.toString()) as RetryRecord, partition };
            } catch (error) {
              logger.error('unreadable retry record skipped', {
                partition,
                offset: message.offset,
                error: errorMessage(error),
              });
              return;
            }
          }
          if (inFlight.has(key)) stash.set(key, pending);
          else apply(key, pending);
        },
      });
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await consumer?.disconnect().catch(() => undefined);
      await Promise.all([...flights]);
    },
  };
}
