import type { Config } from './config/index.js';
import { createClickHouse } from './clickhouse/client.js';
import { migrate } from './clickhouse/migrate.js';
import { applyRetention, type RetentionRule } from './clickhouse/ttl.js';
import { createKafka } from './kafka/client.js';
import { ensureTopics, eventTopicSpecs, type TopicSpec } from './kafka/topics.js';
import type { Logger } from './log/logger.js';

export interface ProvisionOptions {
  config: Config;
  logger: Logger;
  /** Internal topics of the services, beside the event topics. */
  extraTopics?: TopicSpec[];
}

/**
 * Longest one migration statement may run, in ms: a backfill (`INSERT … SELECT` over the whole
 * history) answers only when it is done, so the query timeout of requests does not fit it.
 */
const MIGRATION_STATEMENT_TIMEOUT_MS = 3_600_000;
/** How often a long migration statement sends a progress header meanwhile, in ms (about 72 headers in an hour: inside Node's 16 KiB of headers, and under the 60 s idle timeout common to load balancers). */
const MIGRATION_PROGRESS_INTERVAL_MS = 50_000;

/** The tables that expire rows by TTL, with the configured retention of each. */
export function retentionRules(config: Config): RetentionRule[] {
  const retentionMs = config.history.retentionMs;
  return [
    // Counted from when the sink stored an event, so that a backfill of old events (an old
    // created_at) is kept as long as any other, not dropped at the next TTL merge.
    { table: 'events', column: 'ingested_at', retentionMs },
    { table: 'events_by_resource', column: 'ingested_at', retentionMs },
    // The dedup index only serves the sink's check within RG_SINK_DEDUP_WINDOW of created_at.
    { table: 'event_ids', column: 'created_at', retentionMs },
    { table: 'webhook_deliveries', column: 'attempted_at', retentionMs: config.dispatcher.deliveryLogRetentionMs },
  ];
}

/**
 * Creates missing topics, applies pending ClickHouse migrations (after checking that ClickHouse is
 * 24.8 or newer: an older one stops here with an error naming its version) and sets the tables'
 * TTL to the configured retention. Idempotent.
 */
export async function provisionPlatform({ config, logger, extraTopics = [] }: ProvisionOptions) {
  const kafka = createKafka({ config: config.kafka, logger, clientIdSuffix: 'provision' });
  const admin = kafka.admin();
  const clickhouse = createClickHouse({
    ...config.clickhouse,
    useDatabase: false,
    requestTimeoutMs: Math.max(config.clickhouse.requestTimeoutMs, MIGRATION_STATEMENT_TIMEOUT_MS),
    progressIntervalMs: MIGRATION_PROGRESS_INTERVAL_MS,
  });
  try {
    await admin.connect();
    const createdTopics = await ensureTopics(admin, [...eventTopicSpecs(config.kafka), ...extraTopics]);
    const appliedMigrations = await migrate(clickhouse, { logger });
    await applyRetention(clickhouse, retentionRules(config), logger);
    return { createdTopics, appliedMigrations };
  } finally {
    await admin.disconnect().catch(() => undefined);
    await clickhouse.close().catch(() => undefined);
  }
}
