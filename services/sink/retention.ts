import type { ClickHouse } from '../../core/clickhouse/client.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import type { Logger } from '../../core/log/logger.js';

const HISTORY_TABLES = ['events', 'event_ids'] as const;

/**
 * ClickHouse 18.16 has no TTL: history is kept by day partitions (`toYYYYMMDD(created_at)`), and
 * the partitions older than the retention are dropped, once at start and then every hour.
 */
export function startRetention({ clickhouse, logger, retentionMs, intervalMs = 3_600_000 }: { clickhouse: ClickHouse; logger: Logger; retentionMs: number; intervalMs?: number }) {
  const dropOld = async () => {
    const cutoff = Number(new Date(Date.now() - retentionMs).toISOString().slice(0, 10).replaceAll('-', ''));
    // The events and their dedup index (`event_ids`) share the day partitions.
    for (const table of HISTORY_TABLES) {
      const partitions = await clickhouse.query<{ partition: string }>(sql`SELECT DISTINCT partition FROM system.parts WHERE database = ${clickhouse.database} AND table = ${table} AND active`);
      for (const { partition } of partitions) {
        const day = Number(partition);
        if (!Number.isSafeInteger(day) || day >= cutoff) continue;
        await clickhouse.command(sql`ALTER TABLE ${identifier(`${clickhouse.database}.${table}`)} DROP PARTITION ${day}`);
        logger.info('history partition dropped', { table, partition: day });
      }
    }
  };
  const run = () => dropOld().catch((error) => logger.warn('history retention failed', { error }));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
