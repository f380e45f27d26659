import { request as httpRequest, type IncomingMessage } from 'node:http';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/index.js';
import { encodeCursor } from '../../services/stream/cursor.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';

// The live stream against the real stack: two API processes (two gateways, each with its own
// shared consumer), real EventSource clients, and a raw socket that stops reading.
const org = uniqueOrganization('org_sse');
const otherOrg = uniqueOrganization('org_sse_other');
const capOrg = uniqueOrganization('org_sse_cap');
const BUFFER_BYTES = 512 * 1024;
const CAP = 3;
const env = {
  RG_STREAM_HEARTBEAT: '1s',
  RG_STREAM_RETRY_HINT: '300ms',
  RG_STREAM_MAX_BUFFERED_BYTES: String(BUFFER_BYTES),
  RG_STREAM_MAX_CONNECTIONS_PER_KEY: String(CAP),
};
let a: TestApi;
let b: TestApi;
const open: { close(): void }[] = [];

beforeAll(async () => {
  [a, b] = await Promise.all([
    startTestApi({ organizations: [org, otherOrg, capOrg], env }),
    startTestApi({ organizations: [org, otherOrg, capOrg], env }),
  ]);
});
afterAll(async () => {
  open.forEach((stream) => {
    stream.close();
  });
  await Promise.all([a?.stop(), b?.stop()]);
});

interface Frame {
  id: string;
  type: string;
  event: {
    id: string;
    type: string;
    created_at: string;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  };
}

/** A real EventSource client (the `eventsource` package) collecting every event frame. */
function listen(url: string, { key = `key_${org}`, lastEventId }: { key?: string | null; lastEventId?: string } = {}) {
  const frames: Frame[] = [];
  const errors: unknown[] = [];
  const source = new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init.headers,
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(lastEventId && !init.headers['Last-Event-ID'] ? { 'last-event-id': lastEventId } : {}),
        },
      }),
  });
  for (const type of a.platform.catalog.types) {
    source.addEventListener(type, (message) =>
      frames.push({ id: message.lastEventId, type: message.type, event: JSON.parse(message.data) }),
    );
  }
  source.onerror = (error) => errors.push(error);
  const opened = new Promise<void>((resolve) => source.addEventListener('open', () => resolve(), { once: true }));
  const stream = { source, frames, errors, opened, close: () => source.close() };
  open.push(stream);
  return stream;
}

const subscribeUrl = (api: TestApi, query: string) => `${api.url}/api/v1/events/subscribe${query ? `?${query}` : ''}`;

async function publish(
  api: TestApi,
  events: { id?: string; type: string; data: Record<string, unknown> }[],
  key = `key_${org}`,
): Promise<string[]> {
  const res = await api.call('POST', '/api/v1/events', { key, body: { events } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.data.map((item: { id: string }) => item.id);
}

const started = (session: string, goal = 'Research AI trends') => ({
  type: 'session.started',
  data: { session_id: session, agent_id: 'agent_456', goal, model: 'gpt-4-turbo' },
});
const completed = (session: string) => ({
  type: 'session.completed',
  data: {
    session_id: session,
    agent_id: 'agent_456',
    status: 'completed',
    steps: 5,
    duration_ms: 12345,
    tokens_used: 2500,
  },
});
const step = (session: string, n: number) => ({
  type: 'session.step.completed',
  data: { session_id: session, step_number: n, step_type: 'tool_call', tool: 'web_search', duration_ms: 10 },
});

async function metric(api: TestApi, name: string): Promise<number> {
  const found = await api.platform.metrics.getSingleMetric(name)?.get();
  return (found?.values ?? []).reduce((sum, value) => sum + value.value, 0);
}

describe('GET /api/v1/events/subscribe', () => {
  it('streams exactly the events of the guide example (session.* of sess_123), once, as the event JSON', async () => {
    const stream = listen(subscribeUrl(a, 'events=session.*&session_id=sess_123'));
    await stream.opened;
    await publish(b, [completed('sess_123')], `key_${otherOrg}`);
    const duplicateId = `evt_sse${Date.now()}dup`;
    const ids = await publish(a, [
      started('sess_123'),
      completed('sess_999'),
      {
        type: 'agent.created',
        data: {
          agent_id: 'agent_123',
          name: 'Research Assistant',
          model: 'gpt-4-turbo',
          tools: ['web_search'],
          created_by: 'user_456',
        },
      },
      { ...step('sess_123', 1), id: duplicateId },
    ]);
    await publish(a, [{ ...step('sess_123', 1), id: duplicateId }]); // the same id again: one event
    const [last] = await publish(a, [completed('sess_123')]);
    await eventually(() => (stream.frames.some((f) => f.event.id === last) ? true : undefined), {
      what: 'the last event',
    });
    expect(stream.frames.map((f) => f.event.id)).toEqual([ids[0], duplicateId, last]);
    for (const frame of stream.frames) {
      expect(frame.type).toBe(frame.event.type);
      expect(frame.id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Object.keys(frame.event)).toEqual(['id', 'type', 'created_at', 'data', 'metadata']);
      expect(frame.event.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(frame.event.metadata.organization_id).toBe(org);
    }
    expect(stream.frames[2]!.event.data).toEqual(completed('sess_123').data);
    stream.close();
  });

  it('resumes with the last id on this and on another gateway: every missed event once, in order per session', async () => {
    const query = 'events=session.*';
    const sessions = [`sess_r1_${Date.now()}`, `sess_r2_${Date.now()}`];
    const first = listen(subscribeUrl(a, query));
    await first.opened;
    const before = await publish(
      a,
      sessions.flatMap((s) => [started(s), step(s, 1)]),
    );
    await eventually(() => (before.every((id) => first.frames.some((f) => f.event.id === id)) ? true : undefined), {
      what: 'the first events',
    });
    first.close();
    const cursor = first.frames.at(-1)!.id;

    // Missed while disconnected.
    const missed = await publish(
      a,
      sessions.flatMap((s) => [step(s, 2), step(s, 3)]),
    );
    // Resume on the other gateway (header), and on this one (query), while more events keep coming.
    const onB = listen(subscribeUrl(b, query), { lastEventId: cursor });
    const onA = listen(subscribeUrl(a, `${query}&last_event_id=${cursor}`));
    const during: string[] = [];
    for (let n = 4; n < 12; n += 1)
      during.push(
        ...(await publish(
          a,
          sessions.map((s) => step(s, n)),
        )),
      );
    const after = await publish(
      a,
      sessions.map((s) => completed(s)),
    );
    const expected = [...missed, ...during, ...after];
    for (const stream of [onB, onA]) {
      await eventually(
        () => (expected.every((id) => stream.frames.some((f) => f.event.id === id)) ? true : undefined),
        { what: 'every missed and new event', timeoutMs: 60_000 },
      );
      const mine = stream.frames.filter((f) => sessions.includes(f.event.data.session_id as string));
      expect(mine.map((f) => f.event.id).sort()).toEqual([...expected].sort()); // each once, none from before the cursor
      for (const session of sessions) {
        const steps = mine
          .filter((f) => f.event.data.session_id === session)
          .map((f) => (f.event.type === 'session.completed' ? 99 : (f.event.data.step_number as number)));
        expect(steps).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99]);
      }
      stream.close();
    }
    // The missed events came from the catch-up readers of both gateways, not from the live feed.
    for (const api of [a, b]) expect(await metric(api, 'rg_stream_catch_ups_total')).toBeGreaterThan(0);
  });

  it('resumes a cursor beyond the end of the log (a recreated topic) from the end, not never', async () => {
    const session = `sess_future_${Date.now()}`;
    const future = encodeCursor(
      new Map([['session', Array.from({ length: a.platform.config.kafka.topicPartitions }, () => 2 ** 40)]]),
    );
    // Earlier tests caught up on this gateway too: wait for this connection's own catch-up.
    const catchUpsBefore = await metric(a, 'rg_stream_catch_ups_total');
    const stream = listen(subscribeUrl(a, `events=session.*&session_id=${session}`), { lastEventId: future });
    await stream.opened;
    await eventually(async () => ((await metric(a, 'rg_stream_catch_ups_total')) > catchUpsBefore ? true : undefined), {
      what: 'the catch-up',
    });
    const [id] = await publish(a, [completed(session)]);
    await eventually(() => (stream.frames.some((f) => f.event.id === id) ? true : undefined), {
      what: 'the event after a future cursor',
    });
    stream.close();
  });

  it('cuts off a client that stops reading; a healthy one keeps receiving everything', async () => {
    const session = `sess_slow_${Date.now()}`;
    const healthy = listen(subscribeUrl(a, `events=session.*&session_id=${session}`));
    await healthy.opened;
    const slow = await rawStream(subscribeUrl(a, `events=session.*&session_id=${session}`), `key_${org}`);
    slow.pause(); // never reads again: the kernel buffers fill, then the gateway's.
    const cutBefore = await metric(a, 'rg_stream_clients_cut_off_total');
    // Bursts stay well below the client buffer (the healthy client shares this process's event
    // loop); publishing goes on until the slow client's socket and kernel buffers are full.
    const goal = 'x'.repeat(20_000);
    const ids: string[] = [];
    while (ids.length < 1500 && (await metric(a, 'rg_stream_clients_cut_off_total')) === cutBefore) {
      const batch = await publish(
        a,
        Array.from({ length: 5 }, () => started(session, goal)),
      );
      ids.push(...batch);
      // The healthy client reads each burst before the next (on a slow machine several publishes
      // could otherwise reach it as one burst larger than its buffer).
      await eventually(() => (batch.every((id) => healthy.frames.some((f) => f.event.id === id)) ? true : undefined), {
        what: 'the burst on the healthy client',
        timeoutMs: 60_000,
      });
    }
    await eventually(
      async () => ((await metric(a, 'rg_stream_clients_cut_off_total')) > cutBefore ? true : undefined),
      { what: 'the slow client cut off', timeoutMs: 30_000 },
    );
    await eventually(() => (ids.every((id) => healthy.frames.some((f) => f.event.id === id)) ? true : undefined), {
      what: 'every event on the healthy client',
      timeoutMs: 60_000,
    });
    expect(await metric(a, 'rg_stream_clients_cut_off_total')).toBe(cutBefore + 1); // only the slow one
    expect(healthy.errors).toHaveLength(0); // never disconnected
    expect(healthy.frames.filter((f) => f.event.data.session_id === session)).toHaveLength(ids.length);
    healthy.close();
    slow.destroy();
  });

  it('accepts the key as access_token (EventSource without headers); refuses no key and a bad key with 401', async () => {
    const session = `sess_token_${Date.now()}`;
    const stream = listen(subscribeUrl(a, `events=session.*&session_id=${session}&access_token=key_${org}`), {
      key: null,
    });
    await stream.opened;
    const [id] = await publish(a, [completed(session)]);
    await eventually(() => (stream.frames.some((f) => f.event.id === id) ? true : undefined), {
      what: 'the event via access_token',
    });
    stream.close();
    for (const key of [null, 'not_a_key_at_all']) {
      const res = await a.call('GET', '/api/v1/events/subscribe', { key });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await a.call('GET', '/api/v1/events/subscribe?access_token=nope_nope_nope', { key: null })).status).toBe(
      401,
    );
  });

  it('answers bad filters and cursors with a 400 before the stream opens', async () => {
    const cases: [string, string, string][] = [
      ['events=nope.*', 'unknown_event_type', 'events'],
      ['types=session.bogus', 'unknown_event_type', 'types'],
      ['events=Session!!', 'invalid_request', 'events'],
      ['session_id=', 'invalid_request', 'session_id'],
      ['session_id=a&session_id=b', 'invalid_request', 'session_id'],
      ['since=2026-01-01T00:00:00Z', 'invalid_request', 'since'],
      ['last_event_id=not-a-cursor', 'invalid_cursor', 'last_event_id'],
    ];
    for (const [query, code, field] of cases) {
      const res = await a.call('GET', `/api/v1/events/subscribe?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.body.error.code, query).toBe(code);
      expect(
        res.body.error.details.map((d: { field: string }) => d.field),
        query,
      ).toContain(field);
    }
    const doc = await a.call('GET', '/api/v1/openapi.json');
    expect(doc.body.paths['/events/subscribe'].get.responses).toHaveProperty('400');
    const header = await a.call('GET', '/api/v1/events/subscribe', { headers: { 'last-event-id': 'AQH_' } });
    expect(header.status).toBe(400);
    expect(header.body.error.details[0].field).toBe('Last-Event-ID');
  });

  it('caps open streams per API key with 429 rate_limited', async () => {
    const streams = await Promise.all(
      Array.from({ length: CAP }, () => rawStream(subscribeUrl(a, ''), `key_${capOrg}`)),
    );
    const res = await a.call('GET', '/api/v1/events/subscribe', { key: `key_${capOrg}` });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    streams.forEach((s) => {
      s.destroy();
    });
    // Closed streams free their slots.
    await eventually(
      async () => {
        const again = await rawStream(subscribeUrl(a, ''), `key_${capOrg}`).catch(() => undefined);
        again?.destroy();
        return again ? true : undefined;
      },
      { what: 'a free slot' },
    );
  });

  it('works with the SDK subscribe (Last-Event-ID, resume)', async () => {
    const session = `sess_sdk_${Date.now()}`;
    const client = createClient({ apiKey: `key_${org}`, baseUrl: b.url });
    const subscription = client.events.subscribe({ events: ['session.*'], session_id: session });
    const iterator = subscription[Symbol.asyncIterator]();
    let first: { id: string } | undefined;
    void iterator.next().then((result) => {
      first = result.value;
    });
    // Publish until the SDK's stream (attached at some moment we cannot see) yields one.
    await eventually(
      async () => {
        if (first) return true;
        await publish(a, [started(session)]);
        return undefined;
      },
      { what: 'a first event through the SDK', intervalMs: 300 },
    );
    expect(subscription.lastEventId).toMatch(/^[A-Za-z0-9_-]+$/);
    const cursor = subscription.lastEventId!;
    subscription.close();
    const [two] = await publish(a, [completed(session)]);
    const resumed = client.events.subscribe({ events: ['session.*'], session_id: session, lastEventId: cursor });
    const after: string[] = [];
    for await (const event of resumed) {
      after.push(event.id);
      if (event.id === two) break;
    }
    expect(after).not.toContain(first!.id);
    expect(new Set(after).size).toBe(after.length);
    resumed.close();
  });

  it('tells clients to reconnect on shutdown (a retry: hint, then the stream ends)', async () => {
    const extra = await startTestApi({ organizations: [org], env });
    const response = await fetch(subscribeUrl(extra, ''), { headers: { authorization: `Bearer key_${org}` } });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = response.text();
    await extra.stop();
    expect(await text).toMatch(/:server shutting down: reconnect\n\nretry:300\n\n$/);
  });
});

/** A raw HTTP stream whose body the caller reads (or, for a slow client, never reads). */
function rawStream(url: string, key: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`status ${res.statusCode}`));
          return;
        }
        resolve(res);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
