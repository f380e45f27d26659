// Sink benchmark. 1. Throughput: N events (default 500,000) are published for a bench organization,
// then our sink (createSink, a fresh consumer group that starts at the topics' ends before the
// publish, so it reads exactly this run's records) loads them into ClickHouse; timed from its
// start to all N rows counted. Baseline in the same run: the same rows (another organization id)
// inserted straight into the same table over HTTP in batches of 100,000, through the same client
// insert as the sink's (TabSeparated).
// Beside them, what reading alone costs: the same records read again by a bare kafkajs consumer on
// fresh groups (no ClickHouse): fetched only; fetched, Avro-decoded and made into rows. No sink
// built on kafkajs and avsc in one Node process reads faster than these.
// 2. Freshness: a steady publish load (default 2,000 events/s for 30 s) through the producer library
// while the sink runs; for each event, the time from the publish ack to its first appearance in
// GET /api/v1/events (the real API over HTTP, polled with `order=asc&since=<oldest unseen>`), and
// the part of it until the sink's insert was acknowledged.
// Prints rows/s of each path and its ratio to the direct inserts, the CPU per row of the sink and of
// the baseline (this process; ClickHouse's query threads), and the freshness p50/p99.
//
//   npx tsx scripts/bench/sink.ts [--events 500000] [--batch 100000] [--rate 2000] [--seconds 30] [--sink-batch <RG_SINK_BATCH_ROWS>] [--fetch-max-bytes <RG_KAFKA_FETCH_MAX_BYTES>] [--client-ids 0.5]
import { benchConfig } from './config.js';
import { countRows, eventGenerator, rowOf, waitForRows } from './history-support.js';
import { sql } from '../../core/clickhouse/sql.js';
import { flags, fmt, summarize, table } from './support.js';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { insertEventRows, toEventRow, type EventRow } from '../../core/history/rows.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform } from '../../core/platform.js';
import { startApi } from '../../services/api/start.js';
import { createSink } from '../../services/sink/sink.js';

const options = flags({
  events: 500_000,
  batch: 100_000,
  rate: 2000,
  seconds: 30,
  'sink-batch': 0,
  'fetch-max-bytes': 0,
  'client-ids': 0.5,
});
const runId = Date.now().toString(36);
const organizationId = `org_bench_sink_${runId}`;
const directOrganizationId = `${organizationId}_direct`;
const freshOrganizationId = `${organizationId}_fresh`;
const groupId = `rg-bench-sink-${runId}`;
const key = 'rg_bench_sink_key';
const config = benchConfig({
  RG_API_PORT: '0',
  RG_API_KEYS: `${key}:${freshOrganizationId}`,
  RG_CLICKHOUSE_TIMEOUT: '60s',
  ...(options['sink-batch'] ? { RG_SINK_BATCH_ROWS: String(options['sink-batch']) } : {}),
  ...(options['fetch-max-bytes'] ? { RG_KAFKA_FETCH_MAX_BYTES: String(options['fetch-max-bytes']) } : {}),
});
const logger = createLogger({ level: 'warn' });
const platform = await createPlatform({
  config,
  logger,
  metrics: createMetricsRegistry({ defaultMetrics: false }),
  name: 'bench-sink',
});
const { clickhouse, kafka } = platform;
const topics = EVENT_CATEGORIES.map(topicForCategory);
const categoryOfTopic = new Map(EVENT_CATEGORIES.map((category) => [topicForCategory(category), category] as const));
const sinkOptions = {
  kafka,
  clickhouse,
  codec: platform.codec,
  catalog: platform.catalog,
  logger,
  metrics: platform.metrics,
  groupId,
  batchRows: config.history.sinkBatchRows,
  flushIntervalMs: config.history.sinkFlushIntervalMs,
  dedupWindowMs: config.history.dedupWindowMs,
};

console.log(
  `sink benchmark: ${fmt(options.events)} events; sink batches of up to ${fmt(config.history.sinkBatchRows)} rows or ${config.history.sinkFlushIntervalMs} ms; baseline inserts of ${fmt(options.batch)} rows`,
);

// The fresh group starts where the topics end now, so it reads this run's records, not the topics' past.
const startOffsets = new Map<string, { partition: number; offset: string }[]>();
{
  const admin = kafka.admin();
  await admin.connect();
  for (const topic of topics)
    startOffsets.set(
      topic,
      (await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => ({ partition, offset: high })),
    );
  await admin.disconnect();
  await startGroupAt(groupId);
}

// Publish the N events (mixed guide types, realistic resource ids) through the producer library.
const published: PlatformEvent[] = [];
{
  const next = eventGenerator(organizationId, 7);
  const t0 = performance.now();
  let made = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (made < options.events) {
        const start = made;
        made = Math.min(options.events, made + 1000);
        const inputs = Array.from({ length: made - start }, (_, k) => {
          const { id, type, data, metadata } = next(Date.now(), start + k);
          // A share of the events carry the client's own id: those are the ones the sink checks for
          // an earlier copy (producer-made ids cannot have one).
          const clientId = (start + k) % 100 < options['client-ids'] * 100;
          return {
            ...(clientId ? { id } : {}),
            type,
            data,
            metadata: { user_id: metadata.user_id, request_id: metadata.request_id },
          };
        });
        published.push(...(await platform.producer.publish(inputs, { organizationId })));
      }
    }),
  );
  console.log(`published ${fmt(published.length)} events in ${fmt((performance.now() - t0) / 1000, 1)} s`);
}

/** Per path: rows, wall seconds, and (sink and baseline) CPU seconds of this process and of ClickHouse's queries. */
const results: {
  path: string;
  rows: number;
  seconds: number;
  nodeCpuSeconds?: number;
  clickhouseCpuSeconds?: number;
}[] = [];

// 1. The sink: from its start until ClickHouse counts every row of the organization.
{
  let firstStoredMs: number | undefined;
  const sink = createSink({
    ...sinkOptions,
    onInserted: () => {
      firstStoredMs ??= performance.now() - started;
    },
  });
  const cpu = await cpuMeter();
  const started = performance.now();
  await sink.start();
  const done = await waitForRows(clickhouse, organizationId, options.events);
  const used = await cpu.read();
  results.push({
    path: `sink (Kafka → Avro decode → dedup check of ${fmt(options['client-ids'] * 100)}% client ids → insert)`,
    rows: await countRows(clickhouse, organizationId),
    seconds: (done - started) / 1000,
    ...used,
  });
  await sink.stop();
  // Where the sink's time went: its own metrics time the inserts and the dedup checks before them.
  const insertSeconds = await metricSum('rg_sink_insert_seconds');
  const checkSeconds = await metricSum('rg_sink_dedup_check_seconds');
  console.log(
    `sink: first rows stored ${fmt(firstStoredMs ?? NaN)} ms after its start (fetches of up to ${fmt(config.kafka.fetchMaxBytes)} bytes, as the read-only paths below)`,
  );
  console.log(
    `sink: ${fmt(insertSeconds.count)} inserts took ${fmt(insertSeconds.sum, 1)} s and their dedup checks ${fmt(checkSeconds.sum, 1)} s of ${fmt((done - started) / 1000, 1)} s; ${fmt(await metricSum('rg_sink_duplicates_dropped_total').then((m) => m.value))} duplicates dropped, ${fmt(await metricSum('rg_sink_insert_failures_total').then((m) => m.value))} inserts retried`,
  );
}

// What reading alone costs: the same records read by a bare kafkajs consumer (fresh groups at the
// same start), without ClickHouse: fetched only, then fetched, Avro-decoded and turned into rows.
// No sink built on kafkajs and avsc in this process reads faster than these.
for (const [path, decode] of [
  ['read only (kafkajs fetch, no decode, no insert)', false],
  ['read + Avro decode + rows (no insert)', true],
] as const) {
  const { rows, seconds } = await readAll(`${groupId}-read-${decode ? 'decode' : 'fetch'}`, decode);
  results.push({ path, rows, seconds });
}

// 2. Baseline: the same rows, built beforehand, inserted straight into the same table.
{
  const rows: EventRow[] = published.map((event, n) =>
    rowOf(platform.catalog, { ...event, metadata: { ...event.metadata, organization_id: directOrganizationId } }, n),
  );
  const cpu = await cpuMeter();
  const started = performance.now();
  for (let first = 0; first < rows.length; first += options.batch) {
    await insertEventRows(clickhouse, `${clickhouse.database}.events`, rows.slice(first, first + options.batch));
  }
  const done = await waitForRows(clickhouse, directOrganizationId, rows.length);
  const used = await cpu.read();
  results.push({
    path: `baseline: direct inserts of ${fmt(options.batch)} (TabSeparated)`,
    rows: await countRows(clickhouse, directOrganizationId),
    seconds: (done - started) / 1000,
    ...used,
  });
}
published.length = 0;

// 3. Freshness under a steady load: publish ack → first seen in GET /api/v1/events.
const freshness = await measureFreshness();

await platform.close();

const direct = results[results.length - 1]!;
const rate = (r: { rows: number; seconds: number }) => r.rows / r.seconds;
const cpuPerRow = (seconds: number | undefined, rows: number) =>
  seconds === undefined ? '' : fmt((seconds * 1e6) / rows, 1);
table(
  results.map((r) => ({
    path: r.path,
    rows: fmt(r.rows),
    seconds: fmt(r.seconds, 1),
    'rows/s': fmt(rate(r)),
    'x direct': fmt(rate(r) / rate(direct), 2),
    'node CPU µs/row': cpuPerRow(r.nodeCpuSeconds, r.rows),
    'ClickHouse CPU µs/row': cpuPerRow(r.clickhouseCpuSeconds, r.rows),
  })),
);
console.log(
  "(CPU over each path's run: this process's, every thread (process.cpuUsage); ClickHouse's query threads' (system.events User+SystemTimeMicroseconds; background merges not included))",
);
console.log(`\nratio sink / direct inserts: ${fmt(rate(results[0]!) / rate(direct), 2)}x   (target >= 0.5x)`);
const f = summarize(freshness.latenciesMs);
console.log(
  `freshness at ${fmt(options.rate)} events/s for ${options.seconds} s: ${fmt(freshness.latenciesMs.length)} of ${fmt(freshness.published)} events seen; ack → listed p50 ${fmt(f.p50)} ms, p99 ${fmt(f.p99)} ms, max ${fmt(f.max)} ms   (target p99 <= 2,000 ms)`,
);
const stored = summarize(freshness.storedMs);
const pages = summarize(freshness.pageMs);
console.log(
  `  of which ack → insert acknowledged by ClickHouse: p50 ${fmt(stored.p50)} ms, p99 ${fmt(stored.p99)} ms; the poller's ${fmt(freshness.pageMs.length)} API pages took p50 ${fmt(pages.p50)} ms, p99 ${fmt(pages.p99)} ms`,
);

async function startGroupAt(group: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  for (const [topic, partitions] of startOffsets) await admin.setOffsets({ groupId: group, topic, partitions });
  await admin.disconnect();
}

/** Reads this run's records of the bench organization with a fresh group; the time from its start until all N are read. */
async function readAll(group: string, decode: boolean): Promise<{ rows: number; seconds: number }> {
  await startGroupAt(group);
  const consumer = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let read = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const started = performance.now();
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 64,
    eachBatch: async ({ batch }) => {
      const category = categoryOfTopic.get(batch.topic)!;
      for (const message of batch.messages) {
        if (!message.value) continue;
        if (decode) {
          const event = platform.codec.decodeKnown(message.value) ?? (await platform.codec.decode(message.value));
          if (event.metadata.organization_id !== organizationId) continue;
          toEventRow(
            event,
            category,
            platform.catalog.get(event.type)?.resourceKey ?? '',
            batch.partition,
            message.offset,
          );
        }
        read += 1;
      }
      if (read >= options.events) finish();
    },
  });
  await done;
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return { rows: read, seconds };
}

/** CPU used from now on, until `read()`: by this process (every thread), and by ClickHouse's query threads (inserts, checks). */
async function cpuMeter(): Promise<{ read: () => Promise<{ nodeCpuSeconds: number; clickhouseCpuSeconds: number }> }> {
  const clickhouseCpu = async () => {
    const rows = await clickhouse.query<{ value: string }>(
      sql`SELECT sum(value) AS value FROM system.events WHERE event IN ('UserTimeMicroseconds', 'SystemTimeMicroseconds')`,
    );
    return Number(rows[0]?.value ?? 0) / 1e6;
  };
  const node = process.cpuUsage();
  const clickhouseAtStart = await clickhouseCpu();
  return {
    async read() {
      const { user, system } = process.cpuUsage(node);
      return {
        nodeCpuSeconds: (user + system) / 1e6,
        clickhouseCpuSeconds: (await clickhouseCpu()) - clickhouseAtStart,
      };
    },
  };
}

/** A metric's value (counters) or sum and count (histograms), over all labels. */
async function metricSum(name: string): Promise<{ value: number; sum: number; count: number }> {
  const metric = platform.metrics.getSingleMetric(name);
  const values = metric ? ((await metric.get()).values as { value: number; metricName?: string }[]) : [];
  const total = (suffix: string) =>
    values.filter((v) => (v.metricName ?? name) === name + suffix).reduce((sum, v) => sum + v.value, 0);
  return { value: total(''), sum: total('_sum'), count: total('_count') };
}

async function measureFreshness(): Promise<{
  latenciesMs: number[];
  storedMs: number[];
  pageMs: number[];
  published: number;
}> {
  const sink = createSink({
    ...sinkOptions,
    onInserted: (ids) => {
      const now = performance.now();
      for (const id of ids()) if (!storedAt.has(id)) storedAt.set(id, now);
    },
  });
  await sink.start();
  const api = await startApi(platform, { port: 0 });
  const next = eventGenerator(freshOrganizationId, 11);
  const tickMs = 50;
  const perTick = Math.max(1, Math.round((options.rate * tickMs) / 1000));
  const ticks = Math.round((options.seconds * 1000) / tickMs);
  /** Published and not yet seen: id → created_at in ms. */
  const unseen = new Map<string, number>();
  const ackAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const storedAt = new Map<string, number>();
  const pageMs: number[] = [];
  let publishing = true;
  let total = 0;

  const publisher = (async () => {
    const t0 = performance.now();
    const pending: Promise<void>[] = [];
    for (let tick = 0; tick < ticks; tick += 1) {
      const wait = t0 + tick * tickMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const inputs = Array.from({ length: perTick }, (_, k) => {
        const { type, data, metadata } = next(Date.now(), tick * perTick + k);
        return { type, data, metadata: { user_id: metadata.user_id, request_id: metadata.request_id } };
      });
      total += inputs.length;
      pending.push(
        platform.producer.publish(inputs, { organizationId: freshOrganizationId }).then((events) => {
          const now = performance.now();
          for (const event of events) {
            ackAt.set(event.id, now);
            if (!seenAt.has(event.id)) unseen.set(event.id, Date.parse(event.created_at));
          }
        }),
      );
    }
    await Promise.all(pending);
    publishing = false;
  })();

  const poller = (async () => {
    const deadline = () => !publishing && performance.now() > pollUntil;
    let pollUntil = Number.POSITIVE_INFINITY;
    while (publishing || (unseen.size > 0 && !deadline())) {
      if (!publishing && pollUntil === Number.POSITIVE_INFINITY) pollUntil = performance.now() + 30_000;
      let oldest = Number.POSITIVE_INFINITY;
      for (const createdAt of unseen.values()) oldest = Math.min(oldest, createdAt);
      if (oldest === Number.POSITIVE_INFINITY) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      let cursor: string | null = null;
      const base = `${api.http.url}/api/v1/events?order=asc&limit=1000&since=${encodeURIComponent(new Date(oldest).toISOString())}`;
      do {
        const pageStart = performance.now();
        const response = await fetch(cursor ? `${base}&cursor=${cursor}` : base, {
          headers: { authorization: `Bearer ${key}` },
        });
        if (!response.ok) throw new Error(`GET /api/v1/events answered ${response.status}: ${await response.text()}`);
        const page = (await response.json()) as { data: { id: string }[]; next_cursor: string | null };
        pageMs.push(performance.now() - pageStart);
        const now = performance.now();
        for (const { id } of page.data) {
          if (seenAt.has(id)) continue;
          seenAt.set(id, now);
          unseen.delete(id);
        }
        cursor = page.next_cursor;
      } while (cursor);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  await Promise.all([publisher, poller]);
  await api.stop();
  await sink.stop();
  const latenciesMs = [...seenAt].filter(([id]) => ackAt.has(id)).map(([id, at]) => Math.max(0, at - ackAt.get(id)!));
  const storedMs = [...storedAt].filter(([id]) => ackAt.has(id)).map(([id, at]) => Math.max(0, at - ackAt.get(id)!));
  return { latenciesMs, storedMs, pageMs, published: total };
}
