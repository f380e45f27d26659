import type { ClickHouse } from './client.js';
import { identifier, sql } from './sql.js';
import type { Logger } from '../log/logger.js';

export interface RetentionOptions {
  clickhouse: ClickHouse;
  logger: Logger;
  /** Tables of the configured database, each partitioned by day (`toYYYYMMDD(…)`). */
  tables: readonly string[];
  /** Days older than this are dropped, in ms. */
  retentionMs: number;
  /** How often to look again, in ms. Default 3,600,000 (an hour). */
  intervalMs?: number;
}

/**
 * ClickHouse 18.16 has no TTL: day-partitioned tables are kept by dropping the partitions older
 * than the retention, once at start and then every `intervalMs`.
 */
export function startRetention({ clickhouse, logger, tables, retentionMs, intervalMs = 3_600_000 }: RetentionOptions) {
  const dropOld = async () => {
    const cutoff = Number(new Date(Date.now() - retentionMs).toISOString().slice(0, 10).replaceAll('-', ''));
    for (const table of tables) {
      const partitions = await clickhouse.query<{ partition: string }>(
        sql`SELECT DISTINCT partition FROM system.parts WHERE database = ${clickhouse.database} AND table = ${table} AND active`,
      );
      for (const { partition } of partitions) {
        const day = Number(partition);
        if (!Number.isSafeInteger(day) || day >= cutoff) continue;
        await clickhouse.command(
          sql`ALTER TABLE ${identifier(`${clickhouse.database}.${table}`)} DROP PARTITION ${day}`,
        );
        logger.info('partition dropped by retention', { table, partition: day });
      }
    }
  };
  const run = () => dropOld().catch((error) => logger.warn('retention failed', { tables, error }));
  const first = run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    /** The first pass, started at once; resolves when it is done (it never rejects). */
    firstPass: first,
    stop: () => clearInterval(timer),
  };
}
