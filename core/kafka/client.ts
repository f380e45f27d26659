import {
  Kafka,
  logLevel as KafkaLogLevel,
  type Consumer,
  type ConsumerConfig,
  type KafkaConfig as KafkaClientConfig,
  type logCreator,
} from 'kafkajs';
import type { KafkaConfig } from '../config/index.js';
import type { Logger } from '../log/logger.js';
import { installGzipCodec } from './gzip.js';

/** Sends kafkajs's own logs through our structured logger (its INFO chatter goes to debug). */
function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      const line = { component: 'kafkajs', namespace: log.namespace, ...fields };
      delete (line as Record<string, unknown>).timestamp;
      delete (line as Record<string, unknown>).logger;
      if (level === KafkaLogLevel.ERROR) logger.warn(message, line);
      else if (level === KafkaLogLevel.WARN) logger.warn(message, line);
      else logger.debug(message, line);
    };
}

export interface CreateKafkaOptions {
  config: KafkaConfig;
  logger: Logger;
  /** Appended to the configured client id, e.g. `sink`. */
  clientIdSuffix?: string;
}

/**
 * kafkajs's client whose consumers fetch at most `fetchMaxBytes` at a time unless told otherwise:
 * kafkajs decodes a whole fetch before it hands over the first batch, so with its default of 10 MB
 * a consumer catching up on a backlog waited seconds for its first records (the sink benchmark
 * prints when its first rows were stored; `--fetch-max-bytes` sets the size).
 */
class PlatformKafka extends Kafka {
  constructor(
    options: KafkaClientConfig,
    private readonly fetchMaxBytes: number,
  ) {
    super(options);
  }

  override consumer(options: ConsumerConfig): Consumer {
    return super.consumer({ maxBytes: this.fetchMaxBytes, ...options });
  }
}

/** A kafkajs client for the configured brokers, with retries that back off up to 30 s. */
export function createKafka({ config, logger, clientIdSuffix }: CreateKafkaOptions): Kafka {
  // kafkajs warns about its v2 partitioner change on every producer; we choose the partitioner explicitly.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  installGzipCodec();
  return new PlatformKafka(
    {
      clientId: clientIdSuffix ? `${config.clientId}-${clientIdSuffix}` : config.clientId,
      brokers: [...config.brokers],
      connectionTimeout: 3000,
      requestTimeout: config.requestTimeoutMs,
      retry: { initialRetryTime: 100, maxRetryTime: 30_000, retries: 8 },
      logLevel: KafkaLogLevel.INFO,
      logCreator: kafkaLogCreator(logger),
    },
    config.fetchMaxBytes,
  );
}
