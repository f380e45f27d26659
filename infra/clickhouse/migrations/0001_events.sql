-- Event history, written by the sink service, read by GET /api/v1/events.
-- Runs on ClickHouse 18.16 and current releases alike: no DateTime64, no LowCardinality, no TTL.
-- created_at_ms keeps the millisecond precision that DateTime lacks; created_at serves partitioning.
-- Duplicates of one event (a producer's retry, the sink re-reading after a crash) share the sort key
-- and are merged away by ReplacingMergeTree; queries also collapse them (LIMIT 1 BY id).
CREATE TABLE IF NOT EXISTS {db}.events
(
    organization_id String,
    category String,
    created_at_ms UInt64,
    id String,
    type String,
    created_at DateTime,
    agent_id String,
    session_id String,
    team_id String,
    user_id String,
    webhook_id String,
    resource_id String,
    payload String,
    kafka_partition UInt32,
    kafka_offset UInt64,
    ingested_at DateTime DEFAULT now()
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, category, created_at_ms, id);
