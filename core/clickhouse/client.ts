import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { UnavailableError } from '../errors/index.js';
import type { ClickHouseConfig } from '../config/index.js';
import { toSqlText, type SqlFragment } from './sql.js';

/** Our narrow view of ClickHouse: queries only as `sql` fragments, rows as JSON objects. */
export interface ClickHouse {
  /** The configured database name. */
  readonly database: string;
  /** Runs a SELECT and returns its rows (`JSONEachRow`). */
  query<Row = Record<string, unknown>>(query: SqlFragment, options?: { timeoutMs?: number }): Promise<Row[]>;
  /**
   * Runs a SELECT that may read `table.name` as a table of String `columns` holding `table.rows`.
   * The rows travel as data beside the query (ClickHouse's external data), not as SQL literals: no
   * quoting, no query-size limit, and far cheaper to parse than a long `IN (…)`.
   */
  queryWithTable<Row = Record<string, unknown>>(query: SqlFragment, table: ExternalTable): Promise<Row[]>;
  /** Runs a statement with no result (DDL, ALTER). */
  command(query: SqlFragment): Promise<void>;
  /** Inserts rows as JSONEachRow into a table of the configured database. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /** True when the server answers `SELECT 1`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(code ?? '')
    || /timeout|socket hang up|ECONNREFUSED/i.test((error as Error | null)?.message ?? '');
}

/** Connection problems become a retriable UnavailableError; ClickHouse's own errors pass through. */
function translate(error: unknown): never {
  if (isConnectionError(error) || isConnectionError((error as { cause?: unknown } | null)?.cause)) throw new UnavailableError('ClickHouse is unreachable', error);
  throw error;
}

/** One value as a TabSeparated field: backslash, tab and line breaks escaped. */
export function tsvField(value: string): string {
  return value.replace(/[\\\t\n\r\0]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0'));
}

/** A small table sent with one query; names are plain identifiers, every column a String. */
export interface ExternalTable {
  name: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

export function createClickHouse(config: ClickHouseConfig & { useDatabase?: boolean }): ClickHouse {
  const client: ClickHouseClient = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    // The database may not exist yet when migrations run; they name it in every statement.
    ...(config.useDatabase === false ? {} : { database: config.database }),
    request_timeout: config.requestTimeoutMs,
    // A socket idle past its TTL may have been closed by the server: drop it instead of reusing it
    // (a starved event loop otherwise sees "socket hang up" on the next request).
    keep_alive: { enabled: true, eagerly_destroy_stale_sockets: true },
    compression: { request: false, response: false },
  });

  return {
    database: config.database,
    async query<Row>(query: SqlFragment, options: { timeoutMs?: number } = {}) {
      try {
        const controller = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
        const result = await client.query({ query: toSqlText(query), format: 'JSONEachRow', ...(controller ? { abort_signal: controller } : {}) });
        return (await result.json()) as Row[];
      } catch (error) {
        return translate(error);
      }
    },
    async queryWithTable<Row>(query: SqlFragment, table: ExternalTable) {
      if (![table.name, ...table.columns].every((name) => PLAIN_NAME.test(name))) throw new Error(`invalid external table: ${table.name}(${table.columns.join(', ')})`);
      const url = new URL(config.url);
      url.searchParams.set('query', `${toSqlText(query)} FORMAT JSONEachRow`);
      if (config.useDatabase !== false) url.searchParams.set('database', config.database);
      url.searchParams.set(`${table.name}_structure`, table.columns.map((column) => `${column} String`).join(', '));
      url.searchParams.set(`${table.name}_format`, 'TabSeparated');
      const form = new FormData();
      form.append(table.name, new Blob([table.rows.map((row) => `${row.map(tsvField).join('\t')}\n`).join('')]), table.name);
      try {
        const response = await fetch(url, {
          method: 'POST', body: form, signal: AbortSignal.timeout(config.requestTimeoutMs),
          headers: { authorization: `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}` },
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`ClickHouse answered ${response.status}: ${text.slice(0, 500)}`);
        return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Row);
      } catch (error) {
        return translate(error);
      }
    },
    async command(query: SqlFragment) {
      try {
        await client.command({ query: toSqlText(query) });
      } catch (error) {
        translate(error);
      }
    },
    async insert(table: string, rows: readonly object[]) {
      if (rows.length === 0) return;
      try {
        await client.insert({ table, values: rows as Record<string, unknown>[], format: 'JSONEachRow' });
      } catch (error) {
        translate(error);
      }
    },
    async ping() {
      try {
        const result = await client.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
        const rows = (await result.json()) as { ok: number }[];
        return rows[0]?.ok === 1;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
  };
}
