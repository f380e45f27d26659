import type { Kafka, KafkaMessage } from 'kafkajs';

export interface RawRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  timestamp: string;
  headers: Record<string, string>;
}

/** The next offset of every partition of a topic (where new records will land). */
export async function topicEnds(kafka: Kafka, topic: string): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.high]));
  } finally {
    await admin.disconnect();
  }
}

function toRaw(topic: string, partition: number, message: KafkaMessage): RawRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value!,
    timestamp: message.timestamp,
    headers,
  };
}

/** Reads a topic from the given offsets until `done(records)` holds or the timeout passes. */
export async function readTopicFrom(
  kafka: Kafka,
  topic: string,
  from: Map<number, string>,
  done: (records: RawRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<RawRecord[]> {
  const consumer = kafka.consumer({ groupId: `test-reader-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const records: RawRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length} records of ${topic} in ${timeoutMs} ms, not enough`)),
        timeoutMs,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition, offset] of from) consumer.seek({ topic, partition, offset });
      });
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const start = from.get(partition);
            if (start !== undefined && BigInt(message.offset) < BigInt(start)) return;
            records.push(toRaw(topic, partition, message));
            if (done(records)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/**
 * Commits a consumer group's offsets at the topics' current ends, so a consumer of that group
 * reads only what is written from now on, not what earlier runs and benchmarks left there. One
 * consumer joins the group once for every topic (the admin's setOffsets joins once per topic, a
 * rebalance delay each).
 */
export async function startGroupAtEnds(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { topic: string; partitions: { partition: number; high: string }[] }[];
  try {
    ends = await Promise.all(
      topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
    );
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    // Seeks are committed (autoCommit) by the first fetch, as the admin's setOffsets does.
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => {} }).catch(reject);
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const { topic, partitions } of ends)
        for (const { partition, high } of partitions) consumer.seek({ topic, partition, offset: high });
    });
  } finally {
    await consumer.disconnect();
  }
}
