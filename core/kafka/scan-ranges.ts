import type { Kafka, KafkaMessage } from 'kafkajs';

/** Offsets `[start, end)` of one partition. */
export interface OffsetRange {
  topic: string;
  partition: number;
  start: string;
  end: string;
}

/** The key of a partition in `positions`: `topic:partition`. */
export const positionKey = (topic: string, partition: number) => `${topic}:${partition}`;

export interface ScannedRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Each partition's first and next offsets (`low`, `high`), by `positionKey(topic, partition)`. */
export type LogOffsets = ReadonlyMap<string, { low: bigint; high: bigint }>;

/** The log offsets of every partition of `topics`, through one admin connection. */
export async function fetchLogOffsets(kafka: Kafka, topics: Iterable<string>): Promise<LogOffsets> {
  const offsets = new Map<string, { low: bigint; high: bigint }>();
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const topic of new Set(topics)) {
      for (const { partition, low, high } of await admin.fetchTopicOffsets(topic))
        offsets.set(positionKey(topic, partition), { low: BigInt(low), high: BigInt(high) });
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return offsets;
}

export interface ScanOptions {
  kafka: Kafka;
  ranges: readonly OffsetRange[];
  /** Where to start in each partition (`topic:partition` → offset); the range's start otherwise. */
  positions?: Readonly<Record<string, string>>;
  /** Partitions read at once; records of one partition are handled in order. Default 8. */
  concurrency?: number;
  /** Handles one record; the scan moves on when it resolves. */
  onRecord: (record: ScannedRecord) => Promise<void>;
  /** Called once, before any record, when retention has already deleted the start of a range. */
  onTruncated?: () => void;
  /** The ranges' log offsets when the caller has just read them; fetched here otherwise. */
  logOffsets?: LogOffsets;
  signal?: AbortSignal;
  groupIdPrefix: string;
  /** Longest wait of one fetch, in ms. Default 250. */
  maxWaitMs?: number;
  /** Largest fetch per partition, in bytes. Default 2 MiB. */
  maxBytesPerPartition?: number;
}

/**
 * Reads exactly the records of the given offset ranges, in order within each partition, then
 * stops. A throwaway consumer group (never committed) is used only to get the partitions
 * assigned; positions are the caller's business.
 */
export async function scanRanges({
  kafka,
  ranges,
  positions = {},
  concurrency = 8,
  onRecord,
  onTruncated,
  logOffsets,
  signal,
  groupIdPrefix,
  maxWaitMs = 250,
  maxBytesPerPartition = 2 * 1024 * 1024,
}: ScanOptions): Promise<void> {
  const remaining = new Map<string, { range: OffsetRange; from: bigint; end: bigint }>();
  for (const range of ranges) {
    const from = BigInt(positions[positionKey(range.topic, range.partition)] ?? range.start);
    if (from < BigInt(range.end))
      remaining.set(positionKey(range.topic, range.partition), { range, from, end: BigInt(range.end) });
  }
  if (remaining.size === 0 || signal?.aborted) return;

  // Records that retention has deleted since the range was taken cannot be read: skip past them.
  let truncated = false;
  const offsets =
    logOffsets ??
    (await fetchLogOffsets(
      kafka,
      [...remaining.values()].map((r) => r.range.topic),
    ));
  for (const [key, entry] of remaining) {
    const low = offsets.get(key)?.low;
    if (low === undefined || low <= entry.from) continue;
    truncated = true;
    entry.from = low;
    if (entry.from >= entry.end) remaining.delete(key);
  }
  if (truncated) onTruncated?.();
  if (remaining.size === 0) return;

  const topics = [...new Set([...remaining.values()].map((r) => r.range.topic))];
  const consumer = kafka.consumer({
    groupId: `${groupIdPrefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    maxWaitTimeInMs: maxWaitMs,
    maxBytesPerPartition,
  });
  await consumer.connect();
  try {
    // Not from the beginning: a partition outside the ranges must not pull old data before it is
    // paused (the ranges' own partitions are sought on join).
    await consumer.subscribe({ topics, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const finish = (key: string) => {
        remaining.delete(key);
        if (remaining.size === 0) resolve();
      };
      signal?.addEventListener('abort', () => resolve(), { once: true });
      if (signal?.aborted) return resolve(); // aborted while connecting: the listener came too late
      consumer.on(consumer.events.GROUP_JOIN, () => {
        if (signal?.aborted) return; // stopping: the group is going away
        for (const { range, from } of remaining.values())
          consumer.seek({ topic: range.topic, partition: range.partition, offset: from.toString() });
      });
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      consumer
        .run({
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
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
