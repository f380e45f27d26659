import { CompressionTypes, type Kafka, type Message, type Producer } from 'kafkajs';
import { UnavailableError, ValidationError } from '../errors/index.js';
import type { CatalogEntry, EventCatalog } from '../events/catalog.js';
import { topicForCategory } from '../events/categories.js';
import type { EventCodec } from '../events/codec.js';
import type { PlatformEvent } from '../events/model.js';
import { validateEvent } from '../events/validate.js';
import { parseTimestamp } from '../events/time.js';
import type { Logger } from '../log/logger.js';
import { Counter, getOrCreate, Histogram, LATENCY_BUCKETS_SECONDS, type Registry } from '../metrics/registry.js';
import { createBatcher } from './batcher.js';

/**
 * Kafka record headers, so consumers can route without decoding the value: type, organization and
 * id on every event; `rg-id-assigned: 1` when the producer made the id (the client sent none), so
 * no earlier copy of the event can exist and the history sink skips its duplicate check.
 */
export const EVENT_HEADERS = {
  type: 'rg-event-type',
  organization: 'rg-organization-id',
  id: 'rg-event-id',
  idAssigned: 'rg-id-assigned',
} as const;
const ID_ASSIGNED = Buffer.from('1');

export type CompressionName = 'none' | 'gzip';

export interface EventProducerOptions {
  kafka: Kafka;
  codec: EventCodec;
  catalog: EventCatalog;
  logger: Logger;
  metrics: Registry;
  /** Longest wait to fill a batch, in ms. Default 5. */
  lingerMs?: number;
  /** Most events in one Kafka request. Default 2000. */
  maxBatchEvents?: number;
  /** Most bytes in one Kafka request. Default 1 MiB. */
  maxBatchBytes?: number;
  /** Kafka requests in flight at once (idempotence allows up to 5 per partition). Default 5. */
  maxInFlight?: number;
  /** Compression of record batches. Default `gzip`. */
  compression?: CompressionName;
  /** How long `send` waits for Kafka's acknowledgement before failing, in ms. Default 30 s. */
  ackTimeoutMs?: number;
  /** How far in the future `created_at` may be, in ms. Default 5 min. */
  maxFutureMs?: number;
}

/** An event that passed validation, with its catalogue entry. */
export interface ValidatedEvent {
  event: PlatformEvent;
  entry: CatalogEntry;
  /** True when the id was assigned by the producer, not sent by the client (see EVENT_HEADERS.idAssigned). */
  idAssigned?: boolean;
}

export interface EventProducer {
  connect(): Promise<void>;
  /** Writes validated events; resolves once Kafka has acknowledged every one (acks=all). */
  send(events: readonly ValidatedEvent[]): Promise<void>;
  /**
   * Validates, completes and writes events for one organization (the platform's own services use
   * this). Throws a ValidationError naming each bad field; nothing is written then.
   */
  publish(events: unknown | unknown[], context: { organizationId: string }): Promise<PlatformEvent[]>;
  /** Waits until everything sent so far is acknowledged. */
  flush(): Promise<void>;
  /** Flushes, then disconnects. */
  disconnect(): Promise<void>;
}

interface Outgoing {
  topic: string;
  message: Message;
  type: string;
  bytes: number;
}

const COMPRESSION: Record<CompressionName, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
};

export function createEventProducer(options: EventProducerOptions): EventProducer {
  const { kafka, codec, catalog, logger, metrics } = options;
  const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  const compression = COMPRESSION[options.compression ?? 'gzip'];
  // Idempotence needs unlimited retries (kafkajs's own default for it); `ackTimeoutMs` bounds what callers wait.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 30_000 },
  });

  const published = getOrCreate(
    metrics,
    'rg_events_published_total',
    () =>
      new Counter({
        name: 'rg_events_published_total',
        help: 'Events acknowledged by Kafka.',
        labelNames: ['type'],
        registers: [metrics],
      }),
  );
  const publishedBytes = getOrCreate(
    metrics,
    'rg_event_bytes_published_total',
    () =>
      new Counter({
        name: 'rg_event_bytes_published_total',
        help: 'Bytes of encoded events acknowledged by Kafka.',
        registers: [metrics],
      }),
  );
  const errors = getOrCreate(
    metrics,
    'rg_publish_errors_total',
    () =>
      new Counter({
        name: 'rg_publish_errors_total',
        help: 'Batches Kafka did not acknowledge.',
        registers: [metrics],
      }),
  );
  const latency = getOrCreate(
    metrics,
    'rg_publish_latency_seconds',
    () =>
      new Histogram({
        name: 'rg_publish_latency_seconds',
        help: 'From send to acknowledgement of a batch.',
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [metrics],
      }),
  );

  const batcher = createBatcher<Outgoing>({
    lingerMs: options.lingerMs ?? 5,
    maxItems: options.maxBatchEvents ?? 2000,
    maxBytes: options.maxBatchBytes ?? 1024 * 1024,
    maxInFlight: options.maxInFlight ?? 5,
    sizeOf: (item) => item.bytes,
    async handle(items) {
      const byTopic = new Map<string, Message[]>();
      for (const item of items) {
        const messages = byTopic.get(item.topic) ?? [];
        messages.push(item.message);
        byTopic.set(item.topic, messages);
      }
      const stopTimer = latency.startTimer();
      try {
        await producer.sendBatch({
          acks: -1,
          compression,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      } catch (error) {
        errors.inc();
        logger.warn('publish failed', { events: items.length, error });
        throw new UnavailableError('Kafka did not acknowledge the events; retry with the same ids', error);
      }
      stopTimer();
      // Count per type first: one labelled increment per type, not per event.
      const perType = new Map<string, number>();
      let bytes = 0;
      for (const item of items) {
        perType.set(item.type, (perType.get(item.type) ?? 0) + 1);
        bytes += item.bytes;
      }
      for (const [type, count] of perType) published.inc({ type }, count);
      publishedBytes.inc(bytes);
    },
  });

  // Header values as Buffers, made once per type and per organization rather than per record.
  const typeHeader = new Map<string, Buffer>();
  const organizationHeader = new Map<string, Buffer>();
  const headerValue = (cache: Map<string, Buffer>, text: string): Buffer => {
    let value = cache.get(text);
    if (!value) {
      if (cache.size >= 10_000) cache.clear();
      value = Buffer.from(text);
      cache.set(text, value);
    }
    return value;
  };

  function toOutgoing({ event, entry, idAssigned }: ValidatedEvent): Outgoing {
    const value = codec.encode(event, entry);
    const key = String(event.data[entry.resourceKey]);
    return {
      topic: topicForCategory(entry.category),
      type: entry.type,
      bytes: value.length + key.length,
      message: {
        key,
        value,
        timestamp: String(parseTimestamp(event.created_at)),
        headers: {
          [EVENT_HEADERS.type]: headerValue(typeHeader, entry.type),
          [EVENT_HEADERS.organization]: headerValue(organizationHeader, event.metadata.organization_id),
          [EVENT_HEADERS.id]: event.id,
          ...(idAssigned ? { [EVENT_HEADERS.idAssigned]: ID_ASSIGNED } : {}),
        },
      },
    };
  }

  function withTimeout<T>(promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new UnavailableError(`Kafka did not acknowledge within ${ackTimeoutMs} ms; retry with the same ids`)),
        ackTimeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  return {
    connect: () => producer.connect(),
    send(events) {
      return withTimeout(batcher.add(events.map(toOutgoing)));
    },
    async publish(input, { organizationId }) {
      const inputs = Array.isArray(input) ? input : [input];
      const nowMs = Date.now();
      const validated: ValidatedEvent[] = [];
      const details = [];
      for (const [index, item] of inputs.entries()) {
        const result = validateEvent(item, {
          catalog,
          organizationId,
          nowMs,
          maxFutureMs: options.maxFutureMs ?? 300_000,
          ...(inputs.length > 1 ? { index, fieldPrefix: `events[${index}].` } : {}),
        });
        if (result.ok) validated.push({ event: result.event, entry: result.entry, idAssigned: result.idAssigned });
        else details.push(...result.errors);
      }
      if (details.length) throw new ValidationError('events are invalid', details);
      await this.send(validated);
      return validated.map(({ event }) => event);
    },
    flush: () => batcher.flush(),
    async disconnect() {
      await batcher.flush();
      await producer.disconnect();
    },
  };
}
