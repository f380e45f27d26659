// Shared by the history benchmarks (sink.ts, query.ts): realistic events and rows, counting rows.
import { monotonicFactory } from 'ulid';
import type { ClickHouse } from '../../core/clickhouse/client.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import type { EventCategory } from '../../core/events/categories.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { toEventRow, type EventRow } from '../../core/history/rows.js';

/** How many sessions, agents, teams and users the generated history talks about. */
export const POPULATION = { sessions: 1000, agents: 100, teams: 20, users: 200 } as const;

// A plausible mix: session steps dominate, system events are rare. Weights in percent.
const MIX: [string, number][] = [
  ['session.step.completed', 38],
  ['session.started', 8],
  ['session.completed', 7],
  ['session.failed', 1],
  ['agent.created', 1],
  ['agent.updated', 2],
  ['agent.deleted', 0.5],
  ['agent.published', 0.5],
  ['team.task.assigned', 6],
  ['team.task.completed', 6],
  ['team.execution.completed', 2],
  ['webhook.sent', 12],
  ['webhook.failed', 1.5],
  ['webhook.disabled', 0.1],
  ['user.login', 5],
  ['user.settings.updated', 1],
  ['billing.invoice.created', 1],
  ['billing.payment.succeeded', 1],
  ['billing.payment.failed', 0.4],
  ['system.maintenance.scheduled', 0.1],
  ['system.maintenance.started', 0.1],
  ['system.maintenance.completed', 0.1],
  ['system.incident.created', 0.1],
  ['system.incident.updated', 0.1],
  ['system.incident.resolved', 0.1],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

/** A small deterministic PRNG (mulberry32), so a reload generates the same history. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickType(r: number): string {
  let left = r * MIX_TOTAL;
  for (const [type, weight] of MIX) {
    left -= weight;
    if (left < 0) return type;
  }
  return MIX[0]![0];
}

/**
 * A generator of realistic events for one organization: mixed guide types whose resource ids
 * come from a fixed population (a session always runs on the same agent), ids that sort by time.
 */
export function eventGenerator(organizationId: string, seed = 1) {
  const rand = random(seed);
  const nextUlid = monotonicFactory(() => rand());
  const pick = (n: number) => Math.floor(rand() * n);
  return (createdAtMs: number, n: number): PlatformEvent => {
    const type = pickType(rand());
    const data = { ...GUIDE_EXAMPLES[type] } as Record<string, unknown>;
    const session = pick(POPULATION.sessions);
    const agent = 'session_id' in data ? session % POPULATION.agents : pick(POPULATION.agents);
    const user = `user_${pick(POPULATION.users)}`;
    if ('session_id' in data) data.session_id = `sess_${session}`;
    if ('agent_id' in data) data.agent_id = `agent_${agent}`;
    if ('team_id' in data) data.team_id = `team_${pick(POPULATION.teams)}`;
    if ('assigned_to' in data) data.assigned_to = `agent_${agent}`;
    if ('completed_by' in data) data.completed_by = `agent_${agent}`;
    if ('user_id' in data) data.user_id = user;
    if ('step_number' in data) data.step_number = n % 50;
    if ('webhook_id' in data) data.webhook_id = `wh_${pick(50)}`;
    if ('delivery_id' in data) data.delivery_id = `del_${n}`;
    if ('task_id' in data) data.task_id = `task_${n}`;
    if ('invoice_id' in data) data.invoice_id = `inv_${pick(5000)}`;
    if ('duration_ms' in data) data.duration_ms = 100 + pick(60_000);
    return {
      id: `evt_${nextUlid(createdAtMs)}`,
      type,
      created_at: new Date(createdAtMs).toISOString(),
      data,
      metadata: { organization_id: organizationId, user_id: user, request_id: `req_${n}` },
    };
  };
}

/** The events table row of a generated event, as the sink would write it. */
export function rowOf(catalog: EventCatalog, event: PlatformEvent, offset: number): EventRow {
  const entry = catalog.get(event.type)!;
  return toEventRow(event, entry.category as EventCategory, entry.resourceKey, 0, String(offset));
}

/** Rows of one organization in the events table. */
export async function countRows(clickhouse: ClickHouse, organizationId: string): Promise<number> {
  const [row] = await clickhouse.query<{ n: string }>(
    sql`SELECT count() AS n FROM ${identifier(`${clickhouse.database}.events`)} WHERE organization_id = ${organizationId}`,
  );
  return Number(row?.n ?? 0);
}

/** Polls the organization's row count until it reaches `expected`; resolves with the time it did. */
export async function waitForRows(
  clickhouse: ClickHouse,
  organizationId: string,
  expected: number,
  { timeoutMs = 30 * 60_000, intervalMs = 100 } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await countRows(clickhouse, organizationId).catch(() => 0);
    if (n >= expected) return performance.now();
    if (Date.now() > deadline)
      throw new Error(`only ${n} of ${expected} rows of ${organizationId} arrived in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
