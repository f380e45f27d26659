-- The webhook delivery log: one row per attempt, written in batches by the dispatcher and the
-- retry workers, read by GET /api/v1/webhooks/{id}/deliveries (newest first). Nullable for what an
-- attempt may lack (no HTTP status on a refused connection, no next try after the last).
-- Plain MergeTree: every attempt is a fact of its own, a repeated attempt after a crash included.
-- Day partitions; retention by TTL, set from RG_WEBHOOK_DELIVERY_LOG_RETENTION at provisioning.
CREATE TABLE IF NOT EXISTS {db}.webhook_deliveries
(
    organization_id LowCardinality(String),
    webhook_id String,
    attempted_at DateTime64(3, 'UTC'),
    delivery_id String,
    event_id String,
    event_type LowCardinality(String),
    attempt UInt32,
    url String,
    status_code Nullable(UInt16),
    duration_ms UInt32,
    error String,
    next_retry_at Nullable(DateTime64(3, 'UTC')),
    state LowCardinality(String),
    recorded_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(attempted_at)
ORDER BY (organization_id, webhook_id, attempted_at, delivery_id, attempt)
TTL toDateTime(attempted_at) + toIntervalSecond(2592000)
SETTINGS ttl_only_drop_parts = 1;
