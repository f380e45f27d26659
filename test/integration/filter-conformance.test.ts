import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCatalog } from '../../core/events/catalog.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { resourcesOf } from '../../core/events/resources.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import {
  CONFORMANCE_CASES,
  CONFORMANCE_COLUMNS,
  storedConformanceEvents,
} from '../../core/filter/conformance-cases.js';
import { compileMatcher, compileSql, type FilterColumns, resolveFilter } from '../../core/filter/index.js';
import { testConfig } from '../support/config.js';

/*
 * The ClickHouse half of the filter conformance suite: the cases' events in a table of the
 * history's shape on the real ClickHouse, each case's filter compiled to SQL with typed parameters,
 * and the rows it selects compared with the expected result and with the in-process matcher on
 * every event. Filters need ClickHouse ≥ 24.8 (typed parameters, JSON functions): on an older one,
 * every case fails saying so.
 */

const MINIMUM_VERSION = [24, 8] as const;
const catalog = eventCatalog();
const events = storedConformanceEvents(catalog);
const config = testConfig().clickhouse;
const table = `${config.database}.filter_conformance_${process.pid}_${Date.now().toString(36)}`;
let client: ClickHouseClient;
/** Why this ClickHouse cannot run filters (too old); every case then fails with it, none is skipped. */
let unsupported: string | undefined;

/** The two ways history may hold an event: its data as its own column, or inside the whole event. */
const LAYOUTS: { name: string; columns: FilterColumns }[] = [
  { name: 'data column', columns: CONFORMANCE_COLUMNS },
  { name: 'whole event', columns: { ...CONFORMANCE_COLUMNS, data: 'payload', dataKeys: ['data'] } },
];

function row(name: string, event: PlatformEvent) {
  const resources = resourcesOf(event);
  return {
    name,
    type: event.type,
    session_id: resources.session_id ?? '',
    agent_id: resources.agent_id ?? '',
    team_id: resources.team_id ?? '',
    user_id: resources.user_id ?? '',
    data: JSON.stringify(event.data),
    payload: JSON.stringify(event),
  };
}

async function select<Row>(query: string, params: Record<string, unknown> = {}): Promise<Row[]> {
  const result = await client.query({ query, format: 'JSONEachRow', query_params: params });
  return (await result.json()) as Row[];
}

beforeAll(async () => {
  client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    request_timeout: config.requestTimeoutMs,
  });
  const [{ version } = { version: '' }] = await select<{ version: string }>('SELECT version() AS version');
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < MINIMUM_VERSION[0] || (major === MINIMUM_VERSION[0] && minor < MINIMUM_VERSION[1])) {
    unsupported = `filters need ClickHouse ≥ ${MINIMUM_VERSION.join('.')} (typed query parameters, JSON functions); ${config.url} runs ${version}`;
    return;
  }
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${config.database}` });
  await client.command({
    query: `CREATE TABLE ${table} (
      name String, type LowCardinality(String),
      session_id String, agent_id String, team_id String, user_id String,
      data String, payload String
    ) ENGINE = MergeTree ORDER BY name`,
  });
  const rows = [...events].map(([name, event]) => row(name, event));
  await client.insert({ table, values: rows, format: 'JSONEachRow' });
  // The rows arrive intact (NUL, quotes, backslashes, emoji), or nothing below would mean anything.
  const stored = await select<{ name: string; data: string; payload: string }>(
    `SELECT name, data, payload FROM ${table} ORDER BY name`,
  );
  expect(stored).toEqual(
    rows.map(({ name, data, payload }) => ({ name, data, payload })).sort((a, b) => (a.name < b.name ? -1 : 1)),
  );
}, 60_000);

afterAll(async () => {
  if (!unsupported) await client?.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
  await client?.close();
});

describe.each(LAYOUTS)('filter conformance suite on ClickHouse ($name)', ({ columns }) => {
  it.each(CONFORMANCE_CASES.map((c) => [`${c.about}: ${c.filter}`, c] as const))('%s', async (_, c) => {
    if (unsupported) throw new Error(unsupported);
    const types = c.types ? resolveTypeFilter(catalog, c.types).filter! : undefined;
    const { filter, errors } = resolveFilter(c.filter, catalog, types ? { types } : {});
    expect(errors).toBeUndefined();
    const { sql, params } = compileSql(filter!, columns);
    const values = Object.fromEntries(Object.entries(params).map(([name, param]) => [name, param.value]));
    const selected = (
      await select<{ name: string }>(`SELECT name FROM ${table} WHERE ${sql} ORDER BY name`, values)
    ).map((r) => r.name);
    expect(selected.includes(c.event), sql).toBe(c.expected);
    // Every event, not only the case's: ClickHouse selects exactly what the in-process matcher accepts.
    const matches = compileMatcher(filter!);
    const accepted = [...events]
      .filter(([, event]) => matches(event))
      .map(([name]) => name)
      .sort();
    expect(selected, sql).toEqual(accepted);
  });
});
