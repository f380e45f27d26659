import type { Consumer, Kafka } from 'kafkajs';
import type { EventCatalog } from '../../core/events/catalog.js';
import {
  EVENT_CATEGORIES,
  EVENT_TOPIC_PREFIX,
  topicForCategory,
  type EventCategory,
} from '../../core/events/categories.js';
import type { EventCodec } from '../../core/events/codec.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { copyPositions, encodeCursor, type StreamPositions } from './cursor.js';
import { createMatcher, resourcesOf, type Subscriber } from './matcher.js';
import type { StreamMetrics } from './metrics.js';

/** One event of the shared feed, as handed to the clients it matches (during that hand-over only). */
export interface FeedEvent {
  readonly category: EventCategory;
  readonly partition: number;
  readonly offset: number;
  readonly event: PlatformEvent;
  /** The event JSON (as `GET /events/{id}` answers it), serialized once for all clients. */
  json(): string;
  /** The hub's positions right after this event, for the given categories; cached per mask. */
  cursor(mask: number): string;
}

/** A connection as the hub sees it: its filters, and where matching events go. Must not throw. */
export interface FeedClient extends Subscriber {
  offer(event: FeedEvent): void;
}

export interface StreamHubOptions {
  kafka: Kafka;
  codec: EventCodec;
  catalog: EventCatalog;
  logger: Logger;
  metrics: StreamMetrics;
  /** Longest wait of one fetch when the topics are idle, in ms. Default 500. */
  maxWaitMs?: number;
}

/**
 * The one Kafka consumer of a gateway process, shared by all its connections. It belongs to a
 * consumer group of its own (unique per process, never committed), so every process reads every
 * partition of every `events.*` topic. It starts at the end of each partition, tracks the next
 * offset of each partition (`positions`) and hands each decoded event to the clients the
 * matcher finds. Positions and dispatch advance together, synchronously, so a client attaching
 * between two events knows exactly which events it will get from the feed.
 */
export function createStreamHub({ kafka, codec, catalog, logger, metrics, maxWaitMs = 500 }: StreamHubOptions) {
  const matcher = createMatcher<FeedClient>(catalog);
  const positions: StreamPositions = new Map();
  const awaitingSeek = new Map<string, number>();
  let consumer: Consumer | undefined;
  let joined: Promise<void> = new Promise(() => undefined);
  let ready = false;

  /** Places each assigned partition at our position (at start: the partition's end). */
  async function onJoin(assignment: Record<string, number[]>): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const [topic, partitions] of Object.entries(assignment)) {
        const category = topic.slice(EVENT_TOPIC_PREFIX.length) as EventCategory;
        const offsets = positions.get(category) ?? [];
        positions.set(category, offsets);
        const missing = partitions.filter((partition) => offsets[partition] === undefined);
        if (missing.length) {
          for (const { partition, high } of await admin.fetchTopicOffsets(topic))
            if (offsets[partition] === undefined) offsets[partition] = Number(high);
        }
        for (let partition = 0; partition < offsets.length; partition += 1) offsets[partition] ??= 0;
        for (const partition of partitions) {
          awaitingSeek.set(`${topic}:${partition}`, 3);
          consumer!.seek({ topic, partition, offset: String(offsets[partition]) });
        }
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  function dispatch(category: EventCategory, partition: number, offset: number, event: PlatformEvent): void {
    const offsets = positions.get(category)!;
    offsets[partition] = offset + 1;
    let json: string | undefined;
    let sealed = false;
    const cursors = new Map<number, string>();
    const feedEvent: FeedEvent = {
      category,
      partition,
      offset,
      event,
      json: () => (json ??= JSON.stringify(event)),
      cursor(mask) {
        if (sealed) throw new Error('a feed event cursor is only valid while it is being dispatched');
        let cursor = cursors.get(mask);
        if (cursor === undefined) cursors.set(mask, (cursor = encodeCursor(positions, mask)));
        return cursor;
      },
    };
    matcher.match(
      event,
      (client) => {
        try {
          client.offer(feedEvent);
        } catch (error) {
          logger.error('stream client failed to take an event', { error: errorMessage(error) });
        }
      },
      resourcesOf(event),
    );
    sealed = true;
  }

  return {
    matcher,

    async start(): Promise<void> {
      consumer = kafka.consumer({
        groupId: `rg-stream-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        maxWaitTimeInMs: maxWaitMs,
        sessionTimeout: 30_000,
        heartbeatInterval: 3000,
      });
      let resolveReady!: () => void;
      const firstJoin = new Promise<void>((resolve) => {
        resolveReady = resolve;
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        joined = onJoin(payload.memberAssignment).then(
          () => {
            ready = true;
            resolveReady();
          },
          (error) => logger.error('stream consumer could not place its partitions', { error: errorMessage(error) }),
        );
      });
      await consumer.connect();
      await consumer.subscribe({ topics: EVENT_CATEGORIES.map(topicForCategory), fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          await joined;
          const category = batch.topic.slice(EVENT_TOPIC_PREFIX.length) as EventCategory;
          const offsets = positions.get(category);
          if (!offsets) return;
          const key = `${batch.topic}:${batch.partition}`;
          let handled = 0;
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) return;
            // Long batches on a busy machine must not outlive the group session.
            if (++handled % 500 === 0) await heartbeat();
            const offset = Number(message.offset);
            const expected = offsets[batch.partition] ?? 0;
            if (offset < expected) continue;
            if (offset > expected) {
              // Fetched before our seek applied: drop the batch, the next fetch starts at our position.
              const tries = awaitingSeek.get(key) ?? 0;
              if (tries > 0) {
                awaitingSeek.set(key, tries - 1);
                return;
              }
              metrics.gaps.inc();
              logger.warn('stream consumer skipped missing offsets', {
                topic: batch.topic,
                partition: batch.partition,
                from: expected,
                to: offset,
              });
            }
            awaitingSeek.delete(key);
            let event: PlatformEvent | undefined;
            try {
              // The producer's headers name the organization and type: records nobody here wants are not decoded.
              const organization = message.headers?.[EVENT_HEADERS.organization]?.toString();
              const wanted =
                organization === undefined ||
                matcher.wants(organization, message.headers?.[EVENT_HEADERS.type]?.toString());
              event = message.value && wanted ? await codec.decode(message.value) : undefined;
            } catch (error) {
              logger.error('undecodable record skipped by the stream', {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                error: errorMessage(error),
              });
            }
            if (event) {
              metrics.feedDelay.observe(Math.max(0, Date.now() - Date.parse(event.created_at)) / 1000);
              dispatch(category, batch.partition, offset, event);
            } else offsets[batch.partition] = offset + 1;
            resolveOffset(message.offset);
          }
          const last = batch.messages[batch.messages.length - 1];
          if (last)
            metrics.lag.set(
              { topic: batch.topic, partition: String(batch.partition) },
              Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1),
            );
          await heartbeat();
        },
      });
      await firstJoin;
    },

    get ready(): boolean {
      return ready;
    },

    /**
     * Adds a client to the feed and returns the positions from which the feed will hand it
     * events (a copy): everything below them has already gone by.
     */
    attach(client: FeedClient): StreamPositions {
      matcher.add(client);
      return copyPositions(positions);
    },

    detach(client: FeedClient): void {
      matcher.remove(client);
    },

    /** The live positions (read only; they change with every event). */
    positions(): StreamPositions {
      return positions;
    },

    async stop(): Promise<void> {
      ready = false;
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
