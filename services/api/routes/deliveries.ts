import { Router } from 'express';
import type { ClickHouse } from '../../../core/clickhouse/client.js';
import { identifier, join, param, sql, type SqlFragment } from '../../../core/clickhouse/sql.js';
import { NotFoundError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import { isValidEventId } from '../../../core/events/ids.js';
import { formatTimestamp } from '../../../core/events/time.js';
import { decodeCursor, encodeCursor, queryFingerprint } from '../../../core/history/cursor.js';
import type { WebhookSubscription } from '../../../core/webhooks/model.js';
import { organizationOf } from '../http/auth.js';
import { limitParam, singleParam, unknownParams } from '../http/query.js';

export interface DeliveriesRoutesOptions {
  clickhouse: ClickHouse;
  /** The subscriptions (the webhook store): a webhook of another organization is not found. */
  findWebhook: (id: string) => WebhookSubscription | undefined;
  /** Signs cursors (RG_CURSOR_SECRET). */
  cursorSecret: string;
}

interface Row {
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  attempted_at_ms: string;
  url: string;
  status_code: number | null;
  duration_ms: number;
  error: string;
  next_retry_at_ms: string | null;
  state: string;
}

const PARAMS = new Set(['limit', 'cursor', 'event_id']);

/** A delivery attempt as the API shows it (the SDK's `Delivery`). */
function toDelivery(row: Row) {
  return {
    id: row.delivery_id,
    webhook_id: row.webhook_id,
    event_id: row.event_id,
    event_type: row.event_type,
    attempt: Number(row.attempt),
    attempted_at: formatTimestamp(Number(row.attempted_at_ms)),
    url: row.url,
    status_code: row.status_code === null ? null : Number(row.status_code),
    duration_ms: Number(row.duration_ms),
    error: row.error === '' ? null : row.error,
    next_retry_at: row.next_retry_at_ms === null ? null : formatTimestamp(Number(row.next_retry_at_ms)),
    state: row.state,
  };
}

/** `GET /webhooks/{id}/deliveries`: the webhook's delivery attempts, newest first, with cursor pagination. */
export function deliveriesRoutes({ clickhouse, findWebhook, cursorSecret }: DeliveriesRoutesOptions): Router {
  const router = Router();
  const table = identifier(`${clickhouse.database}.webhook_deliveries`);

  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const organizationId = organizationOf(req);
    const webhook = findWebhook(String(req.params.id));
    if (!webhook || webhook.organization_id !== organizationId)
      throw new NotFoundError(`Webhook ${String(req.params.id).slice(0, 100)}`);

    const errors: ErrorDetail[] = unknownParams(req, PARAMS, 'GET /webhooks/{id}/deliveries');
    const limit = limitParam(req, 50, errors);
    const eventId = singleParam(req, 'event_id', errors);
    if (eventId !== undefined && !isValidEventId(eventId))
      errors.push({ field: 'event_id', message: 'must be an event id (evt_…)' });
    if (errors.length) throw new ValidationError('The query is invalid', errors);

    const fingerprint = queryFingerprint(['deliveries', organizationId, webhook.id, eventId ?? null]);
    const cursorText = singleParam(req, 'cursor', []);
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText, cursorSecret);
    if (cursorText !== undefined && !cursor)
      throw new PlatformError('invalid_cursor', 'The cursor is corrupted or was not issued by this API', {
        details: [{ field: 'cursor', message: 'is not a valid cursor' }],
      });
    if (cursor && cursor.q !== fingerprint)
      throw new PlatformError(
        'invalid_cursor',
        'The cursor belongs to another query: keep the same filters while paging',
        { details: [{ field: 'cursor', message: 'belongs to another query' }] },
      );

    const where: SqlFragment[] = [sql`organization_id = ${organizationId}`, sql`webhook_id = ${webhook.id}`];
    if (eventId !== undefined) where.push(sql`event_id = ${eventId}`);
    if (cursor) {
      // The position is (attempted_at, delivery_id, attempt), all descending; `i` holds `delivery_id/attempt`.
      const [deliveryId = '', attemptText = '0'] = cursor.i.split('/');
      const attempt = param.uint64(Number.isSafeInteger(Number(attemptText)) ? Math.max(0, Number(attemptText)) : 0);
      const t = param.dateTime64(cursor.t);
      where.push(
        sql`(attempted_at < ${t} OR (attempted_at = ${t} AND (delivery_id < ${deliveryId} OR (delivery_id = ${deliveryId} AND attempt < ${attempt}))))`,
      );
    }
    const rows = await clickhouse.query<Row>(sql`
      SELECT delivery_id, webhook_id, event_id, event_type, attempt, toUnixTimestamp64Milli(attempted_at) AS attempted_at_ms,
        url, status_code, duration_ms, error, toUnixTimestamp64Milli(next_retry_at) AS next_retry_at_ms, state
      FROM ${table}
      WHERE ${join(where, sql` AND `)}
      ORDER BY attempted_at DESC, delivery_id DESC, attempt DESC
      LIMIT ${param.uint64(limit + 1)}`);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > limit;
    res.json({
      data: page.map(toDelivery),
      has_more: hasMore,
      next_cursor:
        hasMore && last
          ? encodeCursor(
              { t: Number(last.attempted_at_ms), i: `${last.delivery_id}/${last.attempt}`, a: 0, q: fingerprint },
              cursorSecret,
            )
          : null,
    });
  });

  return router;
}
