import type { Config } from './config/index.js';
import { createClickHouse } from './clickhouse/client.js';
import { migrate } from './clickhouse/migrate.js';
import { createKafka } from './kafka/client.js';
import { ensureTopics, eventTopicSpecs, type TopicSpec } from './kafka/topics.js';
import type { Logger } from './log/logger.js';

export interface ProvisionOptions {
  config: Config;
  logger: Logger;
  /** Internal topics of the services, beside the event topics. */
  extraTopics?: TopicSpec[];
}

/** Creates missing topics and applies pending ClickHouse migrations. Idempotent. */
export async function provisionPlatform({ config, logger, extraTopics = [] }: ProvisionOptions) {
  const kafka = createKafka({ config: config.kafka, logger, clientIdSuffix: 'provision' });
  const admin = kafka.admin();
  const clickhouse = createClickHouse({ ...config.clickhouse, useDatabase: false });
  try {
    await admin.connect();
    const createdTopics = await ensureTopics(admin, [...eventTopicSpecs(config.kafka), ...extraTopics]);
    const appliedMigrations = await migrate(clickhouse, { logger });
    return { createdTopics, appliedMigrations };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await clickhouse.close().catch(() => undefined);
  }
}
