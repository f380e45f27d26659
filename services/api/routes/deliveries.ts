import { Type } from '@sinclair/typebox';
import type { ClickHouse } from '../../../core/clickhouse/client.js';
import { identifier, join, param, sql, type SqlFragment } from '../../../core/clickhouse/sql.js';
import { NotFoundError } from '../../../core/errors/index.js';
import { formatTimestamp } from '../../../core/events/time.js';
import { encodeCursor, queryFingerprint } from '../../../core/history/cursor.js';
import type { WebhookSubscription } from '../../../core/webhooks/model.js';
import { organizationOf } from '../http/auth.js';
import { pageCursor } from '../http/cursor.js';
import { defineRoute, type Route } from '../http/route.js';
import { cursor as cursorSchema, eventId, idParameter, limit as limitSchema, ref } from '../http/schemas.js';

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
export function deliveriesRoutes({ clickhouse, findWebhook, cursorSecret }: DeliveriesRoutesOptions): Route[] {
  const table = identifier(`${clickhouse.database}.webhook_deliveries`);

  const list = defineRoute({
    method: 'get',
    path: '/webhooks/{webhook_id}/deliveries',
    summary: "A webhook's delivery attempts, newest first",
    description:
      'Every attempt of every delivery to this webhook: time, status code, duration, error, attempt number and next retry. Attempts are logged in batches, so the newest can take about a second to show.',
    params: Type.Object({ webhook_id: idParameter('The webhook (wh_…).') }),
    query: Type.Object(
      {
        limit: Type.Optional(limitSchema(50)),
        event_id: Type.Optional(eventId('Only the attempts of this event.')),
        cursor: Type.Optional(cursorSchema),
      },
      { additionalProperties: false },
    ),
    responses: {
      200: {
        description: 'A page of attempts',
        schema: Type.Object({
          data: Type.Array(ref('Delivery')),
          has_more: Type.Boolean(),
          next_cursor: Type.Union([Type.String(), Type.Null()]),
        }),
      },
      404: 'No such webhook in your organization',
      503: 'ClickHouse is unreachable; retry later',
    },
    handler: async ({ params, query }, req, res) => {
      const organizationId = organizationOf(req);
      const webhook = findWebhook(params.webhook_id);
      if (!webhook || webhook.organization_id !== organizationId)
        throw new NotFoundError(`Webhook ${params.webhook_id.slice(0, 100)}`);

      const limit = query.limit ?? 50;
      const eventId = query.event_id;
      const fingerprint = queryFingerprint(['deliveries', organizationId, webhook.id, eventId ?? null]);
      const cursor = pageCursor(query.cursor, { secret: cursorSecret, fingerprint, keep: 'filters' });

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
        SELECT delivery_id, webhook_id, event_id, event_type, attempt,
          toUnixTimestamp64Milli(attempted_at) AS attempted_at_ms, url, status_code, duration_ms, error,
          toUnixTimestamp64Milli(next_retry_at) AS next_retry_at_ms, state
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
    },
  });

  return [list];
}
