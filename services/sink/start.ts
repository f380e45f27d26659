import type { Platform } from '../../core/platform.js';
import { startRetention } from '../../core/clickhouse/retention.js';
import { createSink } from './sink.js';

/** The history sink: every `events.*` topic into ClickHouse, plus the retention of old days. */
export async function startSink(platform: Platform): Promise<{ stop: () => Promise<void> }> {
  const { config, kafka, clickhouse, codec, catalog, logger, metrics } = platform;
  const log = logger.child({ component: 'sink' });
  const sink = createSink({
    kafka,
    clickhouse,
    codec,
    catalog,
    logger: log,
    metrics,
    groupId: config.history.sinkGroupId,
    batchRows: config.history.sinkBatchRows,
    flushIntervalMs: config.history.sinkFlushIntervalMs,
    dedupWindowMs: config.history.dedupWindowMs,
  });
  await sink.start();
  // The events, their dedup index and their copies by resource share the day partitions.
  const retention = startRetention({
    clickhouse,
    logger: log,
    tables: ['events', 'event_ids', 'events_by_resource'],
    retentionMs: config.history.retentionMs,
  });
  return {
    async stop() {
      retention.stop();
      await sink.stop();
    },
  };
}
