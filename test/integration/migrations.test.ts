import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, type ClickHouse } from '../../core/clickhouse/client.js';
import { migrate, MIGRATIONS_DIR } from '../../core/clickhouse/migrate.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import { listEvents, type ListQuery } from '../../core/history/query.js';
import { eventCatalog } from '../../core/events/catalog.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import { toEventRow } from '../../core/history/rows.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { testConfig, uniqueOrganization } from '../support/config.js';

// Migrations applied to a database that already holds history, as an upgrade meets them: each in
// a scratch database of its own, first up to a version, then the rest.
describe('ClickHouse migrations on stored history (real ClickHouse)', () => {
  const config = testConfig();
  const database = `rg_migrations_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  let clickhouse: ClickHouse;
  let oldMigrations: string;

  beforeAll(async () => {
    clickhouse = createClickHouse({ ...config.clickhouse, database, useDatabase: false });
    oldMigrations = await mkdtemp(join(tmpdir(), 'rg-migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR)) {
      if (file < '0005') await cp(join(MIGRATIONS_DIR, file), join(oldMigrations, file));
    }
  });
  afterAll(async () => {
    await clickhouse.command(sql`DROP DATABASE IF EXISTS ${identifier(database)}`).catch(() => undefined);
    await clickhouse.close();
    await rm(oldMigrations, { recursive: true, force: true });
  });

  it('0005: a session page lists, with payloads, the events stored before it (backfill), and those stored after it (view)', async () => {
    expect(await migrate(clickhouse, { dir: oldMigrations })).toEqual([1, 2, 3, 4]);
    const organizationId = uniqueOrganization();
    const now = Date.now();
    const event = (n: number): PlatformEvent => ({
      id: `evt_migration_${n}`,
      type: 'session.step.completed',
      created_at: new Date(now - 10_000 + n).toISOString(),
      data: { session_id: 'sess_m', agent_id: 'agent_m', step_number: n },
      metadata: { organization_id: organizationId, user_id: null, request_id: null },
    });
    const rowOf = (n: number) => ({
      ...toEventRow(event(n), 'session', 'session_id', 0, String(n)),
      ingested_at: Math.floor(now / 1000) - 5,
    });
    await clickhouse.insert(`${database}.events`, [rowOf(1), rowOf(2)]);

    expect(await migrate(clickhouse, { dir: MIGRATIONS_DIR })).toContain(5);
    await clickhouse.insert(`${database}.events`, [rowOf(3)]);

    const tables = (
      await clickhouse.query<{ name: string }>(sql`SELECT name FROM system.tables WHERE database = ${database}`)
    ).map((row) => row.name);
    expect(tables).toContain('events_by_resource');
    expect(tables).not.toContain('event_resources');
    const page = (resources: ListQuery['resources']) =>
      listEvents(clickhouse, {
        table: `${database}.events`,
        resourceTable: `${database}.events_by_resource`,
        organizationId,
        types: resolveTypeFilter(eventCatalog(), ['*']).filter!,
        resources,
        order: 'asc',
        limit: 10,
        asOfSeconds: Math.floor(Date.now() / 1000) + 1,
      });
    for (const resources of [{ session_id: 'sess_m' }, { agent_id: 'agent_m' }]) {
      const rows = await page(resources);
      expect(rows.map((row) => row.id)).toEqual(['evt_migration_1', 'evt_migration_2', 'evt_migration_3']);
      expect(rows.map((row) => JSON.parse(row.payload))).toEqual([event(1), event(2), event(3)]);
    }
    // Rerun (another process's): nothing left to apply.
    expect(await migrate(clickhouse, { dir: MIGRATIONS_DIR })).toEqual([]);
  });
});
