-- The dedup index of event history: one row per stored event id, sorted by (organization, id), so
-- the sink's check "which of these ids are stored already?" reads a few granules per id through
-- the primary index instead of a time range of the events table (whose key leads with time).
-- A materialized view fills it on every insert into events, after the events block is written:
-- an id found here is always in events too. Day partitions and TTL as events.
CREATE TABLE IF NOT EXISTS {db}.event_ids
(
    organization_id LowCardinality(String),
    id String,
    created_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, id)
TTL toDateTime(created_at) + toIntervalSecond(7776000)
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_ids_writer TO {db}.event_ids
AS SELECT organization_id, id, created_at FROM {db}.events;
