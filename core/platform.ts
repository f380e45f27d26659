import type { Kafka } from 'kafkajs';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createClickHouse, type ClickHouse } from './clickhouse/client.js';
import type { Config } from './config/index.js';
import { eventCatalog, type EventCatalog } from './events/catalog.js';
import { createEventCodec, type EventCodec } from './events/codec.js';
import { createKafka } from './kafka/client.js';
import type { Logger } from './log/logger.js';
import type { Registry } from './metrics/registry.js';
import { pingSchemaRegistry, createSchemaRegistry } from './registry/client.js';
import { createRegistryHttp, type RegistryHttp } from './registry/http.js';
import { createEventProducer, type EventProducer } from './producer/producer.js';
import { isRetriable, errorMessage } from './errors/index.js';

/** The clients every service shares: one per process, built from explicit config in `main`. */
export interface Platform {
  config: Config;
  logger: Logger;
  metrics: Registry;
  catalog: EventCatalog;
  kafka: Kafka;
  registry: SchemaRegistry;
  registryHttp: RegistryHttp;
  codec: EventCodec;
  clickhouse: ClickHouse;
  producer: EventProducer;
  /** Readiness of each backing part (for `/readyz`). */
  checkReadiness(): Promise<Record<'kafka' | 'schema_registry' | 'clickhouse', boolean>>;
  close(): Promise<void>;
}

export interface CreatePlatformOptions {
  config: Config;
  logger: Logger;
  metrics: Registry;
  /** Client id suffix for Kafka, e.g. the service name. */
  name: string;
}

/** Waits for a part to answer at start, with backoff, instead of crashing while it boots. */
async function retryUntilReady<T>(
  what: string,
  logger: Logger,
  attempt: () => Promise<T>,
  { attempts = 30, maxDelayMs = 5000 } = {},
): Promise<T> {
  let delay = 200;
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= attempts) throw error;
      logger.warn(`${what} not ready, retrying`, {
        attempt: i,
        delay_ms: delay,
        error: errorMessage(error),
        retriable: isRetriable(error),
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

export async function createPlatform({ config, logger, metrics, name }: CreatePlatformOptions): Promise<Platform> {
  const catalog = eventCatalog();
  const kafka = createKafka({ config: config.kafka, logger, clientIdSuffix: name });
  const registry = createSchemaRegistry(config.schemaRegistry);
  const registryHttp = createRegistryHttp(config.schemaRegistry);
  const codec = createEventCodec({ catalog, registry, registryHttp });
  const clickhouse = createClickHouse(config.clickhouse);
  await retryUntilReady('schema registry', logger, () => codec.init());
  const producer = createEventProducer({
    kafka,
    codec,
    catalog,
    logger,
    metrics,
    compression: config.kafka.compression,
    lingerMs: config.kafka.producerLingerMs,
    maxBatchEvents: config.kafka.producerMaxBatchEvents,
    maxInFlight: config.kafka.producerMaxInFlight,
  });
  await retryUntilReady('kafka', logger, () => producer.connect());

  const admin = kafka.admin();
  let adminConnected = false;
  async function kafkaReady(): Promise<boolean> {
    try {
      if (!adminConnected) {
        await admin.connect();
        adminConnected = true;
      }
      const cluster = await Promise.race([
        admin.describeCluster(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
      ]);
      return cluster.brokers.length > 0;
    } catch {
      return false;
    }
  }

  return {
    config,
    logger,
    metrics,
    catalog,
    kafka,
    registry,
    registryHttp,
    codec,
    clickhouse,
    producer,
    async checkReadiness() {
      const [kafkaOk, registryOk, clickhouseOk] = await Promise.all([
        kafkaReady(),
        pingSchemaRegistry(config.schemaRegistry),
        clickhouse.ping(),
      ]);
      return { kafka: kafkaOk, schema_registry: registryOk, clickhouse: clickhouseOk };
    },
    async close() {
      await producer.disconnect().catch((error) => logger.warn('producer disconnect failed', { error }));
      if (adminConnected) await admin.disconnect().catch(() => undefined);
      await clickhouse.close().catch(() => undefined);
    },
  };
}
