-- Event history, written by the sink service, read by GET /api/v1/events. ClickHouse 24.8 or newer.
-- One row per stored event: its keys in columns, the event's JSON as published in `payload` (served
-- as it is), and `data`, an alias reading the payload's `data` object (for JSONExtract* on its fields).
-- Copies of one event (a producer's retry, the sink re-reading after a crash) share the sort key
-- when they are the same record and are merged away by ReplacingMergeTree (the newest ingested_at
-- stays); pages also collapse copies by id. Day partitions; retention by TTL on the time an event
-- was stored, set from RG_HISTORY_RETENTION at provisioning (whole parts are dropped: ttl_only_drop_parts).
CREATE TABLE IF NOT EXISTS {db}.events
(
    organization_id LowCardinality(String),
    category LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    id String,
    type LowCardinality(String),
    agent_id String,
    session_id String,
    team_id String,
    user_id String,
    webhook_id String,
    resource_id String,
    payload String,
    data String ALIAS JSONExtractRaw(payload, 'data'),
    kafka_partition UInt32,
    kafka_offset UInt64,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, category, created_at, id)
TTL toDateTime(ingested_at) + toIntervalSecond(7776000)
SETTINGS ttl_only_drop_parts = 1;
