import type { Kafka, KafkaMessage } from 'kafkajs';
import { EVENT_TOPIC_PREFIX, topicForCategory, type EventCategory } from '../../core/events/categories.js';

/** Offsets `[from, to)` of one partition. */
export interface CatchUpRange {
  category: EventCategory;
  partition: number;
  from: number;
  to: number;
}

export interface CatchUpOptions {
  kafka: Kafka;
  ranges: readonly CatchUpRange[];
  /** Handles one record, in offset order within its partition; the next waits for it. */
  onRecord: (category: EventCategory, partition: number, message: KafkaMessage) => Promise<void>;
  /** Called before any record when retention has already deleted part of a range. */
  onTruncated?: () => void;
  /** Stops the read (the client left). */
  signal: AbortSignal;
}

/**
 * Reads exactly the given offset ranges once with a short-lived consumer of its own (a group
 * that is never committed, used only to get the partitions assigned and seek them), then stops.
 * Ranges that retention has already cut start at the earliest record still kept; `truncated`
 * says so.
 */
export async function readCatchUp({ kafka, ranges, onRecord, onTruncated, signal }: CatchUpOptions): Promise<{ truncated: boolean }> {
  const key = (category: string, partition: number) => `${category}:${partition}`;
  const remaining = new Map<string, CatchUpRange>();
  for (const range of ranges) if (range.from < range.to) remaining.set(key(range.category, range.partition), { ...range });
  let truncated = false;
  if (remaining.size === 0 || signal.aborted) return { truncated };

  const topics = [...new Set([...remaining.values()].map((range) => topicForCategory(range.category)))];
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const category = topic.slice(EVENT_TOPIC_PREFIX.length);
      for (const { partition, low } of await admin.fetchTopicOffsets(topic)) {
        const range = remaining.get(key(category, partition));
        if (!range || Number(low) <= range.from) continue;
        truncated = true;
        range.from = Number(low);
        if (range.from >= range.to) remaining.delete(key(category, partition));
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (truncated) onTruncated?.();
  if (remaining.size === 0) return { truncated };

  const consumer = kafka.consumer({
    groupId: `rg-stream-catch-up-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 1024 * 1024,
  });
  await consumer.connect();
  try {
    // Not from the beginning: partitions outside the ranges must not pull old data before they are paused.
    await consumer.subscribe({ topics, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const finish = (done: string) => {
        remaining.delete(done);
        if (remaining.size === 0) resolve();
      };
      signal.addEventListener('abort', () => resolve(), { once: true });
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const range of remaining.values()) consumer.seek({ topic: topicForCategory(range.category), partition: range.partition, offset: String(range.from) });
      });
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
          const category = batch.topic.slice(EVENT_TOPIC_PREFIX.length) as EventCategory;
          const rangeKey = key(category, batch.partition);
          const range = remaining.get(rangeKey);
          if (!range) {
            pause();
            return;
          }
          for (const message of batch.messages) {
            if (!isRunning() || isStale() || signal.aborted) return;
            const offset = Number(message.offset);
            if (offset < range.from) continue;
            if (offset >= range.to) break;
            await onRecord(category, batch.partition, message);
            resolveOffset(message.offset);
            range.from = offset + 1;
          }
          await heartbeat();
          if (range.from >= range.to || Number(batch.highWatermark) <= range.from) {
            pause();
            finish(rangeKey);
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return { truncated };
}
