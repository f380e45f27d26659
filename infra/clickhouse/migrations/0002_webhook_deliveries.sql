-- The webhook delivery log: one row per attempt, written in batches by the dispatcher and the
-- retry workers, read by GET /api/v1/webhooks/{id}/deliveries (newest first).
-- 18.16-compatible: no DateTime64 (attempted_at_ms keeps the milliseconds; attempted_at serves
-- partitioning), Nullable for what an attempt may lack (no HTTP status on a refused connection).
-- Plain MergeTree: every attempt is a fact of its own, a repeated attempt after a crash included.
CREATE TABLE IF NOT EXISTS {db}.webhook_deliveries
(
    organization_id String,
    webhook_id String,
    attempted_at_ms UInt64,
    attempted_at DateTime,
    delivery_id String,
    event_id String,
    event_type String,
    attempt UInt32,
    url String,
    status_code Nullable(UInt16),
    duration_ms UInt32,
    error String,
    next_retry_at_ms Nullable(UInt64),
    state String,
    recorded_at DateTime DEFAULT now()
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(attempted_at)
ORDER BY (organization_id, webhook_id, attempted_at_ms, delivery_id, attempt);
