// History query benchmark: loads N events (default ten million) for a bench organization straight
// into ClickHouse (once: a rerun finds them and skips the load), then times representative
// GET /api/v1/events queries through the real API over HTTP, beside the same SQL (the API's own
// query builder, core/history/query.ts) sent straight to ClickHouse in the same run.
// Prints p50/p99 per query for both paths and the ratio.
//
//   npx tsx scripts/bench/query.ts [--events 10000000] [--runs 200] [--batch 100000] [--days 30] [--only <query name>]
import { benchConfig } from './config.js';
import { countRows, eventGenerator, POPULATION, rowOf } from './history-support.js';
import { flags, fmt, summarize, table } from './support.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform, type Platform } from '../../core/platform.js';
import { listEvents, type ListQuery } from '../../core/history/query.js';
import { insertEventRows } from '../../core/history/rows.js';
import { startApi } from '../../services/api/start.js';
import { listRequestOf } from '../../services/api/routes/history.js';

const options = flags({ events: 10_000_000, runs: 200, batch: 100_000, days: 30, only: '' });
const organizationId = `org_bench_query_${options.events}`;
const key = 'rg_bench_query_key';
const config = benchConfig({ RG_API_PORT: '0', RG_API_KEYS: `${key}:${organizationId}`, RG_CLICKHOUSE_TIMEOUT: '60s' });
const platform = await createPlatform({
  config,
  logger: createLogger({ level: 'warn' }),
  metrics: createMetricsRegistry({ defaultMetrics: false }),
  name: 'bench-query',
});
const { clickhouse } = platform;
const eventsTable = `${clickhouse.database}.events`;

/** Generates the organization's history in time order (so each insert touches one or two day partitions) and inserts it in large batches. */
async function load(p: Platform): Promise<void> {
  let present = await countRows(p.clickhouse, organizationId);
  if (present === options.events) {
    console.log(`${fmt(present)} events of ${organizationId} already loaded; skipping the load`);
    return;
  }
  // An interrupted load stops at a whole batch: resume after it (the generator is deterministic).
  if (present % options.batch !== 0 || present > options.events) {
    console.log(`found ${fmt(present)} rows that are not whole batches; deleting them first`);
    await p.clickhouse.command(
      sql`ALTER TABLE ${identifier(eventsTable)} DELETE WHERE organization_id = ${organizationId}`,
    );
    while ((await countRows(p.clickhouse, organizationId)) > 0)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    present = 0;
  }
  const next = eventGenerator(organizationId, 42);
  const spanMs = options.days * 86_400_000;
  // The first load fixes the time span; a resumed one continues it.
  const [known] = await p.clickhouse.query<{ first: string }>(
    sql`SELECT toUnixTimestamp64Milli(min(created_at)) AS first FROM ${identifier(eventsTable)} WHERE organization_id = ${organizationId}`,
  );
  const startMs = present > 0 ? Number(known!.first) : Date.now() - spanMs;
  const timeOf = (n: number) => Math.floor(startMs + (n * spanMs) / options.events);
  if (present > 0) console.log(`resuming a load after ${fmt(present)} rows`);
  for (let n = 0; n < present; n += 1) next(timeOf(n), n);
  const started = performance.now();
  let inFlight: Promise<void> = Promise.resolve();
  for (let first = present; first < options.events; first += options.batch) {
    const rows = [];
    for (let n = first; n < Math.min(options.events, first + options.batch); n += 1) {
      rows.push(rowOf(p.catalog, next(timeOf(n), n), n));
      // Yield now and then, so the client's keep-alive timers run (a starved loop reuses dead sockets).
      if (n % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await inFlight; // one insert in flight while the next batch is generated
    inFlight = insertEventRows(p.clickhouse, eventsTable, rows);
    if ((first / options.batch) % 10 === 9) {
      const done = first + rows.length - present;
      console.log(
        `  loaded ${fmt(first + rows.length)} rows, ${fmt(done / ((performance.now() - started) / 1000))} rows/s`,
      );
    }
  }
  await inFlight;
  const loaded = await countRows(p.clickhouse, organizationId);
  console.log(
    `loaded ${fmt(options.events - present)} events in ${fmt((performance.now() - started) / 1000, 1)} s; the organization holds ${fmt(loaded)}`,
  );
}

console.log(
  `history query benchmark: ${fmt(options.events)} events of ${organizationId} (${POPULATION.sessions} sessions, ${POPULATION.agents} agents, ${POPULATION.teams} teams, ${options.days} days), ${options.runs} runs per query`,
);
await load(platform);
await printStorage();

const [range] = await clickhouse.query<{ first: string; last: string }>(
  sql`SELECT toUnixTimestamp64Milli(min(created_at)) AS first, toUnixTimestamp64Milli(max(created_at)) AS last FROM ${identifier(eventsTable)} WHERE organization_id = ${organizationId}`,
);
const firstMs = Number(range!.first);
const lastMs = Number(range!.last);
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const api = await startApi(platform, { port: 0 });

/** What history takes on disk, per table (whole tables: other organizations' rows included), and the payload column's share. */
async function printStorage(): Promise<void> {
  const tables = ['events', 'events_by_resource', 'event_ids'];
  const rows = await clickhouse.query<{ table: string; rows: string; bytes: string }>(sql`
    SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
    WHERE active AND database = ${clickhouse.database} AND table IN ${tables} GROUP BY table`);
  const payloads = await clickhouse.query<{ table: string; bytes: string }>(sql`
    SELECT table, sum(data_compressed_bytes) AS bytes FROM system.columns
    WHERE database = ${clickhouse.database} AND table IN ${tables} AND name = 'payload' GROUP BY table`);
  const mib = (bytes: number) => fmt(bytes / 1_048_576);
  for (const table of tables) {
    const row = rows.find((r) => r.table === table);
    const payload = payloads.find((p) => p.table === table);
    console.log(
      `  storage: ${table}: ${fmt(Number(row?.rows ?? 0))} rows, ${mib(Number(row?.bytes ?? 0))} MiB on disk${payload ? `, of which payloads ${mib(Number(payload.bytes))} MiB` : ''}`,
    );
  }
}

/** Calls the API; returns the page (timed by the caller). */
async function callApi(params: URLSearchParams): Promise<{ data: unknown[]; next_cursor: string | null }> {
  const response = await fetch(`${api.http.url}/api/v1/events?${params}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET /api/v1/events?${params} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as { data: unknown[]; next_cursor: string | null };
}

/** The ListQuery the route builds for these parameters (the route's own parsing, the same builder). */
function listQueryOf(params: URLSearchParams): ListQuery {
  // As Express parses a query string: a repeated parameter is an array.
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  return listRequestOf(
    { query },
    {
      organizationId,
      catalog: platform.catalog,
      cursorSecret: config.history.cursorSecret,
      database: clickhouse.database,
    },
  ).query;
}

// The deep page: follow 50 pages of the newest events, then time the 51st.
let deepCursor = '';
{
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const params = new URLSearchParams({ limit: '100' });
    if (cursor) params.set('cursor', cursor);
    cursor = (await callApi(params)).next_cursor;
    if (!cursor) throw new Error(`only ${page + 1} pages`);
  }
  deepCursor = cursor!;
}

// The newest-first pages end at the loaded history's end (`until` its last event + 1 ms), where a
// live history's pages end at now: without it, each hour since the load would be read as an empty
// slice first, and the figures would depend on when the benchmark runs.
const end = iso(lastMs + 1);

/** Representative list queries; run `n` gets its own session, agent, day… so no two runs read the same rows. */
const QUERIES: { name: string; params: (n: number) => Record<string, string> }[] = [
  {
    name: 'session.* + 1-day range',
    params: (n) => ({
      types: 'session.*',
      since: iso(lastMs - (1 + (n % 28)) * DAY),
      until: iso(lastMs - (n % 28) * DAY),
    }),
  },
  { name: 'one session', params: (n) => ({ session_id: `sess_${(n * 37) % POPULATION.sessions}`, until: end }) },
  { name: 'one agent', params: (n) => ({ agent_id: `agent_${(n * 7) % POPULATION.agents}`, until: end }) },
  {
    name: 'one team + type',
    params: (n) => ({ team_id: `team_${n % POPULATION.teams}`, types: 'team.task.completed', until: end }),
  },
  {
    name: 'one user, agent.*,user.*',
    params: (n) => ({ user_id: `user_${(n * 13) % POPULATION.users}`, types: 'agent.*,user.*', until: end }),
  },
  { name: 'deep cursor page (51st of *)', params: () => ({ limit: '100', cursor: deepCursor }) },
  {
    name: 'asc, since/until 6 h',
    params: (n) => ({
      order: 'asc',
      since: iso(firstMs + (n % 28) * DAY),
      until: iso(firstMs + (n % 28) * DAY + DAY / 4),
    }),
  },
  { name: '* limit 1000', params: () => ({ types: '*', limit: '1000', until: end }) },
];

const rows: Record<string, string | number>[] = [];
const misses: string[] = [];
for (const query of QUERIES) {
  if (options.only && !query.name.includes(options.only)) continue;
  const apiMs: number[] = [];
  const directMs: number[] = [];
  let returned = 0;
  // Interleaved, so the machine's noise hits both paths alike.
  for (let n = 0; n < options.runs; n += 1) {
    const params = new URLSearchParams(query.params(n));
    let t0 = performance.now();
    const page = await callApi(params);
    apiMs.push(performance.now() - t0);
    returned += page.data.length;
    t0 = performance.now();
    await listEvents(clickhouse, listQueryOf(params));
    directMs.push(performance.now() - t0);
  }
  const a = summarize(apiMs);
  const d = summarize(directMs);
  rows.push({
    query: query.name,
    'avg rows': fmt(returned / options.runs),
    'API p50': fmt(a.p50, 1),
    'API p99': fmt(a.p99, 1),
    'direct p50': fmt(d.p50, 1),
    'direct p99': fmt(d.p99, 1),
    'p99 ratio': fmt(a.p99 / d.p99, 2),
  });
  console.log(
    `  ${query.name}: API p50 ${fmt(a.p50, 1)} / p99 ${fmt(a.p99, 1)} ms, direct p50 ${fmt(d.p50, 1)} / p99 ${fmt(d.p99, 1)} ms`,
  );
  if (a.p99 > 1.5 * d.p99) misses.push(query.name);
}
await api.stop();
await platform.close();

console.log('');
table(rows);
console.log(`\ntimes in ms over ${options.runs} runs each; target: API p99 <= 1.5x direct p99`);
console.log(misses.length ? `missed by: ${misses.join(', ')}` : 'every query meets the target');
