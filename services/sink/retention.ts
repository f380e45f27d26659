import type { ClickHouse } from '../../core/clickhouse/client.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import type { Logger } from '../../core/log/logger.js';

/**
 * ClickHouse 18.16 has no TTL: history is kept by day partitions (`toYYYYMMDD(created_at)`), and
 * the partitions older than the retention are dropped, once at start and then every hour.
 */
export function startRetention({ clickhouse, logger, retentionMs, intervalMs = 3_600_000 }: { clickhouse: ClickHouse; logger: Logger; retentionMs: number; intervalMs?: number }) {
  const dropOld = async () => {
    const cutoff = Number(new Date(Date.now() - retentionMs).toISOString().slice(0, 10).replaceAll('-', ''));
    const partitions = await clickhouse.query<{ partition: string }>(sql`SELECT DISTINCT partition FROM system.parts WHERE database = ${clickhouse.database} AND table = 'events' AND active`);
    for (const { partition } of partitions) {
      const day = Number(partition);
      if (!Number.isSafeInteger(day) || day >= cutoff) continue;
      await clickhouse.command(sql`ALTER TABLE ${identifier(`${clickhouse.database}.events`)} DROP PARTITION ${day}`);
      logger.info('history partition dropped', { partition: day });
    }
  };
  const run = () => dropOld().catch((error) => logger.warn('history retention failed', { error }));
  void run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
