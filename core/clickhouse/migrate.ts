import { readdir, readFile } from 'node:fs/promises';
import { join as joinPath } from 'node:path';
import type { Logger } from '../log/logger.js';
import type { ClickHouse } from './client.js';
import { projectPath } from '../paths.js';
import { identifier, quoteIdentifier, sql, trustedStatement, type SqlFragment } from './sql.js';

/** Where the versioned migrations live: `infra/clickhouse/migrations/NNNN_name.sql`. */
export const MIGRATIONS_DIR = projectPath('infra', 'clickhouse', 'migrations');

export interface Migration {
  version: number;
  name: string;
  /** Statements, with `{db}` standing for the configured database. */
  statements: string[];
}

/** Reads `NNNN_name.sql` files; statements are separated by lines holding only `;`-ended SQL. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(joinPath(dir, file), 'utf8');
      const statements = text
        .split(/;\s*$/m)
        .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
        .filter(Boolean);
      return { version: Number(file.slice(0, 4)), name: file.slice(5, -4), statements };
    }),
  );
}

function migrationStatement(text: string, database: string): SqlFragment {
  return trustedStatement(text.replaceAll('{db}', quoteIdentifier(database)));
}

/**
 * Applies every migration not yet recorded in `{db}.schema_migrations`, in order, after checking
 * that the server is ClickHouse 24.8 or newer (UnsupportedClickHouseError names the version found).
 * Safe to run from several processes at once: each statement is idempotent (`IF NOT EXISTS`), and
 * a version is recorded only after all its statements ran.
 */
export async function migrate(
  clickhouse: ClickHouse,
  options: { logger?: Logger; dir?: string } = {},
): Promise<number[]> {
  const db = identifier(clickhouse.database);
  await clickhouse.serverVersion();
  await clickhouse.command(sql`CREATE DATABASE IF NOT EXISTS ${db}`);
  await clickhouse.command(
    sql`CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version`,
  );
  const applied = new Set(
    (await clickhouse.query<{ version: number }>(sql`SELECT version FROM ${db}.schema_migrations`)).map((row) =>
      Number(row.version),
    ),
  );
  const done: number[] = [];
  for (const migration of await readMigrations(options.dir)) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements) {
      await clickhouse.command(migrationStatement(statement, clickhouse.database));
    }
    await clickhouse.insert(`${clickhouse.database}.schema_migrations`, [
      { version: migration.version, name: migration.name },
    ]);
    options.logger?.info('clickhouse migration applied', { version: migration.version, name: migration.name });
    done.push(migration.version);
  }
  return done;
}
