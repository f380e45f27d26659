-- History by resource, payloads included: `event_resources` (0004) held keys only, so a session's
-- page read its payloads from `events`, where that session's rows lie among every other event of
-- the page's time span (its payloads step read the `id` column of every session event of those
-- hours). Here a resource's page reads its keys and then its payloads from its own rows. The cost:
-- each payload is stored once more per resource id it carries (agent, session, team, user).
-- Replaces `event_resources`: same sort key, day partitions, dropped with those of `events`.

CREATE TABLE IF NOT EXISTS {db}.events_by_resource
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
    payload String,
    ingested_at DateTime
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMMDD(created_at)
ORDER BY (organization_id, resource_kind, resource_value, created_at_ms, id);

-- As in 0004: ingested_at as the sink sent it (a view does not see a column's DEFAULT).
-- Created before the old view is dropped, so no insert meanwhile misses both.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.events_by_resource_writer TO {db}.events_by_resource
AS SELECT organization_id, r.1 AS resource_kind, r.2 AS resource_value, created_at_ms, id, category, type, created_at, agent_id, session_id, team_id, user_id, payload,
    if(ingested_at > toDateTime(0), ingested_at, now()) AS ingested_at
FROM {db}.events
ARRAY JOIN arrayFilter(x -> x.2 != '', [('agent_id', agent_id), ('session_id', session_id), ('team_id', team_id), ('user_id', user_id)]) AS r;

-- History stored before this migration (a rerun, or an insert the view also copied meanwhile, only
-- adds copies of the same key, which merge away and which pages drop by id).
INSERT INTO {db}.events_by_resource
SELECT organization_id, r.1 AS resource_kind, r.2 AS resource_value, created_at_ms, id, category, type, created_at, agent_id, session_id, team_id, user_id, payload, ingested_at
FROM {db}.events
ARRAY JOIN arrayFilter(x -> x.2 != '', [('agent_id', agent_id), ('session_id', session_id), ('team_id', team_id), ('user_id', user_id)]) AS r;

DROP TABLE IF EXISTS {db}.event_resources_writer;

DROP TABLE IF EXISTS {db}.event_resources;
