import type { ClickHouse } from '../../core/clickhouse/client.js';
import { dateTime64Text } from '../../core/clickhouse/sql.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { createBatcher } from '../../core/producer/batcher.js';
import type { DeliveryState } from './model.js';

/** One attempt, as the dispatcher records it (times in ms; the table holds them as DateTime64(3)). */
export interface DeliveryLogRow {
  organization_id: string;
  webhook_id: string;
  attempted_at_ms: number;
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

/** The table's columns, in the order of the insert. */
const COLUMNS = [
  'organization_id',
  'webhook_id',
  'attempted_at',
  'delivery_id',
  'event_id',
  'event_type',
  'attempt',
  'url',
  'status_code',
  'duration_ms',
  'error',
  'next_retry_at',
  'state',
] as const;

/** An attempt as a row of the table. */
function tableRow(row: DeliveryLogRow): Record<(typeof COLUMNS)[number], string | number | null> {
  return {
    organization_id: row.organization_id,
    webhook_id: row.webhook_id,
    attempted_at: dateTime64Text(row.attempted_at_ms),
    delivery_id: row.delivery_id,
    event_id: row.event_id,
    event_type: row.event_type,
    attempt: row.attempt,
    url: row.url,
    status_code: row.status_code,
    duration_ms: row.duration_ms,
    error: row.error,
    next_retry_at: row.next_retry_at_ms === null ? null : dateTime64Text(row.next_retry_at_ms),
    state: row.state,
  };
}

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
          await clickhouse.insert(table, rows.map(tableRow), COLUMNS);
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
