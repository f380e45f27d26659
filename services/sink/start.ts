import type { Platform } from '../../core/platform.js';
import { createSink } from './sink.js';

/** The history sink: every `events.*` topic into ClickHouse (retention is the tables' TTL, set at provisioning). */
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
  return { stop: () => sink.stop() };
}
