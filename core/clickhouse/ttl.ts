import type { ClickHouse } from './client.js';
import { identifier, integerLiteral, sql } from './sql.js';
import type { Logger } from '../log/logger.js';

/** How long one table keeps its rows: those whose `column` is older than `retentionMs` expire. */
export interface RetentionRule {
  /** A table of the configured database. */
  table: string;
  /** Its DateTime64 time column that rows expire by. */
  column: string;
  /** In ms; applied in whole seconds. */
  retentionMs: number;
}

/**
 * Sets each table's TTL to its configured retention (`TTL toDateTime(column) + toIntervalSecond(n)`)
 * when it differs. The tables drop whole expired parts (`ttl_only_drop_parts`), so with day
 * partitions a day goes at once, at the first TTL merge after it expired (ClickHouse looks every
 * `merge_with_ttl_timeout`, 4 hours by default). Idempotent; several processes may run it at once.
 * Returns the tables whose TTL it changed.
 */
export async function applyRetention(
  clickhouse: ClickHouse,
  rules: readonly RetentionRule[],
  logger?: Logger,
): Promise<string[]> {
  const changed: string[] = [];
  for (const { table, column, retentionMs } of rules) {
    const seconds = Math.max(1, Math.round(retentionMs / 1000));
    const [row] = await clickhouse.query<{ engine_full: string }>(
      sql`SELECT engine_full FROM system.tables WHERE database = ${clickhouse.database} AND name = ${table}`,
    );
    if (!row) throw new Error(`retention: table ${clickhouse.database}.${table} does not exist`);
    if (row.engine_full.includes(`TTL toDateTime(${column}) + toIntervalSecond(${seconds})`)) continue;
    await clickhouse.command(
      sql`ALTER TABLE ${identifier(`${clickhouse.database}.${table}`)} MODIFY TTL toDateTime(${identifier(column)}) + toIntervalSecond(${integerLiteral(seconds)})`,
    );
    logger?.info('clickhouse retention set', { table, retention_seconds: seconds });
    changed.push(table);
  }
  return changed;
}
