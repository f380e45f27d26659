import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { projectPath } from '../../core/paths.js';
import type { WebhookSubscription } from '../../core/webhooks/model.js';
import { createWebhookStore, type WebhookStore } from '../../core/webhooks/store.js';
import { startDispatcher } from '../../services/dispatcher/start.js';
import { verifyWebhook } from '../../sdk/verify.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { topicEnds } from '../support/kafka.js';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_disp');
const otherOrg = uniqueOrganization('org_disp_other');
const loopOrg = uniqueOrganization('org_disp_loop');
const killOrg = uniqueOrganization('org_disp_kill');
const SECRET = 'whsec_ZGlzcGF0Y2hlci10ZXN0LXNlY3JldC0zMi1ieXRlcyEhIQ==';
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
// A fast schedule that still spans ~20 s, so an endpoint that is down for a few seconds recovers in time.
const FAST = {
  RG_WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,800ms,1s,1s,2s,2s,2s,2s,2s,2s,2s',
  RG_WEBHOOK_TIMEOUT: '2s',
  RG_WEBHOOK_ALLOW_PRIVATE: 'true',
  RG_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT: '4',
  RG_WEBHOOK_MAX_QUEUED_PER_ENDPOINT: '10',
};
const IN_PROCESS = {
  ...FAST,
  RG_DISPATCHER_GROUP: `rg-dispatcher-test-${run}`,
  RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-test-${run}`,
};

let t: TestApi;
let store: WebhookStore;
let dispatcher: { stop: () => Promise<void> } | undefined;
let webhookEvents: PlatformEvent[] = [];
let collector: Consumer | undefined;
const receivers: Receiver[] = [];
const created: string[] = [];

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function subscribe(
  organizationId: string,
  url: string,
  events: string[],
  extra: Partial<WebhookSubscription> = {},
): Promise<WebhookSubscription> {
  const now = Date.now();
  const subscription: WebhookSubscription = {
    id: `wh_${run}${Math.random().toString(36).slice(2, 10)}`,
    organization_id: organizationId,
    url,
    events,
    description: null,
    enabled: true,
    disabled_reason: null,
    secrets: [{ secret: SECRET, expires_at_ms: null }],
    created_at_ms: now,
    updated_at_ms: now,
    ...extra,
  };
  await store.put(subscription);
  created.push(subscription.id);
  return subscription;
}

async function publish(organizationId: string, events: unknown[]): Promise<string[]> {
  const res = await t.call('POST', '/api/v1/events', { key: `key_${organizationId}`, body: { events } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.data.map((e: { id: string }) => e.id);
}

/** `eventually` with room for a loaded 2-core machine. */
const wait = <T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
) => eventually(check, { timeoutMs: 60_000, ...options });
const agentCreated = (n: number) => ({
  type: 'agent.created',
  data: { ...GUIDE_EXAMPLES['agent.created'], agent_id: `agent_${n}` },
});
const sessionStarted = (n: number) => ({
  type: 'session.started',
  data: { ...GUIDE_EXAMPLES['session.started'], session_id: `sess_${n}` },
});
const idsOf = (requests: ReceivedRequest[]) => new Set(requests.map((r) => (JSON.parse(r.body) as { id: string }).id));
// What each request was answered, so "delivered" means answered 2xx well within the attempt timeout (2 s).
const answers = new WeakMap<ReceivedRequest, { status: number; delayMs?: number }>();
function respondWith(r: Receiver, respond: Receiver['respond']): void {
  r.respond = (request, index) => {
    const answer = respond(request, index);
    answers.set(request, answer);
    return answer;
  };
}
const succeeded = (request: ReceivedRequest) => {
  const answer = answers.get(request) ?? { status: 200 };
  return answer.status >= 200 && answer.status < 300 && (answer.delayMs ?? 0) < 800;
};
const delivered = (r: Receiver, ids: string[]) => () => {
  const got = idsOf(r.received.filter(succeeded));
  return ids.every((id) => got.has(id)) ? true : undefined;
};

/** Every request carries the event's own id as webhook-id, on every attempt. */
function expectSameIdOnEveryAttempt(r: Receiver): void {
  for (const request of r.received)
    expect(request.headers['webhook-id']).toBe((JSON.parse(request.body) as { id: string }).id);
}

beforeAll(async () => {
  t = await startTestApi({ organizations: [org, otherOrg, loopOrg, killOrg], env: IN_PROCESS });
  store = createWebhookStore({
    kafka: t.platform.kafka,
    logger: t.platform.logger,
    groupIdPrefix: `rg-test-dispatcher-${run}`,
    kafkaConfig: t.platform.config.kafka,
  });
  await store.start();
  // Collects the delivery events (webhook.*) of this file's organizations from now on.
  const ends = await topicEnds(t.platform.kafka, 'events.webhook');
  collector = t.platform.kafka.consumer({ groupId: `rg-test-webhook-events-${run}`, maxWaitTimeInMs: 100 });
  await collector.connect();
  await collector.subscribe({ topic: 'events.webhook' });
  collector.on(collector.events.GROUP_JOIN, () => {
    for (const [partition, offset] of ends) collector!.seek({ topic: 'events.webhook', partition, offset });
  });
  const ours = new Set([org, otherOrg, loopOrg, killOrg]);
  await collector.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const event = await t.platform.codec.decode(message.value);
      if (ours.has(event.metadata.organization_id)) webhookEvents = [...webhookEvents, event];
    },
  });
  // The dispatcher shares the test's store, so a subscription is matched as soon as `subscribe` returns.
  dispatcher = await startDispatcher(t.platform, { webhooks: store });
}, 120_000);

afterAll(async () => {
  await dispatcher?.stop();
  // Deleted webhooks make any leftover retry fail for good at once instead of lingering.
  for (const id of created) await store?.delete(id).catch(() => undefined);
  await collector?.disconnect();
  await store?.stop();
  for (const r of receivers) await r.close();
  await t?.stop();
}, 60_000);

describe('webhook dispatcher', () => {
  it('delivers each event to the subscriptions whose patterns match, signed, and only within the organization', async () => {
    const sessions = await receiver();
    const agents = await receiver();
    const everything = await receiver();
    const otherOrgs = await receiver();
    const disabled = await receiver();
    await subscribe(org, sessions.url, ['session.*']);
    await subscribe(org, agents.url, ['agent.created']);
    await subscribe(org, everything.url, ['*']);
    await subscribe(otherOrg, otherOrgs.url, ['*']);
    await subscribe(org, disabled.url, ['*'], { enabled: false });
    const [sessionId, agentId, deletedId] = await publish(org, [
      sessionStarted(1),
      agentCreated(1),
      { type: 'agent.deleted', data: GUIDE_EXAMPLES['agent.deleted'] },
    ]);

    await wait(delivered(everything, [sessionId!, agentId!, deletedId!]), {
      what: 'the * subscription to get all three',
    });
    await wait(delivered(sessions, [sessionId!]), { what: 'session.* delivery' });
    await wait(delivered(agents, [agentId!]), { what: 'agent.created delivery' });
    expect([...idsOf(sessions.received)]).toEqual([sessionId]);
    expect([...idsOf(agents.received)]).toEqual([agentId]);
    expect(otherOrgs.received).toHaveLength(0);
    expect(disabled.received).toHaveLength(0);

    for (const request of everything.received) {
      const event = await verifyWebhook<PlatformEvent>(
        request.body,
        new Headers(request.headers as Record<string, string>),
        SECRET,
      );
      expect(request.headers['webhook-id']).toBe(event.id);
      expect(Object.keys(event).sort()).toEqual(['created_at', 'data', 'id', 'metadata', 'type']);
      expect(event.metadata.organization_id).toBe(org);
    }
    await expect(
      verifyWebhook(
        everything.received[0]!.body,
        new Headers(everything.received[0]!.headers as Record<string, string>),
        'whsec_d3JvbmctdGVzdC1zZWNyZXQ=',
      ),
    ).rejects.toThrow();
  }, 120_000);

  it('retries an endpoint that answers 500 for a while until every event lands, logs each attempt, and emits webhook.failed/sent', async () => {
    const flaky = await receiver();
    respondWith(flaky, (_request, index) => ({ status: index < 12 ? 500 : 200 }));
    const webhook = await subscribe(org, flaky.url, ['agent.updated']);
    const ids = await publish(
      org,
      [1, 2, 3, 4, 5].map((n) => ({
        type: 'agent.updated',
        data: { ...GUIDE_EXAMPLES['agent.updated'], agent_id: `agent_flaky_${n}` },
      })),
    );
    await wait(delivered(flaky, ids), { what: 'all five events after the 500s' });
    expectSameIdOnEveryAttempt(flaky);
    // Each event was answered 500 at least once before its 2xx: it was retried, not delivered at once.
    for (const id of ids)
      expect(
        flaky.received.filter((request) => (JSON.parse(request.body) as { id: string }).id === id).length,
        id,
      ).toBeGreaterThan(1);

    // (On a starved machine an attempt may also time out: pick a failure the endpoint itself answered.)
    const failed = await wait(
      () =>
        webhookEvents.find(
          (e) => e.type === 'webhook.failed' && e.data.webhook_id === webhook.id && e.data.status_code === 500,
        ),
      { what: 'webhook.failed of an answered attempt' },
    );
    expect(failed.data).toMatchObject({ url: flaky.url, error: 'HTTP 500', next_retry_at: expect.any(String) });
    expect(Date.parse(String(failed.data.next_retry_at))).toBeGreaterThan(Date.parse(failed.created_at) - 1000);
    await wait(
      () =>
        webhookEvents.find(
          (e) => e.type === 'webhook.failed' && e.data.webhook_id === webhook.id && e.data.retry_count === 0,
        ),
      { what: 'webhook.failed of a first attempt (retry_count 0)' },
    );
    const first = String(failed.data.event_id);
    const sent = await wait(
      () =>
        webhookEvents.find(
          (e) => e.type === 'webhook.sent' && e.data.webhook_id === webhook.id && e.data.event_id === first,
        ),
      { what: 'webhook.sent' },
    );
    expect(sent.data).toMatchObject({ url: flaky.url, status_code: 200, delivery_id: failed.data.delivery_id });
    expect(Number(sent.data.attempt)).toBeGreaterThan(Number(failed.data.retry_count) + 1);

    // The delivery log: every attempt of that event, newest first, the last one delivered.
    const log = await wait(
      async () => {
        const res = await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?event_id=${first}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.some((d: { state: string }) => d.state === 'delivered') ? res.body : undefined;
      },
      { what: 'the delivery log to show the delivered attempt' },
    );
    const attempts = log.data as {
      attempt: number;
      status_code: number;
      state: string;
      next_retry_at: string | null;
      duration_ms: number;
      error: string | null;
      event_id: string;
      id: string;
    }[];
    expect(attempts[0]).toMatchObject({
      state: 'delivered',
      status_code: 200,
      next_retry_at: null,
      error: null,
      event_id: first,
      id: failed.data.delivery_id,
    });
    expect(attempts.map((a) => a.attempt)).toEqual([...attempts.map((a) => a.attempt)].sort((a, b) => b - a));
    const retrying = attempts.filter((a) => a.state === 'retrying');
    expect(retrying.length).toBeGreaterThan(0);
    for (const a of retrying) expect(a.next_retry_at).toEqual(expect.any(String));
    expect(retrying.some((a) => a.status_code === 500 && a.error === 'HTTP 500')).toBe(true);

    // Paging through the whole log with a small limit gives every row once.
    const all = await wait(
      async () => {
        const data = (await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=1000`)).body.data as {
          state: string;
        }[];
        return data.filter((d) => d.state === 'delivered').length >= ids.length ? data : undefined;
      },
      { what: 'every delivered attempt in the log' },
    );
    const paged: unknown[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { data: unknown[]; has_more: boolean; next_cursor: string | null } } =
        await t.call('GET', `/api/v1/webhooks/${webhook.id}/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      paged.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(paged).toEqual(all);
  }, 150_000);

  it("answers 404 for the delivery log of another organization's webhook or an unknown one, 400 for bad parameters", async () => {
    const mine = await subscribe(org, 'http://127.0.0.1:9/none', ['agent.deleted'], { enabled: false });
    expect((await t.call('GET', `/api/v1/webhooks/${mine.id}/deliveries`, { key: `key_${otherOrg}` })).status).toBe(
      404,
    );
    const unknown = await t.call('GET', '/api/v1/webhooks/wh_unknown/deliveries');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const bad = await t.call('GET', `/api/v1/webhooks/${mine.id}/deliveries?limit=0&event_id=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['event_id', 'limit']);
    expect((await t.call('GET', `/api/v1/webhooks/${mine.id}/deliveries?cursor=forged`)).body.error.code).toBe(
      'invalid_cursor',
    );
  }, 120_000);

  it('keeps every event for an endpoint with no listener for a while', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const got: { id: string; webhookId: string }[] = [];
    const webhook = await subscribe(org, `http://127.0.0.1:${port}/hook`, ['team.task.assigned']);
    const ids = await publish(
      org,
      [1, 2, 3, 4].map((n) => ({
        type: 'team.task.assigned',
        data: { ...GUIDE_EXAMPLES['team.task.assigned'], team_id: `team_down_${n}` },
      })),
    );
    await wait(
      () =>
        webhookEvents.filter((e) => e.type === 'webhook.failed' && e.data.webhook_id === webhook.id).length >= 4 ||
        undefined,
      { what: 'refused first attempts' },
    );
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        got.push({ id: (JSON.parse(body) as { id: string }).id, webhookId: String(req.headers['webhook-id']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await wait(() => (ids.every((id) => got.some((g) => g.id === id)) ? true : undefined), {
        what: 'all events once the listener is back',
      });
      for (const g of got) expect(g.webhookId).toBe(g.id);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 150_000);

  it('does not let a slow endpoint (answering after the timeout) slow a healthy one', async () => {
    const slow = await receiver();
    const healthy = await receiver();
    let slowHealed = false;
    respondWith(slow, () => (slowHealed ? { status: 200 } : { status: 200, delayMs: 5000 }));
    await subscribe(org, slow.url, ['session.completed']);
    await subscribe(org, healthy.url, ['session.completed']);
    const events = Array.from({ length: 200 }, (_, n) => ({
      type: 'session.completed',
      data: { ...GUIDE_EXAMPLES['session.completed'], session_id: `sess_slow_${n}` },
    }));
    const ids = [...(await publish(org, events.slice(0, 100))), ...(await publish(org, events.slice(100)))];
    // Were the healthy endpoint behind the slow one (4 requests at a time, 5 s each), 200 events would take 250 s.
    await wait(delivered(healthy, ids), { timeoutMs: 90_000, what: 'the healthy endpoint to get all 200 events' });
    expect(idsOf(slow.received).size).toBeLessThan(200);
    // The metrics show the attempts held by the slow endpoint, and none once it has caught up.
    const gauge = async (name: string) =>
      Number((await t.platform.metrics.getSingleMetric(name)?.get())?.values[0]?.value ?? -1);
    await wait(async () => ((await gauge('rg_webhook_attempts_running')) > 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'attempts to the slow endpoint to show as running',
    });
    slowHealed = true;
    await wait(delivered(slow, ids), {
      timeoutMs: 90_000,
      what: 'the slow endpoint to get every event once it answers in time',
    });
    expectSameIdOnEveryAttempt(slow);
    await wait(
      async () =>
        (await gauge('rg_webhook_attempts_running')) === 0 && (await gauge('rg_webhook_attempts_queued')) === 0
          ? true
          : undefined,
      { timeoutMs: 30_000, what: 'no attempt running or queued' },
    );
  }, 240_000);

  it('disables an endpoint answering 410 Gone at once, with a webhook.disabled event', async () => {
    const gone = await receiver();
    respondWith(gone, () => ({ status: 410 }));
    const webhook = await subscribe(org, gone.url, ['user.login']);
    // A healthy endpoint on the same events: once it has an event, the dispatcher has handled it.
    const witness = await receiver();
    await subscribe(org, witness.url, ['user.login']);
    await publish(org, [{ type: 'user.login', data: GUIDE_EXAMPLES['user.login'] }]);
    await wait(() => (store.get(webhook.id)?.enabled === false ? true : undefined), {
      what: 'the webhook to be disabled',
    });
    expect(store.get(webhook.id)).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    const disabled = await wait(
      () => webhookEvents.find((e) => e.type === 'webhook.disabled' && e.data.webhook_id === webhook.id),
      { what: 'webhook.disabled' },
    );
    expect(disabled.data).toMatchObject({ url: gone.url, reason: 'gone' });
    const failed = await wait(
      () => webhookEvents.find((e) => e.type === 'webhook.failed' && e.data.webhook_id === webhook.id),
      { what: 'webhook.failed' },
    );
    expect(failed.data).toMatchObject({ status_code: 410, next_retry_at: null });
    const [after] = await publish(org, [{ type: 'user.login', data: GUIDE_EXAMPLES['user.login'] }]);
    await wait(() => (idsOf(witness.received).has(after!) ? true : undefined), {
      what: 'the witness to get the event published after the disable',
    });
    // A delivery to the disabled endpoint would have left with the witness's; allow it time to land.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gone.received).toHaveLength(1);
  }, 120_000);

  it('never emits webhook.sent/failed for a delivery of webhook.sent or webhook.failed', async () => {
    const agents = await receiver();
    const watcher = await receiver();
    const agentHook = await subscribe(loopOrg, agents.url, ['agent.created']);
    const watcherHook = await subscribe(loopOrg, watcher.url, ['webhook.*']);
    const [agentEventId] = await publish(loopOrg, [agentCreated(99)]);
    // The watcher gets the webhook.sent of the agent delivery, and nothing about its own deliveries.
    const sentEvent = await wait(
      () => {
        const bodies = watcher.received.map((r) => JSON.parse(r.body) as PlatformEvent);
        return bodies.find((e) => e.type === 'webhook.sent' && e.data.event_id === agentEventId);
      },
      { what: 'the watcher to receive webhook.sent' },
    );
    expect(sentEvent.data.webhook_id).toBe(agentHook.id);
    await wait(
      async () => {
        const res = await t.call('GET', `/api/v1/webhooks/${watcherHook.id}/deliveries`, { key: `key_${loopOrg}` });
        if (res.status !== 200) throw new Error(JSON.stringify(res.body));
        return res.body.data.length > 0 ? true : undefined;
      },
      { what: 'the watcher delivery to be logged' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(
      webhookEvents.filter((e) => e.metadata.organization_id === loopOrg && e.data.webhook_id === watcherHook.id),
    ).toEqual([]);
    expect(
      webhookEvents.filter((e) => e.metadata.organization_id === loopOrg && e.type === 'webhook.sent'),
    ).toHaveLength(1);
  }, 120_000);

  it('loses nothing when the dispatcher is killed with deliveries and retries pending', async () => {
    // Only the child process delivers from here on.
    await dispatcher?.stop();
    dispatcher = undefined;
    const failing = await receiver();
    const slowOk = await receiver();
    let failingHealthy = false;
    respondWith(failing, () => ({ status: failingHealthy ? 200 : 500 }));
    respondWith(slowOk, () => ({ status: 200, delayMs: 300 }));
    await subscribe(killOrg, failing.url, ['agent.created']);
    await subscribe(killOrg, slowOk.url, ['agent.created']);
    const env = {
      ...process.env,
      ...FAST,
      RG_ENV: 'test',
      RG_LOG_LEVEL: 'error',
      RG_DEMO: 'off',
      RG_DISPATCHER_GROUP: `rg-dispatcher-kill-${run}`,
      RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-kill-${run}`,
    };
    // node itself with tsx's loader (not the tsx CLI, which runs the service in a grandchild): SIGKILL must hit the dispatcher.
    const startChild = () =>
      spawn(process.execPath, ['--import', 'tsx', projectPath('services', 'dispatcher', 'main.ts')], {
        env,
        stdio: 'ignore',
        cwd: projectPath(),
      });
    let child: ChildProcess = startChild();
    try {
      // A new group starts at the end of the topics when it first joins: probe until the child delivers.
      const probes: string[] = [];
      await wait(
        async () => {
          if (idsOf(slowOk.received.filter(succeeded)).size > 0) return true;
          probes.push(...(await publish(killOrg, [agentCreated(0)])));
          return undefined;
        },
        { timeoutMs: 90_000, intervalMs: 2000, what: 'the child dispatcher to deliver a first event' },
      );
      const ids = await publish(
        killOrg,
        Array.from({ length: 100 }, (_, n) => agentCreated(n + 1)),
      );
      await wait(() => (failing.received.length >= 10 && slowOk.received.length >= 5 ? true : undefined), {
        what: 'deliveries and retries under way',
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const before = slowOk.received.length;
      failingHealthy = true;
      child = startChild();
      await wait(delivered(slowOk, ids), {
        timeoutMs: 90_000,
        what: `every event at the healthy endpoint after the restart (had ${before})`,
      });
      await wait(delivered(failing, ids), {
        timeoutMs: 90_000,
        what: 'every event at the recovered endpoint after the restart',
      });
      expectSameIdOnEveryAttempt(failing);
      expectSameIdOnEveryAttempt(slowOk);
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => {
          child.once('exit', resolve);
          setTimeout(resolve, 20_000);
        });
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
  }, 300_000);
});
