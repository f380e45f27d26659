import type { Kafka, Producer } from 'kafkajs';
import { createBatcher } from '../../core/producer/batcher.js';
import { retryKey, retryPartitionOf, WEBHOOK_RETRIES_TOPIC, type RetryRecord } from './model.js';

/** Writes to `webhooks.retries`; each call resolves once Kafka has it (acks=all). */
export interface RetryStore {
  connect(): Promise<void>;
  /** Parks a delivery (or moves it to its next attempt). */
  put(record: RetryRecord): Promise<void>;
  /** Forgets a delivery: it is done or failed for good. */
  remove(webhookId: string, eventId: string): Promise<void>;
  disconnect(): Promise<void>;
}

interface Write {
  key: string;
  partition: number;
  value: string | null;
}

/**
 * The durable half of retries. Writes are pooled into batches (a slow endpoint can park thousands
 * of deliveries a second) and sent by an idempotent producer that retries until Kafka answers.
 */
export function createRetryStore({
  kafka,
  partitions,
  lingerMs = 5,
}: {
  kafka: Kafka;
  /** Partitions of the topic (records of one webhook always go to `retryPartitionOf`). */
  partitions: number;
  /** Longest wait to fill a batch, in ms. Default 5. */
  lingerMs?: number;
}): RetryStore {
  let producer: Producer | undefined;
  const batcher = createBatcher<Write>({
    lingerMs,
    maxItems: 2000,
    maxBytes: 4 * 1024 * 1024,
    maxInFlight: 1,
    sizeOf: (write) => write.key.length + (write.value?.length ?? 0),
    async handle(writes) {
      await producer!.send({
        topic: WEBHOOK_RETRIES_TOPIC,
        acks: -1,
        messages: writes.map((w) => ({ key: w.key, partition: w.partition, value: w.value })),
      });
    },
  });
  return {
    async connect() {
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 30_000 },
      });
      await producer.connect();
    },
    put: (record) =>
      batcher.add([
        {
          key: retryKey(record.webhook_id, record.event.id),
          partition: retryPartitionOf(record.webhook_id, partitions),
          value: JSON.stringify(record),
        },
      ]),
    remove: (webhookId, eventId) =>
      batcher.add([
        { key: retryKey(webhookId, eventId), partition: retryPartitionOf(webhookId, partitions), value: null },
      ]),
    async disconnect() {
      await batcher.flush().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
