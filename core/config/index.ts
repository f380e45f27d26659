import { createHash } from 'node:crypto';
import { ConfigError } from '../errors/index.js';
import { createEnvReader, deepFreeze, type Environment } from './parse.js';

export { parseDurationMs, type Environment } from './parse.js';

/** One API key and the organization it belongs to; `organizationId` is `*` for an admin key. */
export interface ApiKey {
  key: string;
  organizationId: string;
  admin: boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface KafkaConfig {
  /** `host:port` pairs (RG_KAFKA_BROKERS, default `127.0.0.1:9092`). */
  brokers: string[];
  /** Client id prefix sent to the broker (RG_KAFKA_CLIENT_ID, default `resonant-events`). */
  clientId: string;
  /** Partitions of each `events.<category>` topic when it is created (RG_TOPIC_PARTITIONS, default 6). */
  topicPartitions: number;
  /** How long Kafka keeps events, in ms (RG_TOPIC_RETENTION, default `7d`). Bounds SSE resume and replay. */
  topicRetentionMs: number;
  /** Replication factor of created topics (RG_TOPIC_REPLICATION, default 1). */
  topicReplication: number;
  /** Timeout of one request to a broker, in ms (RG_KAFKA_REQUEST_TIMEOUT, default `30s`). */
  requestTimeoutMs: number;
  /** Most bytes of records one consumer fetch brings, over all its partitions (RG_KAFKA_FETCH_MAX_BYTES, default 1 MiB). */
  fetchMaxBytes: number;
  /** Compression of produced record batches (RG_KAFKA_COMPRESSION: `none` or `gzip`, default `gzip`). */
  compression: 'none' | 'gzip';
  /** Longest wait to fill a produce batch, in ms (RG_PRODUCER_LINGER, default `5ms`). */
  producerLingerMs: number;
  /** Most events in one produce request (RG_PRODUCER_MAX_BATCH, default 2000). */
  producerMaxBatchEvents: number;
  /** Produce requests in flight at once (RG_PRODUCER_MAX_IN_FLIGHT, 1–5, default 5). */
  producerMaxInFlight: number;
}

export interface SchemaRegistryConfig {
  /** Confluent-compatible API base URL (RG_SCHEMA_REGISTRY_URL, default `http://127.0.0.1:8081/apis/ccompat/v7`). */
  url: string;
}

export interface ClickHouseConfig {
  /** HTTP interface (RG_CLICKHOUSE_URL, default `http://127.0.0.1:8123`). */
  url: string;
  /** Database holding the platform's tables (RG_CLICKHOUSE_DATABASE, default `resonant`). */
  database: string;
  /** RG_CLICKHOUSE_USER, default `default`. */
  username: string;
  /** RG_CLICKHOUSE_PASSWORD, default empty. */
  password: string;
  /** Timeout of one query, in ms (RG_CLICKHOUSE_TIMEOUT, default `30s`). */
  requestTimeoutMs: number;
}

export interface ApiConfig {
  /** RG_API_HOST, default `127.0.0.1`. */
  host: string;
  /** RG_API_PORT, default 8080. */
  port: number;
  /** RG_API_KEYS: comma-separated `key:organization_id` pairs; `key:*` is an admin key. */
  keys: ApiKey[];
  /** Largest request body, in bytes (RG_API_MAX_BODY_BYTES, default 5 MiB). */
  maxBodyBytes: number;
  /** Most events in one publish batch (RG_API_MAX_BATCH, default 1000). */
  maxBatchEvents: number;
  /** Origins allowed by CORS, `*` for any (RG_API_CORS_ORIGINS, default none). */
  corsOrigins: string[];
}

export interface WebhookConfig {
  /** Let webhooks and replays target loopback and private addresses (RG_WEBHOOK_ALLOW_PRIVATE, default false). */
  allowPrivate: boolean;
  /** Delays between attempts, in ms (RG_WEBHOOK_RETRY_SCHEDULE; the default reaches about three days). */
  retryScheduleMs: number[];
  /** Timeout of one delivery attempt, in ms (RG_WEBHOOK_TIMEOUT, default `10s`). */
  timeoutMs: number;
  /** How long a rotated-out secret keeps signing, in ms (RG_WEBHOOK_SECRET_GRACE, default `24h`). */
  secretGraceMs: number;
  /** Most webhooks one organization may have (RG_WEBHOOK_MAX_PER_ORGANIZATION, default 100). */
  maxPerOrganization: number;
}

export interface HistoryConfig {
  /** Consumer group of the sink (RG_SINK_GROUP, default `rg-sink`). */
  sinkGroupId: string;
  /** Most rows in one insert (RG_SINK_BATCH_ROWS, default 10000). */
  sinkBatchRows: number;
  /** Longest wait to fill an insert, in ms (RG_SINK_FLUSH_INTERVAL, default `200ms`). */
  sinkFlushIntervalMs: number;
  /** How far apart in created_at two copies of one id are still recognized, in ms (RG_SINK_DEDUP_WINDOW, default `1h`). */
  dedupWindowMs: number;
  /** How long history keeps an event after it was stored, in ms (RG_HISTORY_RETENTION, default `90d`). */
  retentionMs: number;
  /** Secret that signs pagination cursors (RG_CURSOR_SECRET; default derived from RG_API_KEYS, so every API process of one deployment agrees). */
  cursorSecret: string;
}

export interface ReplayConfig {
  /** Consumer group of the replay workers (RG_REPLAY_GROUP, default `rg-replayer`). */
  groupId: string;
  /** Replays one worker runs at once (RG_REPLAY_MAX_RUNNING, default 4). */
  maxRunning: number;
  /** Partitions one replay delivers at once (RG_REPLAY_CONCURRENCY, default 8). */
  concurrency: number;
  /** Most deliveries per second of one replay, 0 for no limit (RG_REPLAY_MAX_RATE, default 0). */
  maxRatePerSecond: number;
  /** How often a replay's progress is saved, in ms (RG_REPLAY_CHECKPOINT_INTERVAL, default `1s`). */
  checkpointIntervalMs: number;
  /** How long `POST /events/replay` waits for the count of events, in ms (RG_REPLAY_COUNT_WAIT, default `20s`). */
  countWaitMs: number;
}

export interface DispatcherConfig {
  /** Consumer group of the dispatchers on `events.*` (RG_DISPATCHER_GROUP, default `rg-dispatcher`). */
  groupId: string;
  /** Consumer group of the retry workers on `webhooks.retries` (RG_DISPATCHER_RETRY_GROUP, default `rg-dispatcher-retries`). */
  retryGroupId: string;
  /** Requests in flight at once to one endpoint, per process (RG_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT, default 16). */
  maxConcurrencyPerEndpoint: number;
  /** Deliveries waiting for a free slot of one endpoint before more go to the retry store (RG_WEBHOOK_MAX_QUEUED_PER_ENDPOINT, default 10000: half the dispatcher's 20,000 unsettled deliveries, so a burst to a few healthy endpoints is queued, not parked, and a slow endpoint holds at most half). */
  maxQueuedPerEndpoint: number;
  /** An endpoint failing without a success for this long is disabled, in ms (RG_WEBHOOK_DISABLE_AFTER, default `5d`). */
  disableAfterMs: number;
  /** Partitions of `webhooks.retries` when it is created (RG_WEBHOOK_RETRY_PARTITIONS, default 6). */
  retryPartitions: number;
  /** How long the delivery log keeps attempts, in ms; older day partitions are dropped (RG_WEBHOOK_DELIVERY_LOG_RETENTION, default `30d`). */
  deliveryLogRetentionMs: number;
}

export interface StreamConfig {
  /** Interval between heartbeat comments on an idle stream, in ms (RG_STREAM_HEARTBEAT, default `15s`). */
  heartbeatMs: number;
  /** The `retry:` hint sent to clients: how long to wait before reconnecting, in ms (RG_STREAM_RETRY_HINT, default `2s`). */
  retryHintMs: number;
  /** Bytes one client may have waiting (unsent in the socket, or held while it catches up) before it is cut off (RG_STREAM_MAX_BUFFERED_BYTES, default 1 MiB). */
  maxBufferedBytes: number;
  /** Open streams one API key may hold at once; more answer 429 (RG_STREAM_MAX_CONNECTIONS_PER_KEY, default 100). */
  maxConnectionsPerKey: number;
  /** How long a connection remembers the event ids it sent, to drop a republished id, in ms (RG_STREAM_DEDUP_WINDOW, default `10m`). */
  dedupWindowMs: number;
  /** Most event ids one connection remembers for that (RG_STREAM_DEDUP_MAX_IDS, default 10000). */
  dedupMaxIds: number;
  /** Resumes (Kafka catch-up readers) running at once per process; more wait their turn (RG_STREAM_MAX_CATCH_UPS, default 16). */
  maxConcurrentCatchUps: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  /** RG_LOG_LEVEL, default `info`. */
  logLevel: LogLevel;
  /** Run the demo stream of the guide's events (RG_DEMO, default `on`). */
  demo: boolean;
  api: ApiConfig;
  kafka: KafkaConfig;
  schemaRegistry: SchemaRegistryConfig;
  clickhouse: ClickHouseConfig;
  webhooks: WebhookConfig;
  dispatcher: DispatcherConfig;
  replay: ReplayConfig;
  history: HistoryConfig;
  stream: StreamConfig;
}

/** The local stack's development keys, used when RG_API_KEYS is not set. */
export const DEFAULT_API_KEYS = 'rg_dev_demo_key:org_demo,rg_dev_admin_key:*';
export const DEFAULT_RETRY_SCHEDULE = '5s,30s,5m,30m,2h,5h,10h,14h,20h,24h';
export const DEFAULT_REPLAY_GROUP = 'rg-replayer';

export function parseApiKeys(variable: string, text: string): ApiKey[] {
  const keys = text
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf(':');
      const key = pair.slice(0, at).trim();
      const organizationId = pair.slice(at + 1).trim();
      if (at <= 0 || !organizationId)
        throw new ConfigError(
          variable,
          `expected key:organization_id pairs, got "${pair.replace(/^(.{4}).*$/, '$1…')}"`,
        );
      if (key.length < 8) throw new ConfigError(variable, 'every key must be at least 8 characters long');
      if (organizationId !== '*' && !/^[A-Za-z0-9_.-]{1,128}$/.test(organizationId)) {
        throw new ConfigError(variable, `"${organizationId}" is not a valid organization id (letters, digits, _ . -)`);
      }
      return { key, organizationId, admin: organizationId === '*' };
    });
  if (keys.length === 0) throw new ConfigError(variable, 'at least one key is required');
  const seen = new Set<string>();
  for (const { key } of keys) {
    if (seen.has(key)) throw new ConfigError(variable, 'a key is listed twice');
    seen.add(key);
  }
  return keys;
}

/**
 * Builds the platform's configuration from an environment, validating every value once.
 * A bad value throws a ConfigError naming the variable. The result is deeply frozen.
 */
export function loadConfig(env: Environment): Config {
  const read = createEnvReader(env);
  const config: Config = {
    env: read.oneOf('RG_ENV', 'development', ['development', 'production', 'test'] as const),
    logLevel: read.oneOf('RG_LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
    demo: read.boolean('RG_DEMO', true),
    api: {
      host: read.string('RG_API_HOST', '127.0.0.1'),
      port: read.integer('RG_API_PORT', 8080, { min: 0, max: 65535 }),
      keys: parseApiKeys('RG_API_KEYS', read.string('RG_API_KEYS', DEFAULT_API_KEYS)),
      maxBodyBytes: read.integer('RG_API_MAX_BODY_BYTES', 5 * 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024 }),
      maxBatchEvents: read.integer('RG_API_MAX_BATCH', 1000, { min: 1, max: 10_000 }),
      corsOrigins: read.list('RG_API_CORS_ORIGINS', ''),
    },
    kafka: {
      brokers: read.list('RG_KAFKA_BROKERS', '127.0.0.1:9092'),
      clientId: read.string('RG_KAFKA_CLIENT_ID', 'resonant-events'),
      topicPartitions: read.integer('RG_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
      topicRetentionMs: read.durationMs('RG_TOPIC_RETENTION', '7d', { minMs: 60_000 }),
      topicReplication: read.integer('RG_TOPIC_REPLICATION', 1, { min: 1, max: 10 }),
      requestTimeoutMs: read.durationMs('RG_KAFKA_REQUEST_TIMEOUT', '30s', { minMs: 100 }),
      fetchMaxBytes: read.integer('RG_KAFKA_FETCH_MAX_BYTES', 1024 * 1024, { min: 64 * 1024, max: 256 * 1024 * 1024 }),
      compression: read.oneOf('RG_KAFKA_COMPRESSION', 'gzip', ['none', 'gzip'] as const),
      producerLingerMs: read.durationMs('RG_PRODUCER_LINGER', '5ms', { maxMs: 1000 }),
      producerMaxBatchEvents: read.integer('RG_PRODUCER_MAX_BATCH', 2000, { min: 1, max: 100_000 }),
      producerMaxInFlight: read.integer('RG_PRODUCER_MAX_IN_FLIGHT', 5, { min: 1, max: 5 }),
    },
    schemaRegistry: {
      url: read.url('RG_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7'),
    },
    clickhouse: {
      url: read.url('RG_CLICKHOUSE_URL', 'http://127.0.0.1:8123'),
      database: read.string('RG_CLICKHOUSE_DATABASE', 'resonant'),
      username: read.string('RG_CLICKHOUSE_USER', 'default'),
      password: env.RG_CLICKHOUSE_PASSWORD ?? '',
      requestTimeoutMs: read.durationMs('RG_CLICKHOUSE_TIMEOUT', '30s', { minMs: 100 }),
    },
    webhooks: {
      allowPrivate: read.boolean('RG_WEBHOOK_ALLOW_PRIVATE', false),
      retryScheduleMs: read.durationListMs('RG_WEBHOOK_RETRY_SCHEDULE', DEFAULT_RETRY_SCHEDULE),
      timeoutMs: read.durationMs('RG_WEBHOOK_TIMEOUT', '10s', { minMs: 100, maxMs: 120_000 }),
      secretGraceMs: read.durationMs('RG_WEBHOOK_SECRET_GRACE', '24h', { minMs: 0, maxMs: 30 * 86_400_000 }),
      maxPerOrganization: read.integer('RG_WEBHOOK_MAX_PER_ORGANIZATION', 100, { min: 1, max: 10_000 }),
    },
    dispatcher: {
      groupId: read.string('RG_DISPATCHER_GROUP', 'rg-dispatcher'),
      retryGroupId: read.string('RG_DISPATCHER_RETRY_GROUP', 'rg-dispatcher-retries'),
      maxConcurrencyPerEndpoint: read.integer('RG_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT', 16, { min: 1, max: 1024 }),
      maxQueuedPerEndpoint: read.integer('RG_WEBHOOK_MAX_QUEUED_PER_ENDPOINT', 10_000, { min: 0, max: 1_000_000 }),
      disableAfterMs: read.durationMs('RG_WEBHOOK_DISABLE_AFTER', '5d', { minMs: 1000 }),
      retryPartitions: read.integer('RG_WEBHOOK_RETRY_PARTITIONS', 6, { min: 1, max: 1000 }),
      deliveryLogRetentionMs: read.durationMs('RG_WEBHOOK_DELIVERY_LOG_RETENTION', '30d', { minMs: 86_400_000 }),
    },
    history: {
      sinkGroupId: read.string('RG_SINK_GROUP', 'rg-sink'),
      sinkBatchRows: read.integer('RG_SINK_BATCH_ROWS', 10_000, { min: 1, max: 1_000_000 }),
      sinkFlushIntervalMs: read.durationMs('RG_SINK_FLUSH_INTERVAL', '200ms', { minMs: 1, maxMs: 60_000 }),
      dedupWindowMs: read.durationMs('RG_SINK_DEDUP_WINDOW', '1h', { minMs: 0 }),
      retentionMs: read.durationMs('RG_HISTORY_RETENTION', '90d', { minMs: 86_400_000 }),
      cursorSecret:
        read.optionalString('RG_CURSOR_SECRET') ??
        createHash('sha256')
          .update(`cursor:${read.string('RG_API_KEYS', DEFAULT_API_KEYS)}`)
          .digest('hex'),
    },
    replay: {
      groupId: read.string('RG_REPLAY_GROUP', DEFAULT_REPLAY_GROUP),
      maxRunning: read.integer('RG_REPLAY_MAX_RUNNING', 4, { min: 1, max: 100 }),
      concurrency: read.integer('RG_REPLAY_CONCURRENCY', 8, { min: 1, max: 256 }),
      maxRatePerSecond: read.integer('RG_REPLAY_MAX_RATE', 0, { min: 0 }),
      checkpointIntervalMs: read.durationMs('RG_REPLAY_CHECKPOINT_INTERVAL', '1s', { minMs: 10 }),
      countWaitMs: read.durationMs('RG_REPLAY_COUNT_WAIT', '20s', { minMs: 0 }),
    },
    stream: {
      heartbeatMs: read.durationMs('RG_STREAM_HEARTBEAT', '15s', { minMs: 100, maxMs: 600_000 }),
      retryHintMs: read.durationMs('RG_STREAM_RETRY_HINT', '2s', { minMs: 0, maxMs: 600_000 }),
      maxBufferedBytes: read.integer('RG_STREAM_MAX_BUFFERED_BYTES', 1024 * 1024, {
        min: 1024,
        max: 1024 * 1024 * 1024,
      }),
      maxConnectionsPerKey: read.integer('RG_STREAM_MAX_CONNECTIONS_PER_KEY', 100, { min: 1, max: 1_000_000 }),
      dedupWindowMs: read.durationMs('RG_STREAM_DEDUP_WINDOW', '10m', { minMs: 0 }),
      dedupMaxIds: read.integer('RG_STREAM_DEDUP_MAX_IDS', 10_000, { min: 0, max: 10_000_000 }),
      maxConcurrentCatchUps: read.integer('RG_STREAM_MAX_CATCH_UPS', 16, { min: 1, max: 1000 }),
    },
  };

  if (config.kafka.brokers.length === 0) throw new ConfigError('RG_KAFKA_BROKERS', 'at least one broker is required');
  for (const broker of config.kafka.brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) throw new ConfigError('RG_KAFKA_BROKERS', `"${broker}" is not host:port`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(config.clickhouse.database)) {
    throw new ConfigError('RG_CLICKHOUSE_DATABASE', 'must be a plain identifier (letters, digits, _)');
  }
  return deepFreeze(config);
}

/**
 * The one place that reads the process environment. Services call this in their `main` and pass
 * the frozen result down; nothing deeper reads `process.env`.
 */
export function configFromProcessEnv(): Config {
  return loadConfig(process.env);
}

/** The variables that say where the stack's parts listen (a second checkout may run its stack on other ports). */
const STACK_ADDRESS_VARIABLES = ['RG_KAFKA_BROKERS', 'RG_SCHEMA_REGISTRY_URL', 'RG_CLICKHOUSE_URL'] as const;

/**
 * The process's stack addresses, for a test suite that builds its configuration from an object:
 * the suite then runs against whichever stack the caller's environment names (the defaults
 * otherwise).
 */
export function stackAddressesFromProcessEnv(): Environment {
  const picked: Record<string, string> = {};
  for (const name of STACK_ADDRESS_VARIABLES) {
    const value = process.env[name];
    if (value) picked[name] = value;
  }
  return picked;
}
