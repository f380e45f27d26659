-- History by resource: one row per event and resource id it carries (agent, session, team, user),
-- sorted by (organization, resource kind, resource id, time, id), payload included, so a page of
-- one session's (agent's, team's, user's) events reads that resource's rows only, keys and
-- payloads, where events, sorted by category and time, holds them among every event of the span.
-- The cost: each payload is stored once more per resource id it carries. Filled by a materialized
-- view on events (ingested_at as the sink sent it: a page's keys and payloads read one snapshot).
-- Day partitions and TTL as events.
CREATE TABLE IF NOT EXISTS {db}.events_by_resource
(
    organization_id LowCardinality(String),
    resource_kind LowCardinality(String),
    resource_value String,
    created_at DateTime64(3, 'UTC'),
    id String,
    category LowCardinality(String),
    type LowCardinality(String),
    agent_id String,
    session_id String,
    team_id String,
    user_id String,
    payload String,
    data String ALIAS JSONExtractRaw(payload, 'data'),
    ingested_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, resource_kind, resource_value, created_at, id)
TTL toDateTime(ingested_at) + toIntervalSecond(7776000)
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.events_by_resource_writer TO {db}.events_by_resource
AS SELECT organization_id, r.1 AS resource_kind, r.2 AS resource_value, created_at, id, category, type,
    agent_id, session_id, team_id, user_id, payload, ingested_at
FROM {db}.events
ARRAY JOIN arrayFilter(x -> x.2 != '', [('agent_id', agent_id), ('session_id', session_id), ('team_id', team_id), ('user_id', user_id)]) AS r;
