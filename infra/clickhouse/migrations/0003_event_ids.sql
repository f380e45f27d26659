-- The dedup index of event history: one row per stored event id, sorted by (organization, id), so
-- the sink's check "which of these ids are stored already?" reads a few granules per id through
-- the primary index instead of a time range of the events table (whose key leads with time).
-- A materialized view fills it on every insert into events, after the events block is written:
-- an id found here is always in events too. Day partitions, dropped with the events' ones.
CREATE TABLE IF NOT EXISTS {db}.event_ids
(
    organization_id String,
    id String,
    created_at DateTime
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_ids_writer TO {db}.event_ids
AS SELECT organization_id, id, created_at FROM {db}.events;

-- History stored before this migration: its ids, once (a rerun only adds copies that merge away).
INSERT INTO {db}.event_ids SELECT organization_id, id, created_at FROM {db}.events;
