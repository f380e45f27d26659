import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { projectPath } from '../../core/paths.js';
import { startSink } from '../../services/sink/start.js';
import { apiKeysFor, startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startGroupAtEnds } from '../support/kafka.js';
import { withPartDown } from '../support/stack.js';

const org = uniqueOrganization('org_hist');
// A group of this run's own, started at the topics' ends: the sink reads this run's events, not the
// hundreds of thousands a benchmark may have left in the topics before it.
const sinkGroup = `rg-sink-test-${process.pid}-${Date.now().toString(36)}`;
const otherOrg = uniqueOrganization('org_hist_other');
let t: TestApi;
let sink: { stop: () => Promise<void> } | undefined;

const step = (session_id: string, n: number) => ({
  type: 'session.step.completed',
  data: { ...GUIDE_EXAMPLES['session.step.completed'], session_id, step_number: n },
});

async function publish(events: unknown[], key = `key_${org}`): Promise<string[]> {
  const res = await t.call('POST', '/api/v1/events', { key, body: { events } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.data.map((e: { id: string }) => e.id);
}

async function list(query: string, key = `key_${org}`) {
  const res = await t.call('GET', `/api/v1/events?${query}`, { key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    data: { id: string; type: string; created_at: string; data: Record<string, unknown> }[];
    has_more: boolean;
    next_cursor: string | null;
  };
}

/** Waits until the history holds every id (the sink is asynchronous). */
async function listed(ids: string[], query = 'limit=1000', key = `key_${org}`) {
  return eventually(
    async () => {
      const page = await list(query, key);
      const seen = new Set(page.data.map((e) => e.id));
      return ids.every((id) => seen.has(id)) ? page : undefined;
    },
    { timeoutMs: 60_000, what: `${ids.length} events in history` },
  );
}

beforeAll(async () => {
  t = await startTestApi({ organizations: [org, otherOrg], env: { RG_SINK_GROUP: sinkGroup } });
  await startGroupAtEnds(t.platform.kafka, sinkGroup, EVENT_CATEGORIES.map(topicForCategory));
  sink = await startSink(t.platform);
});
afterAll(async () => {
  await sink?.stop();
  await t?.stop();
});

describe('GET /api/v1/events', () => {
  it('lists the guide examples, newest first, with type, resource and time filters', async () => {
    const examples = Object.entries(GUIDE_EXAMPLES).map(([type, data]) => ({ type, data }));
    const ids = await publish(examples);
    const all = await listed(ids);
    expect(all.data).toHaveLength(ids.length);
    expect(all.data.map((e) => e.created_at)).toEqual([...all.data.map((e) => e.created_at)].sort().reverse());
    const first = all.data.find((e) => e.id === ids[0])!;
    expect(first).toMatchObject({
      type: 'agent.created',
      data: GUIDE_EXAMPLES['agent.created'],
      metadata: { organization_id: org },
    });

    const sessions = await list('types=session.*&limit=1000');
    expect(new Set(sessions.data.map((e) => e.type))).toEqual(
      new Set(['session.started', 'session.step.completed', 'session.completed', 'session.failed']),
    );
    const two = await list('types=session.completed&types=session.failed');
    expect(two.data.map((e) => e.type).sort()).toEqual(['session.completed', 'session.failed']);
    expect((await list('agent_id=agent_123')).data.every((e) => e.data.agent_id === 'agent_123')).toBe(true);
    expect((await list('session_id=sess_123')).data).toHaveLength(4);
    expect((await list('user_id=user_123')).data.map((e) => e.type).sort()).toEqual([
      'user.login',
      'user.settings.updated',
    ]);
    expect((await list('team_id=team_123')).data).toHaveLength(3);
    expect((await list(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).data).toHaveLength(
      0,
    );
    const asc = await list('order=asc&limit=1000');
    expect(asc.data.map((e) => e.id)).toEqual([...all.data.map((e) => e.id)].reverse());
  });

  it('walks every page exactly once while new events keep arriving', async () => {
    const ids = await publish(Array.from({ length: 60 }, (_, n) => step('sess_pages', n)));
    await listed(ids, 'session_id=sess_pages&limit=1000');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`session_id=sess_pages&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
      pages += 1;
      await publish([step('sess_pages', 1000 + pages)]); // arrives during the walk
    } while (cursor);
    expect(pages).toBe(9);
    expect(seen).toHaveLength(60);
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('reads one snapshot per walk: events stored after its first page do not join it, even behind the cursor', async () => {
    const hour = 3_600_000;
    const base = Date.now() - 2 * hour;
    const at = (n: number) => new Date(base + n * 1000).toISOString();
    const ids = await publish(
      Array.from({ length: 20 }, (_, n) => ({ ...step('sess_snapshot', n), created_at: at(n) })),
    );
    await listed(ids, 'session_id=sess_snapshot&limit=1000');
    const first = await list('session_id=sess_snapshot&limit=5');
    expect(first.data.map((e) => e.id)).toEqual([...ids].reverse().slice(0, 5));
    // Stored in a later second than the first page, and older than every event of the walk: the
    // pages still to come would list them if the walk had no snapshot.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await publish(
      Array.from({ length: 3 }, (_, n) => ({
        ...step('sess_snapshot', 100 + n),
        created_at: new Date(base - hour + n).toISOString(),
      })),
    );
    await listed(late, 'session_id=sess_snapshot&limit=1000');
    const seen = first.data.map((e) => e.id);
    for (let cursor = first.next_cursor; cursor; ) {
      const page = await list(`session_id=sess_snapshot&limit=5&cursor=${cursor}`);
      seen.push(...page.data.map((e) => e.id));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual([...ids].reverse());
    // A new walk reads them.
    expect((await list('session_id=sess_snapshot&limit=1000')).data.map((e) => e.id)).toEqual(
      [...ids].reverse().concat([...late].reverse()),
    );
  });

  it('lists an event published twice with the same id once', async () => {
    const id = 'evt_dup0000000000000000000001';
    await publish([{ id, ...step('sess_dup', 1), created_at: new Date(Date.now() - 1000).toISOString() }]);
    await publish([{ id, ...step('sess_dup', 1) }]);
    const [marker] = await publish([step('sess_dup', 2)]);
    const page = await listed([id, marker!], 'session_id=sess_dup');
    expect(page.data.filter((e) => e.id === id)).toHaveLength(1);
  });

  it('matches hostile values as plain values', async () => {
    const hostile = [
      "it's \\ %_ \u0000 '; DROP TABLE events; --",
      "' OR '1'='1",
      'x'.repeat(256),
      'tab\tline\nbreak\\N {p0:String} `x`',
    ];
    const ids = await publish(hostile.map((session_id) => step(session_id, 1)));
    for (const [n, value] of hostile.entries()) {
      const page = await listed([ids[n]!], `session_id=${encodeURIComponent(value)}`);
      expect(page.data.map((e) => e.id)).toEqual([ids[n]]);
    }
    expect((await list(`session_id=${encodeURIComponent('%')}`)).data).toHaveLength(0);
    // The other filter parameters take them as plain values too: no event carries them, no error.
    for (const name of ['agent_id', 'team_id', 'user_id'])
      for (const value of [...hostile, "' OR 1=1 --", '_', '\\'])
        expect((await list(`${name}=${encodeURIComponent(value)}`)).data, `${name}=${value}`).toHaveLength(0);
    expect((await t.call('GET', `/api/v1/events/${encodeURIComponent("evt_' OR '1'='1")}`)).status).toBe(404);
  });

  it("never shows another organization's events", async () => {
    const [theirs] = await publish([step('sess_private', 1)], `key_${otherOrg}`);
    await listed([theirs!], 'session_id=sess_private', `key_${otherOrg}`);
    expect((await list('session_id=sess_private')).data).toHaveLength(0);
    expect((await t.call('GET', `/api/v1/events/${theirs}`)).status).toBe(404);
    expect((await t.call('GET', `/api/v1/events/${theirs}`, { key: `key_${otherOrg}` })).status).toBe(200);
    expect((await t.call('GET', '/api/v1/events/evt_00000000000000000000000000')).status).toBe(404);
  });
});

describe('GET /api/v1/events with bad input', () => {
  it.each([
    ['an unknown parameter', 'colour=blue', 'invalid_request', 'colour'],
    ['an unparsable since', 'since=yesterday', 'invalid_request', 'since'],
    ['since after until', 'since=2026-02-21T00:00:00Z&until=2026-02-20T00:00:00Z', 'invalid_request', 'until'],
    ['limit 0', 'limit=0', 'invalid_request', 'limit'],
    ['limit 1001', 'limit=1001', 'invalid_request', 'limit'],
    ['a bad order', 'order=sideways', 'invalid_request', 'order'],
    ['an unknown type', 'types=session.exploded', 'unknown_event_type', 'types'],
    ['a forged cursor', 'cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'invalid_cursor', 'cursor'],
    ['a corrupted cursor', `cursor=${encodeURIComponent("'; DROP TABLE events; --")}`, 'invalid_cursor', 'cursor'],
  ])('refuses %s', async (_name, query, code, field) => {
    const res = await t.call('GET', `/api/v1/events?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses a cursor of another query', async () => {
    await publish(Array.from({ length: 3 }, (_, n) => step('sess_cursor', n)));
    const page = await eventually(async () => {
      const p = await list('session_id=sess_cursor&limit=1');
      return p.next_cursor ? p : undefined;
    });
    const res = await t.call('GET', `/api/v1/events?session_id=sess_other&limit=1&cursor=${page.next_cursor}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_cursor');
  });
});

describe('faults', () => {
  it('answers 503 while ClickHouse is down, loses nothing, and recovers by itself', async () => {
    const ids: string[] = [];
    await withPartDown('clickhouse', async () => {
      const res = await t.call('GET', '/api/v1/events');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('service_unavailable');
      ids.push(...(await publish(Array.from({ length: 20 }, (_, n) => step('sess_ch_down', n)))));
      await new Promise((resolve) => setTimeout(resolve, 2000));
    });
    const page = await listed(ids, 'session_id=sess_ch_down&limit=1000');
    expect(page.data).toHaveLength(20);
  });

  it('lists every acknowledged event exactly once after the sink is killed mid-batch', async () => {
    await sink!.stop();
    sink = undefined;
    const env = {
      ...process.env,
      RG_API_KEYS: apiKeysFor([org]),
      RG_LOG_LEVEL: 'warn',
      RG_SINK_FLUSH_INTERVAL: '2s',
      RG_SINK_GROUP: sinkGroup,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('services', 'sink', 'main.ts')], {
      env,
      stdio: 'ignore',
      cwd: projectPath(),
    });
    try {
      const ids = await publish(Array.from({ length: 300 }, (_, n) => step('sess_kill_sink', n)));
      await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1500));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      sink = await startSink(t.platform);
      const page = await listed(ids, 'session_id=sess_kill_sink&limit=1000');
      expect(page.data).toHaveLength(300);
      expect(new Set(page.data.map((e) => e.id)).size).toBe(300);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      sink ??= await startSink(t.platform);
    }
  });
});
