-- The keys of history by resource: one row per event and resource id it carries, sorted by
-- (organization, resource kind, resource id, time, id), so a page of one session's (agent's,
-- team's, user's) events reads that resource's rows only, where the events table, sorted by
-- category and time, reads every event of the span. Keys only: a page's payloads are then read
-- from events by key. Filled by a materialized view on events; day partitions, dropped with theirs.
CREATE TABLE IF NOT EXISTS {db}.event_resources
(
    organization_id String,
    resource_kind String,
    resource_value String,
    created_at_ms UInt64,
    id String,
    category String,
    type String,
    created_at DateTime,
    agent_id String,
    session_id String,
    team_id String,
    user_id String,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, resource_kind, resource_value, created_at_ms, id);

-- The sink sets ingested_at on every row, so both tables hold the same value (a page's keys and
-- payloads are read under one snapshot); a view does not see a column's DEFAULT, hence now() for
-- rows inserted without it.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_resources_writer TO {db}.event_resources
AS SELECT organization_id, r.1 AS resource_kind, r.2 AS resource_value, created_at_ms, id, category, type, created_at, agent_id, session_id, team_id, user_id,
    if(ingested_at > toDateTime(0), ingested_at, now()) AS ingested_at
FROM {db}.events
ARRAY JOIN arrayFilter(x -> x.2 != '', [('agent_id', agent_id), ('session_id', session_id), ('team_id', team_id), ('user_id', user_id)]) AS r;

-- History stored before this migration (a rerun only adds copies that merge away).
INSERT INTO {db}.event_resources
SELECT organization_id, r.1 AS resource_kind, r.2 AS resource_value, created_at_ms, id, category, type, created_at, agent_id, session_id, team_id, user_id, ingested_at
FROM {db}.events
ARRAY JOIN arrayFilter(x -> x.2 != '', [('agent_id', agent_id), ('session_id', session_id), ('team_id', team_id), ('user_id', user_id)]) AS r;
