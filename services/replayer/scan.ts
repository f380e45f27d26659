import type { Kafka, KafkaMessage } from 'kafkajs';
import { positionKey, type ReplayRange } from './model.js';

export interface ScannedRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface ScanOptions {
  kafka: Kafka;
  ranges: readonly ReplayRange[];
  /** Where to start in each partition (`topic:partition` → offset); the range's start otherwise. */
  positions?: Readonly<Record<string, string>>;
  /** Partitions read at once; records of one partition are handled in order. Default 8. */
  concurrency?: number;
  /** Handles one record; the scan moves on when it resolves. */
  onRecord: (record: ScannedRecord) => Promise<void>;
  signal?: AbortSignal;
  groupIdPrefix: string;
}

/**
 * Reads exactly the records of the given offset ranges, in order within each partition, then
 * stops. A throwaway consumer group (never committed) is used only to get the partitions
 * assigned; positions are the caller's business.
 */
export async function scanRanges({ kafka, ranges, positions = {}, concurrency = 8, onRecord, signal, groupIdPrefix }: ScanOptions): Promise<void> {
  const remaining = new Map<string, { range: ReplayRange; from: bigint; end: bigint }>();
  for (const range of ranges) {
    const from = BigInt(positions[positionKey(range.topic, range.partition)] ?? range.start);
    if (from < BigInt(range.end)) remaining.set(positionKey(range.topic, range.partition), { range, from, end: BigInt(range.end) });
  }
  if (remaining.size === 0 || signal?.aborted) return;

  // Records that retention has deleted since the range was taken cannot be read: skip past them.
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of new Set([...remaining.values()].map((r) => r.range.topic))) {
      for (const { partition, low } of await admin.fetchTopicOffsets(topic)) {
        const entry = remaining.get(positionKey(topic, partition));
        if (!entry) continue;
        if (BigInt(low) > entry.from) entry.from = BigInt(low);
        if (entry.from >= entry.end) remaining.delete(positionKey(topic, partition));
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (remaining.size === 0) return;

  const topics = [...new Set([...remaining.values()].map((r) => r.range.topic))];
  const consumer = kafka.consumer({ groupId: `${groupIdPrefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, maxWaitTimeInMs: 250, maxBytesPerPartition: 2 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const finish = (key: string) => {
        remaining.delete(key);
        if (remaining.size === 0) resolve();
      };
      signal?.addEventListener('abort', () => resolve(), { once: true });
      if (signal?.aborted) return resolve(); // aborted while connecting: the listener came too late
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (signal?.aborted) return; // stopping: the group is going away
        for (const { range, from } of remaining.values()) consumer.seek({ topic: range.topic, partition: range.partition, offset: from.toString() });
      });
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: concurrency,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
          const key = positionKey(batch.topic, batch.partition);
          const wanted = remaining.get(key);
          if (!wanted) {
            pause();
            return;
          }
          for (const message of batch.messages) {
            if (!isRunning() || isStale() || signal?.aborted) return;
            const offset = BigInt(message.offset);
            if (offset < wanted.from) continue;
            if (offset >= wanted.end) {
              wanted.from = wanted.end;
              break;
            }
            await onRecord({ topic: batch.topic, partition: batch.partition, message });
            resolveOffset(message.offset);
            wanted.from = offset + 1n;
            await heartbeat();
          }
          // Done with this partition when its next offset reaches the end (or nothing more exists).
          if (wanted.from >= wanted.end || BigInt(batch.highWatermark) <= wanted.from) {
            pause();
            finish(key);
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
