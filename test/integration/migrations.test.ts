import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, type ClickHouse } from '../../core/clickhouse/client.js';
import { migrate } from '../../core/clickhouse/migrate.js';
import { applyRetention } from '../../core/clickhouse/ttl.js';
import { dateTime64Text, identifier, sql } from '../../core/clickhouse/sql.js';
import { eventCatalog } from '../../core/events/catalog.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import { listEvents, type ListQuery } from '../../core/history/query.js';
import { insertEventRows, toEventRow } from '../../core/history/rows.js';
import { retentionRules } from '../../core/provision.js';
import { testConfig, uniqueOrganization } from '../support/config.js';

const DAY = 86_400_000;

// The migrations on a scratch database of their own, and the retention (TTL) that provisioning sets.
describe('ClickHouse schema (real ClickHouse)', () => {
  const config = testConfig();
  const database = `rg_migrations_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  let clickhouse: ClickHouse;

  const event = (organizationId: string, n: number, createdAtMs: number): PlatformEvent => ({
    id: `evt_migration_${n}`,
    type: 'session.step.completed',
    created_at: new Date(createdAtMs).toISOString(),
    data: { session_id: 'sess_m', agent_id: 'agent_m', step_number: n, duration_ms: 1000 + n },
    metadata: { organization_id: organizationId, user_id: null, request_id: null },
  });
  const rowOf = (e: PlatformEvent, n: number) => toEventRow(e, 'session', 'session_id', 0, String(n));
  const count = async (table: string, organizationId: string) => {
    const [row] = await clickhouse.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${identifier(`${database}.${table}`)} WHERE organization_id = ${organizationId}`,
    );
    return Number(row!.n);
  };

  beforeAll(async () => {
    clickhouse = createClickHouse({ ...config.clickhouse, database, useDatabase: false });
  });
  afterAll(async () => {
    await clickhouse.command(sql`DROP DATABASE IF EXISTS ${identifier(database)}`).catch(() => undefined);
    await clickhouse.close();
  });

  it('creates the tables and views once; stored events are listed by resource, with millisecond times and readable data fields', async () => {
    expect(await migrate(clickhouse)).toEqual([1, 2, 3, 4]);
    // Rerun (another process's): nothing left to apply.
    expect(await migrate(clickhouse)).toEqual([]);
    const organizationId = uniqueOrganization();
    const now = Date.now();
    const events = [1, 2, 3].map((n) => event(organizationId, n, now - 10_000 + n));
    await insertEventRows(clickhouse, `${database}.events`, events.map(rowOf));

    // The views fill the dedup index and history by resource.
    expect(await count('event_ids', organizationId)).toBe(3);
    expect(await count('events_by_resource', organizationId)).toBe(6); // a session and an agent each
    const page = (resources: ListQuery['resources'], order: 'asc' | 'desc') =>
      listEvents(clickhouse, {
        table: `${database}.events`,
        resourceTable: `${database}.events_by_resource`,
        organizationId,
        types: resolveTypeFilter(eventCatalog(), ['*']).filter!,
        resources,
        order,
        limit: 10,
        asOfSeconds: Math.floor(Date.now() / 1000) + 1,
      });
    for (const resources of [{ session_id: 'sess_m' }, { agent_id: 'agent_m' }, {}]) {
      const rows = await page(resources, 'asc');
      expect(rows.map((row) => row.id)).toEqual(['evt_migration_1', 'evt_migration_2', 'evt_migration_3']);
      expect(rows.map((row) => Number(row.created_at_ms))).toEqual(events.map((e) => Date.parse(e.created_at)));
      expect(rows.map((row) => JSON.parse(row.payload))).toEqual(events);
    }
    expect((await page({ session_id: 'sess_m' }, 'desc')).map((row) => row.id)).toEqual([
      'evt_migration_3',
      'evt_migration_2',
      'evt_migration_1',
    ]);
    // A numeric field of `data`, as analytics and filters read it.
    const stats = await clickhouse.query<{ total: number; slowest: number }>(sql`
      SELECT sum(JSONExtractFloat(data, 'duration_ms')) AS total, max(JSONExtractFloat(data, 'duration_ms')) AS slowest
      FROM ${identifier(`${database}.events`)}
      WHERE organization_id = ${organizationId} AND JSONExtractString(data, 'session_id') = ${'sess_m'}`);
    expect(stats).toEqual([{ total: 3006, slowest: 1003 }]);
  });

  it('sets the configured retention as TTL, and drops what was stored longer ago at the next TTL merge', async () => {
    const rules = retentionRules(testConfig({ RG_HISTORY_RETENTION: '30d', RG_WEBHOOK_DELIVERY_LOG_RETENTION: '7d' }));
    expect(await applyRetention(clickhouse, rules)).toEqual([
      'events',
      'events_by_resource',
      'event_ids',
      'webhook_deliveries',
    ]);
    expect(await applyRetention(clickhouse, rules)).toEqual([]); // already set
    const [table] = await clickhouse.query<{ engine_full: string }>(
      sql`SELECT engine_full FROM system.tables WHERE database = ${database} AND name = 'webhook_deliveries'`,
    );
    expect(table!.engine_full).toContain('TTL toDateTime(attempted_at) + toIntervalSecond(604800)');

    const organizationId = uniqueOrganization();
    const now = Date.now();
    // Each row: created at, stored at. The second is a backfill of an old event, stored today.
    const stored = (n: number, createdMs: number, storedMs: number) => ({
      ...rowOf(event(organizationId, n, createdMs), n),
      ingested_at: dateTime64Text(storedMs),
    });
    await insertEventRows(clickhouse, `${database}.events`, [
      stored(1, Date.UTC(2001, 0, 1), now - 40 * DAY),
      stored(2, now - 40 * DAY, now),
      stored(3, now - 20 * DAY, now - 20 * DAY),
      stored(4, now, now),
    ]);
    const kept = { events: [2, 3, 4], events_by_resource: [2, 3, 4], event_ids: [3, 4] };
    for (const [name, ids] of Object.entries(kept)) {
      await clickhouse.command(sql`OPTIMIZE TABLE ${identifier(`${database}.${name}`)} FINAL`);
      const rows = await clickhouse.query<{ id: string }>(
        sql`SELECT DISTINCT id FROM ${identifier(`${database}.${name}`)} WHERE organization_id = ${organizationId} ORDER BY id`,
      );
      expect(
        rows.map((row) => row.id),
        name,
      ).toEqual(ids.map((n) => `evt_migration_${n}`));
    }
  });
});
