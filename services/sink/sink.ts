import type { Consumer, Kafka } from 'kafkajs';
import type { ClickHouse } from '../../core/clickhouse/client.js';
import { dateTime64Text, identifier, param, sql } from '../../core/clickhouse/sql.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import { EVENT_CATEGORIES, topicForCategory, type EventCategory } from '../../core/events/categories.js';
import type { EventCodec } from '../../core/events/codec.js';
import { errorMessage } from '../../core/errors/index.js';
import { tsvValue, toTabSeparatedLine } from '../../core/clickhouse/tab-separated.js';
import { EVENT_COLUMNS, toEventRow } from '../../core/history/rows.js';
import type { Logger } from '../../core/log/logger.js';
import {
  Counter,
  Gauge,
  getOrCreate,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '../../core/metrics/registry.js';
import { createBatcher } from '../../core/producer/batcher.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { createCommitTracker } from '../../core/kafka/commit-tracker.js';

export interface SinkOptions {
  kafka: Kafka;
  clickhouse: ClickHouse;
  codec: EventCodec;
  catalog: EventCatalog;
  logger: Logger;
  metrics: Registry;
  /** Consumer group (RG_SINK_GROUP). */
  groupId: string;
  /** Most rows in one insert. */
  batchRows: number;
  /** Longest wait to fill an insert, in ms. */
  flushIntervalMs: number;
  /** How far apart in created_at two copies of one event may be and still be recognized, in ms. */
  dedupWindowMs: number;
  /**
   * Called once ClickHouse acknowledged an insert, with a way to read its event ids (taken from
   * the lines only when asked). Instrumentation: the sink benchmark splits freshness with it.
   */
  onInserted?: (ids: () => string[]) => void;
}

/**
 * A record's row on its way into ClickHouse, as a TabSeparated line of EVENT_COLUMNS (the sink
 * appends `ingested_at` when it sends the insert): the read-ahead holds tens of thousands of rows,
 * and one flat string each, instead of an object of fifteen values, leaves the garbage collector
 * less to trace and copy. A row whose id the client sent also carries what its dedup check needs.
 */
type PendingRow = string | CheckedRow;
interface CheckedRow {
  line: string;
  organization_id: string;
  id: string;
  created_at_ms: number;
}

const lineOf = (row: PendingRow) => (typeof row === 'string' ? row : row.line);
/** The id of a line (its first column). */
const idOfLine = (line: string) => tsvValue(line.slice(0, line.indexOf('\t'))) ?? '';
const INSERT_COLUMNS = [...EVENT_COLUMNS, 'ingested_at'];

/** One event of one organization (two organizations may use the same id). */
const storedKey = (organizationId: string, id: string) => `${organizationId}\u0000${id}`;
/** A header holding `1` (the producer's "id assigned here" mark), compared without decoding a string. */
const isOne = (value: unknown) => (Buffer.isBuffer(value) ? value.length === 1 && value[0] === 0x31 : value === '1');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Sink batches' worth of rows read ahead of the inserts before reading pauses. */
const QUEUED_BATCHES = 3;
/** How often stored rows' offsets are committed, in ms. */
const COMMIT_INTERVAL_MS = 200;

/**
 * Kafka → ClickHouse. Every `events.*` partition's batches are decoded and pooled into large
 * inserts while reading goes on; a partition's offsets are committed only after ClickHouse
 * acknowledged its rows and those before them, so a crash re-reads at most what was not committed. Before an insert the sink drops the ids that
 * ClickHouse already holds (within `dedupWindowMs` of their created_at), so neither a re-read nor
 * a producer's retry of the same id shows twice; inserts are retried with backoff while
 * ClickHouse is down, and nothing is committed meanwhile.
 */
export function createSink(options: SinkOptions) {
  const { kafka, clickhouse, codec, catalog, logger, metrics } = options;
  const idsTable = identifier(`${clickhouse.database}.event_ids`);
  const rowsInserted = getOrCreate(
    metrics,
    'rg_sink_rows_inserted_total',
    () =>
      new Counter({
        name: 'rg_sink_rows_inserted_total',
        help: 'Event rows inserted into ClickHouse.',
        registers: [metrics],
      }),
  );
  const duplicates = getOrCreate(
    metrics,
    'rg_sink_duplicates_dropped_total',
    () =>
      new Counter({
        name: 'rg_sink_duplicates_dropped_total',
        help: 'Events dropped because their id was already stored.',
        registers: [metrics],
      }),
  );
  const insertSeconds = getOrCreate(
    metrics,
    'rg_sink_insert_seconds',
    () =>
      new Histogram({
        name: 'rg_sink_insert_seconds',
        help: 'Duration of one insert.',
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [metrics],
      }),
  );
  const checkSeconds = getOrCreate(
    metrics,
    'rg_sink_dedup_check_seconds',
    () =>
      new Histogram({
        name: 'rg_sink_dedup_check_seconds',
        help: 'Duration of the check for already stored ids before one insert.',
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [metrics],
      }),
  );
  const lag = getOrCreate(
    metrics,
    'rg_sink_consumer_lag',
    () =>
      new Gauge({
        name: 'rg_sink_consumer_lag',
        help: 'Records behind the partition end, per topic and partition.',
        labelNames: ['topic', 'partition'],
        registers: [metrics],
      }),
  );
  const failures = getOrCreate(
    metrics,
    'rg_sink_insert_failures_total',
    () =>
      new Counter({
        name: 'rg_sink_insert_failures_total',
        help: 'Inserts that failed and were retried.',
        registers: [metrics],
      }),
  );

  let stopping = false;

  // The batch's ids go to ClickHouse as external data (not SQL literals: a 10,000-id `IN (…)` costs
  // ClickHouse far more to parse than to answer) and are looked up in `event_ids`, sorted by
  // organization and id and filled by a materialized view on events: a few granules per id,
  // whatever the traffic around their time.
  async function existingIds(rows: CheckedRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    let min = Infinity;
    let max = -Infinity;
    for (const row of rows) {
      min = Math.min(min, row.created_at_ms);
      max = Math.max(max, row.created_at_ms);
    }
    // The window picks the day partitions to look in.
    const from = param.dateTime64(Math.max(0, min - options.dedupWindowMs));
    const to = param.dateTime64(max + options.dedupWindowMs);
    const stored = await clickhouse.queryWithTable<{ organization_id: string; id: string }>(
      sql`SELECT organization_id, id FROM ${idsTable} WHERE (organization_id, id) IN (SELECT organization_id, id FROM batch_keys) AND created_at BETWEEN ${from} AND ${to}`,
      { name: 'batch_keys', columns: ['organization_id', 'id'], rows },
    );
    return new Set(stored.map((row) => storedKey(row.organization_id, row.id)));
  }

  // Client-sent ids of the batches being checked or inserted now. Two batches are in flight at
  // once: a copy in the later one must not pass its check before the earlier one's insert lands.
  const inFlightKeys = new Set<string>();

  async function insert(rows: PendingRow[]): Promise<void> {
    // Before any wait: claim this batch's client-sent ids; one already claimed (by a batch in
    // flight, or earlier in this one) is a copy, dropped here. The claim ends with the insert.
    // A row whose id the producer assigned (a bare line) can only have copies that are re-reads
    // of the same record (same sort key, collapsed by ReplacingMergeTree and by queries): no check.
    const assigned: string[] = [];
    const checked: { row: CheckedRow; key: string }[] = [];
    for (const row of rows) {
      if (typeof row === 'string') {
        assigned.push(row);
        continue;
      }
      const key = storedKey(row.organization_id, row.id);
      if (inFlightKeys.has(key)) continue;
      inFlightKeys.add(key);
      checked.push({ row, key });
    }
    try {
      await insertFresh(rows.length, assigned, checked);
    } finally {
      for (const { key } of checked) inFlightKeys.delete(key);
    }
  }

  /** Inserts `assigned` and those of `checked` that ClickHouse does not hold yet (each key once: claimed above). */
  async function insertFresh(
    received: number,
    assigned: string[],
    checked: { row: CheckedRow; key: string }[],
  ): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const stopCheck = checkSeconds.startTimer();
        const stored = await existingIds(checked.map(({ row }) => row));
        stopCheck();
        const fresh = assigned.concat(checked.filter(({ key }) => !stored.has(key)).map(({ row }) => row.line));
        duplicates.inc(received - fresh.length);
        // Stamped as the insert is sent, not at decoding, and not by the column's DEFAULT (the
        // materialized views copy it as sent): a page's snapshot relies on it.
        const lineEnd = `\t${dateTime64Text(Date.now())}\n`;
        const stop = insertSeconds.startTimer();
        if (fresh.length > 0)
          await clickhouse.insertTabSeparated(
            `${clickhouse.database}.events`,
            INSERT_COLUMNS,
            fresh.join(lineEnd) + lineEnd,
          );
        stop();
        rowsInserted.inc(fresh.length);
        options.onInserted?.(() => fresh.map(idOfLine));
        return;
      } catch (error) {
        failures.inc();
        if (stopping) throw error;
        const delay = Math.min(30_000, 200 * 2 ** Math.min(attempt, 8));
        logger.warn('insert into ClickHouse failed, retrying', {
          rows: assigned.length + checked.length,
          attempt: attempt + 1,
          delay_ms: delay,
          error: errorMessage(error),
        });
        await sleep(delay);
      }
    }
  }

  const batcher = createBatcher<PendingRow>({
    lingerMs: options.flushIntervalMs,
    maxItems: options.batchRows,
    maxBytes: 64 * 1024 * 1024,
    maxInFlight: 2,
    sizeOf: (row) => lineOf(row).length,
    handle: insert,
  });
  const categoryOfTopic = new Map(EVENT_CATEGORIES.map((category) => [topicForCategory(category), category] as const));
  const topics = EVENT_CATEGORIES.map(topicForCategory);
  // Each Kafka batch is one unit on its first record: its offsets are committed once its rows are
  // stored, whatever the order in which the inserts of several partitions' batches complete.
  const tracker = createCommitTracker();
  // Rows handed to the batcher and not yet stored: reading pauses above the limit.
  let queuedRows = 0;
  const maxQueuedRows = options.batchRows * QUEUED_BATCHES;
  let consumer: Consumer | undefined;
  let commitTimer: NodeJS.Timeout | undefined;
  let committing = Promise.resolve();

  async function commit(): Promise<void> {
    const offsets = tracker.takeCommittable();
    if (offsets.length === 0 || !consumer) return;
    try {
      await consumer.commitOffsets(offsets);
    } catch (error) {
      // A rebalance in progress: the new owner re-reads from the last commit; a re-read record has
      // the sort key of its stored copy, so it collapses (history shows it once).
      logger.warn('offset commit failed', { error: errorMessage(error) });
    }
  }

  return {
    async start() {
      consumer = kafka.consumer({
        groupId: options.groupId,
        maxWaitTimeInMs: 100,
        sessionTimeout: 30_000,
        heartbeatInterval: 3000,
      });
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = payload.memberAssignment;
        tracker.retain((topic, partition) => (assigned[topic] ?? []).includes(partition));
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 64,
        // Returns once the rows are queued, not stored: reading goes on while inserts run, so an
        // event waits for the next insert, not for the fetch after the insert before it.
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          while (queuedRows >= maxQueuedRows && isRunning() && !isStale()) {
            await sleep(20);
            await heartbeat();
          }
          if (!isRunning() || isStale()) return;
          const category = categoryOfTopic.get(batch.topic) as EventCategory;
          const rows: PendingRow[] = [];
          for (const message of batch.messages) {
            if (!message.value) continue;
            try {
              // Known schemas decode in place, without a promise per record.
              const event = codec.decodeKnown(message.value) ?? (await codec.decode(message.value));
              const entry = catalog.get(event.type);
              const row = toEventRow(event, category, entry?.resourceKey ?? '', batch.partition, message.offset);
              const line = toTabSeparatedLine(row, EVENT_COLUMNS);
              rows.push(
                isOne(message.headers?.[EVENT_HEADERS.idAssigned])
                  ? line
                  : { line, organization_id: row.organization_id, id: row.id, created_at_ms: row.created_at_ms },
              );
            } catch (error) {
              logger.error('undecodable record skipped', {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                error: errorMessage(error),
              });
            }
          }
          const { topic, partition } = batch;
          const first = batch.messages[0]!.offset;
          const last = batch.messages[batch.messages.length - 1]!.offset;
          const settle = tracker.add(topic, partition, first, 1);
          tracker.add(topic, partition, last, 0);
          queuedRows += rows.length;
          batcher
            .add(rows)
            .then(
              settle,
              // Only while stopping: left unsettled, so never committed; the next owner re-reads it.
              (error: unknown) =>
                logger.warn('rows not stored before shutdown; they will be read again', {
                  topic,
                  partition,
                  first_offset: first,
                  error: errorMessage(error),
                }),
            )
            .finally(() => {
              queuedRows -= rows.length;
            });
          resolveOffset(last);
          lag.set(
            { topic, partition: String(partition) },
            Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)),
          );
          await heartbeat();
        },
      });
      commitTimer = setInterval(() => {
        committing = committing.then(commit);
      }, COMMIT_INTERVAL_MS);
    },
    /** Stops reading, stores what was read (unless ClickHouse is down), commits it, leaves the group. */
    async stop() {
      stopping = true;
      clearInterval(commitTimer);
      // Paused, not stopped: the group membership is needed for the last commit.
      consumer?.pause(topics.map((topic) => ({ topic })));
      await batcher.flush().catch(() => undefined);
      await committing;
      await commit();
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
