import { Type } from '@sinclair/typebox';
import type { Admin, Kafka } from 'kafkajs';
import type { ClickHouse } from '../../../core/clickhouse/client.js';
import { identifier, param, sql } from '../../../core/clickhouse/sql.js';
import { EVENT_CATEGORIES, topicForCategory } from '../../../core/events/categories.js';
import { formatTimestamp } from '../../../core/events/time.js';
import type { WebhookSubscription } from '../../../core/webhooks/model.js';
import { organizationOf } from '../http/auth.js';
import { defineRoute, type Route } from '../http/route.js';
import { nullable } from '../http/schemas.js';

export interface OverviewRoutesOptions {
  clickhouse: ClickHouse;
  kafka: Kafka;
  /** The history sink's consumer group (RG_SINK_GROUP): its lag is what it has still to store. */
  sinkGroupId: string;
  /** The subscriptions (the webhook store), to name the failing webhooks. */
  findWebhook: (id: string) => WebhookSubscription | undefined;
  /** How long the sink's lag is reused between requests, in ms. Default 1000. */
  lagCacheMs?: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const timeOf = (ms: number | string | null | undefined): string | null =>
  ms === null || ms === undefined || Number(ms) <= 0 ? null : formatTimestamp(Number(ms));

const time = nullable(Type.String({ format: 'date-time' }));
const count = Type.Integer();

const overviewSchema = Type.Object({
  events: Type.Object({ last_hour: count, last_day: count }),
  deliveries: Type.Object({
    since: Type.String({ format: 'date-time' }),
    attempts: count,
    delivered: count,
    retrying: count,
    failed: count,
    success_rate: nullable(Type.Number({ description: 'delivered / attempts, null without any' })),
    failing_webhooks: Type.Array(
      Type.Object({
        webhook_id: Type.String(),
        url: Type.String(),
        description: nullable(Type.String()),
        enabled: nullable(Type.Boolean({ description: 'null when the webhook was deleted' })),
        attempts: count,
        failed_attempts: count,
        last_state: Type.String({ examples: ['retrying', 'failed'] }),
        last_error: nullable(Type.String()),
        last_status_code: nullable(Type.Integer()),
        last_attempt_at: time,
        next_retry_at: time,
      }),
    ),
  }),
  sink: Type.Object({
    lag: nullable(Type.Integer()),
    newest_event_at: time,
    newest_stored_at: time,
    freshness_seconds: nullable(Type.Integer()),
  }),
});

interface TotalsRow {
  last_hour: string;
  last_day: string;
  newest_ms: string;
  stored_ms: string;
}

interface WebhookRow {
  webhook_id: string;
  url: string;
  attempts: string;
  delivered: string;
  retrying: string;
  failed: string;
  last_state: string;
  last_error: string;
  last_status_code: number | null;
  last_attempt_ms: string;
  next_retry_ms: string | null;
}

/** Records of every `events.*` partition that the sink's group has not committed yet. */
async function sinkLag(admin: Admin, groupId: string): Promise<number> {
  const topics = EVENT_CATEGORIES.map(topicForCategory);
  const committed = await admin.fetchOffsets({ groupId, topics });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const positions = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
    for (const { partition, high, low } of ends) {
      const at = positions.find((entry) => entry.partition === partition)?.offset ?? '-1';
      const from = BigInt(at) < 0n ? BigInt(low) : BigInt(at);
      if (BigInt(high) > from) lag += Number(BigInt(high) - from);
    }
  }
  return lag;
}

/**
 * `GET /overview`: the figures of the console's overview that need no statistics API. The
 * organization's events stored in the last hour and day (rows in history: a retried publish may
 * count twice until ClickHouse merges the copies); its webhook delivery attempts of the last 24 h
 * with the success rate and the webhooks whose latest attempt failed; the history sink's lag (records
 * of every organization not stored yet) and freshness (the newest event of this organization in
 * history, and when it was stored). Each query reads the organization's rows of one day through
 * the tables' sort keys.
 */
export function overviewRoutes(options: OverviewRoutesOptions): { routes: Route[]; close(): Promise<void> } {
  const { clickhouse, kafka, sinkGroupId, findWebhook, lagCacheMs = 1000 } = options;
  const events = identifier(`${clickhouse.database}.events`);
  const deliveries = identifier(`${clickhouse.database}.webhook_deliveries`);
  let admin: Admin | undefined;
  let lag: { at: number; value: Promise<number | null> } | undefined;

  const currentLag = (): Promise<number | null> => {
    if (lag && Date.now() - lag.at < lagCacheMs) return lag.value;
    const value = (async () => {
      try {
        if (!admin) {
          const candidate = kafka.admin();
          await candidate.connect();
          admin = candidate;
        }
        return await sinkLag(admin, sinkGroupId);
      } catch {
        return null; // Kafka unreachable: the overview shows the lag as unknown.
      }
    })();
    lag = { at: Date.now(), value };
    return value;
  };

  const overview = async (
    req: Parameters<Route['spec']['handler']>[1],
    res: Parameters<Route['spec']['handler']>[2],
  ) => {
    const organizationId = organizationOf(req);
    const now = Date.now();
    const dayAgo = now - DAY_MS;
    const [totals, webhooks, sinkLagRecords] = await Promise.all([
      clickhouse.query<TotalsRow>(sql`
        SELECT countIf(created_at >= ${param.dateTime64(now - HOUR_MS)}) AS last_hour, count() AS last_day,
          toUnixTimestamp64Milli(max(created_at)) AS newest_ms, toUnixTimestamp64Milli(max(ingested_at)) AS stored_ms
        FROM ${events}
        WHERE organization_id = ${organizationId} AND created_at >= ${param.dateTime64(dayAgo)}`),
      clickhouse.query<WebhookRow>(sql`
        SELECT webhook_id, argMax(url, attempted_at) AS url, count() AS attempts,
          countIf(state = 'delivered') AS delivered, countIf(state = 'retrying') AS retrying,
          countIf(state = 'failed') AS failed, argMax(state, attempted_at) AS last_state,
          argMax(error, attempted_at) AS last_error, argMax(status_code, attempted_at) AS last_status_code,
          toUnixTimestamp64Milli(max(attempted_at)) AS last_attempt_ms,
          toUnixTimestamp64Milli(argMax(next_retry_at, attempted_at)) AS next_retry_ms
        FROM ${deliveries}
        WHERE organization_id = ${organizationId} AND attempted_at >= ${param.dateTime64(dayAgo)}
        GROUP BY webhook_id`),
      currentLag(),
    ]);
    const total = totals[0];
    const sum = (key: 'attempts' | 'delivered' | 'retrying' | 'failed') =>
      webhooks.reduce((acc, row) => acc + Number(row[key]), 0);
    const attempts = sum('attempts');
    const newestMs = Number(total?.newest_ms ?? 0);
    res.json({
      events: { last_hour: Number(total?.last_hour ?? 0), last_day: Number(total?.last_day ?? 0) },
      deliveries: {
        since: formatTimestamp(dayAgo),
        attempts,
        delivered: sum('delivered'),
        retrying: sum('retrying'),
        failed: sum('failed'),
        success_rate: attempts === 0 ? null : sum('delivered') / attempts,
        failing_webhooks: webhooks
          .filter((row) => row.last_state !== 'delivered')
          .sort((a, b) => Number(b.last_attempt_ms) - Number(a.last_attempt_ms))
          .map((row) => {
            const webhook = findWebhook(row.webhook_id);
            const current = webhook?.organization_id === organizationId ? webhook : undefined;
            return {
              webhook_id: row.webhook_id,
              url: current?.url ?? row.url,
              description: current?.description ?? null,
              enabled: current ? current.enabled : null,
              attempts: Number(row.attempts),
              failed_attempts: Number(row.retrying) + Number(row.failed),
              last_state: row.last_state,
              last_error: row.last_error || null,
              last_status_code: row.last_status_code === null ? null : Number(row.last_status_code),
              last_attempt_at: timeOf(row.last_attempt_ms),
              next_retry_at: timeOf(row.next_retry_ms),
            };
          }),
      },
      sink: {
        lag: sinkLagRecords,
        newest_event_at: timeOf(newestMs),
        newest_stored_at: timeOf(Number(total?.stored_ms ?? 0)),
        freshness_seconds: newestMs > 0 ? Math.max(0, Math.round((now - newestMs) / 1000)) : null,
      },
    });
  };

  const route = defineRoute({
    method: 'get',
    path: '/overview',
    summary: "The organization's event totals, webhook delivery health and the history sink's lag",
    description:
      "Events stored in the last hour and day (history rows: a retried publish may count twice until merged); delivery attempts of the last 24 h with the success rate and the webhooks whose latest attempt failed; the sink's lag (records of every organization not yet stored, null when Kafka does not answer) and the newest event of the organization in history.",
    query: Type.Object({}, { additionalProperties: false }),
    responses: { 200: { description: 'The overview', schema: overviewSchema }, 503: 'ClickHouse is unreachable' },
    handler: (_input, req, res) => overview(req, res),
  });

  return {
    routes: [route],
    /** Disconnects the Kafka admin client (on shutdown). */
    close: async () => {
      await admin?.disconnect();
    },
  };
}
