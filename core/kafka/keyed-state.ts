import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from '../log/logger.js';

/**
 * The latest value of each key of a compacted topic, tailed into memory. Every process that
 * opens one sees every write within about a second (the consumer's max wait); writes go through
 * Kafka (acks=all), so the state survives any restart. A `null` value deletes the key.
 */
export interface KeyedState<T> {
  /** Reads the topic to its end, then keeps following it. */
  start(): Promise<void>;
  get(key: string): T | undefined;
  values(): IterableIterator<T>;
  /** Writes a value and resolves once Kafka has it and this process has read it back. */
  put(key: string, value: T | null): Promise<void>;
  /** Called for every change read from the topic (including this process's own writes). */
  onChange(listener: (key: string, value: T | undefined) => void): () => void;
  stop(): Promise<void>;
}

export interface KeyedStateOptions {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  /** Unique per process: every process reads the whole topic. */
  groupIdPrefix: string;
  /** Longest wait for new records, in ms. Default 250. */
  maxWaitMs?: number;
}

export function createKeyedState<T>({
  kafka,
  topic,
  logger,
  groupIdPrefix,
  maxWaitMs = 250,
}: KeyedStateOptions): KeyedState<T> {
  const state = new Map<string, T>();
  const listeners = new Set<(key: string, value: T | undefined) => void>();
  // Own writes wait until they are read back, so a put is visible to get() when it resolves.
  const waiting = new Map<string, { offset: bigint; resolve: () => void }[]>();
  const readUpTo = new Map<number, bigint>();
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;

  function settle(partition: number, offset: bigint): void {
    readUpTo.set(partition, offset);
    const key = String(partition);
    const list = waiting.get(key);
    if (!list) return;
    const still = list.filter((w) => {
      if (w.offset <= offset) {
        w.resolve();
        return false;
      }
      return true;
    });
    if (still.length) waiting.set(key, still);
    else waiting.delete(key);
  }

  return {
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        retry: { retries: Number.MAX_SAFE_INTEGER },
      });
      await producer.connect();
      // A group of one per process, never committing: each start reads the topic from the beginning.
      consumer = kafka.consumer({
        groupId: `${groupIdPrefix}-${process.pid}-${Date.now().toString(36)}`,
        maxWaitTimeInMs: maxWaitMs,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const caughtUp = new Promise<void>((resolve) => {
        const pending = new Set(ends.filter((e) => BigInt(e.high) > 0n).map((e) => e.partition));
        if (pending.size === 0) resolve();
        const check = (partition: number, next: bigint) => {
          const end = ends.find((e) => e.partition === partition);
          if (end && next >= BigInt(end.high)) pending.delete(partition);
          if (pending.size === 0) resolve();
        };
        void consumer!.run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const key = message.key?.toString();
            if (key !== undefined) {
              let value: T | undefined;
              try {
                value = message.value ? (JSON.parse(message.value.toString()) as T) : undefined;
              } catch (error) {
                logger.warn('unreadable state record skipped', { topic, partition, offset: message.offset, error });
              }
              if (value === undefined) state.delete(key);
              else state.set(key, value);
              for (const listener of listeners) listener(key, value);
            }
            const next = BigInt(message.offset) + 1n;
            settle(partition, BigInt(message.offset));
            check(partition, next);
          },
        });
      });
      await caughtUp;
    },
    get: (key) => state.get(key),
    values: () => state.values(),
    async put(key, value) {
      if (!producer) throw new Error('keyed state not started');
      const [result] = await producer.send({
        topic,
        acks: -1,
        messages: [{ key, value: value === null ? null : JSON.stringify(value) }],
      });
      const offset = BigInt(result!.baseOffset!);
      if ((readUpTo.get(result!.partition) ?? -1n) >= offset) return;
      await new Promise<void>((resolve) => {
        const list = waiting.get(String(result!.partition)) ?? [];
        list.push({ offset, resolve });
        waiting.set(String(result!.partition), list);
      });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      await consumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
