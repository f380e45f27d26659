import type { Kafka, KafkaMessage } from 'kafkajs';
import { EVENT_TOPIC_PREFIX, topicForCategory, type EventCategory } from '../../core/events/categories.js';
import { scanRanges, type LogOffsets } from '../../core/kafka/scan-ranges.js';

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
  /** The partitions' log offsets, when the caller has just read them. */
  logOffsets?: LogOffsets;
}

/**
 * Reads exactly the given offset ranges once (the shared range scan of core/kafka), one partition
 * at a time. Ranges that retention has already cut start at the earliest record still kept;
 * `truncated` says so.
 */
export async function readCatchUp({
  kafka,
  ranges,
  onRecord,
  onTruncated,
  signal,
  logOffsets,
}: CatchUpOptions): Promise<{ truncated: boolean }> {
  let truncated = false;
  await scanRanges({
    kafka,
    ranges: ranges.map((range) => ({
      topic: topicForCategory(range.category),
      partition: range.partition,
      start: String(range.from),
      end: String(range.to),
    })),
    concurrency: 1,
    groupIdPrefix: `rg-stream-catch-up-${process.pid}`,
    maxWaitMs: 100,
    maxBytesPerPartition: 1024 * 1024,
    signal,
    ...(logOffsets ? { logOffsets } : {}),
    onTruncated: () => {
      truncated = true;
      onTruncated?.();
    },
    onRecord: ({ topic, partition, message }) =>
      onRecord(topic.slice(EVENT_TOPIC_PREFIX.length) as EventCategory, partition, message),
  });
  return { truncated };
}
