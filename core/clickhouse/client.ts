import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { UnavailableError } from '../errors/index.js';
import type { ClickHouseConfig } from '../config/index.js';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { encodeParam, toQuery, type SqlFragment } from './sql.js';
import { fromTabSeparated, toTabSeparated } from './tab-separated.js';
import { requireSupportedVersion } from './version.js';

/**
 * Our narrow view of ClickHouse: queries only as `sql` fragments (text plus typed parameters), rows
 * as JSON objects. Before its first request, and again after ClickHouse was unreachable, it checks
 * the server's version: one older than 24.8 fails every call with a 503 error naming the version.
 */
export interface ClickHouse {
  /** The configured database name. */
  readonly database: string;
  /** Runs a SELECT and returns its rows (`JSONEachRow`). */
  query<Row = Record<string, unknown>>(query: SqlFragment, options?: { timeoutMs?: number }): Promise<Row[]>;
  /**
   * Runs a SELECT and returns its rows with every value as a string (null for NULL), read as
   * `TabSeparatedWithNames`: for rows carrying large strings (event payloads), which JSON would
   * escape on the way out and parse back, quote by quote.
   */
  queryStrings<Row extends Record<string, string | null> = Record<string, string | null>>(
    query: SqlFragment,
    options?: { timeoutMs?: number },
  ): Promise<Row[]>;
  /**
   * Runs a SELECT that may read `table.name` as a table of String `columns` holding `table.rows`.
   * The rows travel as data beside the query (ClickHouse's external data), not as SQL literals: no
   * quoting, no query-size limit, and far cheaper to parse than a long `IN (…)`. Rows come back as
   * `queryStrings` returns them.
   */
  queryWithTable<Row extends Record<string, string | null> = Record<string, string | null>>(
    query: SqlFragment,
    table: ExternalTable,
  ): Promise<Row[]>;
  /** Runs a statement with no result (DDL, ALTER). */
  command(query: SqlFragment): Promise<void>;
  /**
   * Inserts rows as TabSeparated, each row's `columns` (default: the first row's keys). A column the
   * table lacks, or a row missing one, fails the insert.
   */
  insert(table: string, rows: readonly object[], columns?: readonly string[]): Promise<void>;
  /** Inserts rows already written as TabSeparated lines (each ending in a line break) of `columns`. */
  insertTabSeparated(table: string, columns: readonly string[], text: string): Promise<void>;
  /** True when the server answers `SELECT 1` and is recent enough (readiness). */
  ping(): Promise<boolean>;
  /** The server's `version()`, once checked: rejects with UnsupportedClickHouseError when it is older than 24.8. */
  serverVersion(): Promise<string>;
  close(): Promise<void>;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'UND_ERR_SOCKET'].includes(
      code ?? '',
    ) || /timeout|socket hang up|ECONNREFUSED/i.test((error as Error | null)?.message ?? '')
  );
}

/** Connection problems become a retriable UnavailableError; ClickHouse's own errors pass through. */
function translate(error: unknown): never {
  if (isConnectionError(error) || isConnectionError((error as { cause?: unknown } | null)?.cause))
    throw new UnavailableError('ClickHouse is unreachable', error);
  throw error;
}

/** A small table sent with one query; names are plain identifiers, every column a String. */
export interface ExternalTable {
  name: string;
  /** Its columns: the rows' properties of these names, sent in this order. */
  columns: readonly string[];
  rows: readonly object[];
}

const PLAIN_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Settings of every read. The uncompressed-block cache is off by default in ClickHouse; our reads
 * are short and hit the same recent blocks again and again (history pages, the sink's dedup
 * check), which is the case ClickHouse documents it for. Reads of more than
 * `merge_tree_max_rows_to_use_cache` rows (1 M by default) bypass it, so scans do not evict it.
 * 64-bit integers come as JSON strings, as 24.8 writes them by default (later releases write
 * numbers, which lose precision past 2^53 in JavaScript).
 */
const READ_SETTINGS = { use_uncompressed_cache: 1, output_format_json_quote_64bit_integers: 1 } as const;

/**
 * One file as a `multipart/form-data` body, built whole: undici streams a FormData body in small
 * pieces, a turn of the event loop each. The boundary is drawn again in the (vanishing) case that
 * the content holds it.
 */
function multipartFile(name: string, content: string): { body: string; contentType: string } {
  let boundary: string;
  do boundary = `rg-${randomBytes(16).toString('hex')}`;
  while (content.includes(boundary));
  const body = `--${boundary}\r\ncontent-disposition: form-data; name="${name}"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface ClickHouseClientOptions {
  /** False for the client that runs migrations: the database may not exist yet. Default true. */
  useDatabase?: boolean;
  /**
   * For long statements (a migration's backfill): ClickHouse sends a progress header this often,
   * in ms, so that no proxy between drops a connection that is silent until the statement ends.
   * Default: none.
   */
  progressIntervalMs?: number;
}

export function createClickHouse(config: ClickHouseConfig & ClickHouseClientOptions): ClickHouse {
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
    ...(config.progressIntervalMs
      ? {
          clickhouse_settings: {
            send_progress_in_http_headers: 1,
            http_headers_progress_interval_ms: String(config.progressIntervalMs),
          },
        }
      : {}),
  });

  const authorization = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;

  // The version check: one request, then a settled promise for every call; dropped when ClickHouse
  // was unreachable (another server may answer next) or the check failed, so the next call asks again.
  let versionCheck: Promise<string> | undefined;
  function checkedVersion(): Promise<string> {
    if (!versionCheck) {
      const check = (async () => {
        const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
        const [row] = (await result.json()) as { version: string }[];
        const version = row?.version ?? '';
        requireSupportedVersion(version);
        return version;
      })();
      versionCheck = check;
      check.catch(() => {
        if (versionCheck === check) versionCheck = undefined;
      });
    }
    return versionCheck;
  }

  /** Connection problems become a retriable UnavailableError (and the version is checked again); ClickHouse's own errors pass through. */
  function fail(error: unknown): never {
    try {
      return translate(error);
    } catch (translated) {
      if (translated instanceof UnavailableError) versionCheck = undefined;
      throw translated;
    }
  }

  async function select(query: SqlFragment, format: 'JSONEachRow' | 'TabSeparatedWithNames', timeoutMs?: number) {
    await checkedVersion();
    const { text, params } = toQuery(query);
    const signal = timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined;
    return client.query({
      query: text,
      query_params: params,
      format,
      clickhouse_settings: READ_SETTINGS,
      ...(signal ? { abort_signal: signal } : {}),
    });
  }

  async function insertTabSeparated(table: string, columns: readonly string[], text: string): Promise<void> {
    if (text.length === 0) return;
    try {
      await checkedVersion();
      await client.insert({
        table,
        values: Readable.from([text], { objectMode: false }),
        format: 'TabSeparated',
        columns: [...columns] as [string, ...string[]],
      });
    } catch (error) {
      fail(error);
    }
  }

  return {
    database: config.database,
    async query<Row>(query: SqlFragment, options: { timeoutMs?: number } = {}) {
      try {
        return (await (await select(query, 'JSONEachRow', options.timeoutMs)).json()) as Row[];
      } catch (error) {
        return fail(error);
      }
    },
    async queryStrings<Row>(query: SqlFragment, options: { timeoutMs?: number } = {}) {
      try {
        return fromTabSeparated(
          await (await select(query, 'TabSeparatedWithNames', options.timeoutMs)).text(),
        ) as Row[];
      } catch (error) {
        return fail(error);
      }
    },
    async queryWithTable<Row>(query: SqlFragment, table: ExternalTable) {
      if (![table.name, ...table.columns].every((name) => PLAIN_NAME.test(name)))
        throw new Error(`invalid external table: ${table.name}(${table.columns.join(', ')})`);
      const { text, params } = toQuery(query);
      const url = new URL(config.url);
      url.searchParams.set('query', `${text} FORMAT TabSeparatedWithNames`);
      for (const [name, value] of Object.entries(params)) url.searchParams.set(`param_${name}`, encodeParam(value));
      if (config.useDatabase !== false) url.searchParams.set('database', config.database);
      url.searchParams.set(`${table.name}_structure`, table.columns.map((column) => `${column} String`).join(', '));
      url.searchParams.set(`${table.name}_format`, 'TabSeparated');
      for (const [name, value] of Object.entries(READ_SETTINGS)) url.searchParams.set(name, String(value));
      const { body, contentType } = multipartFile(table.name, toTabSeparated(table.rows, table.columns));
      try {
        await checkedVersion();
        const response = await fetch(url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(config.requestTimeoutMs),
          headers: { 'content-type': contentType, authorization },
        });
        const answer = await response.text();
        if (!response.ok) throw new Error(`ClickHouse answered ${response.status}: ${answer.slice(0, 500)}`);
        return fromTabSeparated(answer) as Row[];
      } catch (error) {
        return fail(error);
      }
    },
    async command(query: SqlFragment) {
      try {
        await checkedVersion();
        const { text, params } = toQuery(query);
        await client.command({ query: text, query_params: params });
      } catch (error) {
        fail(error);
      }
    },
    async insert(table: string, rows: readonly object[], columns: readonly string[] = Object.keys(rows[0] ?? {})) {
      if (rows.length === 0) return;
      await insertTabSeparated(table, columns, toTabSeparated(rows, columns));
    },
    insertTabSeparated,
    async ping() {
      try {
        await checkedVersion();
        const result = await client.query({ query: 'SELECT 1 AS ok', format: 'JSONEachRow' });
        const rows = (await result.json()) as { ok: number }[];
        return rows[0]?.ok === 1;
      } catch (error) {
        if (isConnectionError(error) || isConnectionError((error as { cause?: unknown } | null)?.cause))
          versionCheck = undefined;
        return false;
      }
    },
    serverVersion: () => checkedVersion(),
    close: () => client.close(),
  };
}
