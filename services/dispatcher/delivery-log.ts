import type { ClickHouse } from '../../core/clickhouse/client.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { createBatcher } from '../../core/producer/batcher.js';
import type { DeliveryState } from './model.js';

/** One attempt, as the `webhook_deliveries` table holds it. */
export interface DeliveryLogRow {
  organization_id: string;
  webhook_id: string;
  attempted_at_ms: number;
  /** Unix seconds (DateTime), for the day partitions. */
  attempted_at: number;
  delivery_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  url: string;
  status_code: number | null;
  duration_ms: number;
  error: string;
  next_retry_at_ms: number | null;
  state: DeliveryState;
}

export interface DeliveryLog {
  record(row: DeliveryLogRow): void;
  flush(): Promise<void>;
}

export const DELIVERY_LOG_TABLE = 'webhook_deliveries';

/**
 * Writes attempts to ClickHouse in batches (every `flushIntervalMs` or `maxRows`). The log is an
 * account of attempts, not the delivery state (that lives in Kafka): a batch ClickHouse refuses
 * is retried a few times with backoff, then dropped with an error log, and never blocks delivery.
 */
export function createDeliveryLog({
  clickhouse,
  logger,
  flushIntervalMs = 500,
  maxRows = 5000,
  attempts = 5,
}: {
  clickhouse: ClickHouse;
  logger: Logger;
  /** Longest wait to fill a batch, in ms. Default 500. */
  flushIntervalMs?: number;
  /** Most rows in one insert. Default 5000. */
  maxRows?: number;
  /** Tries per batch before it is dropped. Default 5. */
  attempts?: number;
}): DeliveryLog {
  const table = `${clickhouse.database}.${DELIVERY_LOG_TABLE}`;
  const batcher = createBatcher<DeliveryLogRow>({
    lingerMs: flushIntervalMs,
    maxItems: maxRows,
    maxBytes: 32 * 1024 * 1024,
    maxInFlight: 2,
    sizeOf: (row) => 200 + row.url.length + row.error.length,
    async handle(rows) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await clickhouse.insert(table, rows);
          return;
        } catch (error) {
          if (attempt >= attempts) {
            logger.error('delivery log rows dropped: ClickHouse refused them', {
              rows: rows.length,
              error: errorMessage(error),
            });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
        }
      }
    },
  });
  return {
    record(row) {
      void batcher.add([row]).catch(() => undefined);
    },
    flush: () => batcher.flush(),
  };
}
