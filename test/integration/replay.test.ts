import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { projectPath } from '../../core/paths.js';
import { startReplayer } from '../../services/replayer/start.js';
import { createHttpSender } from '../../core/webhooks/sender.js';
import { verifyWebhook } from '../../sdk/verify.js';
import { apiKeysFor, startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_rpl');
const otherOrg = uniqueOrganization('org_rpl_other');
const SECRET = 'whsec_cmVwbGF5LXRlc3Qtc2VjcmV0LTMyLWJ5dGVzLWxvbmchIQ==';
const FAST = {
  RG_REPLAY_MAX_RUNNING: '50',
  RG_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,300ms,400ms,500ms,600ms',
  RG_REPLAY_CHECKPOINT_INTERVAL: '50ms',
  RG_REPLAY_GROUP: uniqueOrganization('rg-replayer-test'),
  RG_REPLAY_COUNT_WAIT: '90s',
  RG_LOG_LEVEL: process.env.RG_TEST_LOG_LEVEL ?? 'warn',
};
let t: TestApi;
let worker: { stop: () => Promise<void> } | undefined;
let receiver: Receiver;
// Deliveries go through the real HTTP sender; those to `localhost` through one that applies the
// production URL rules (https only, no private targets), so a replay can meet a refused target.
const openSender = createHttpSender({ timeoutMs: 5000, allowPrivate: true });
const strictSender = createHttpSender({ timeoutMs: 5000, allowPrivate: false });
const startWorker = () =>
  startReplayer(t.platform, {
    send: (request, signal) =>
      (new URL(request.url).hostname === 'localhost' ? strictSender : openSender)(request, signal),
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const session = (session_id: string, type = 'session.step.completed', step = 1) => ({
  type,
  data:
    type === 'session.step.completed'
      ? { ...GUIDE_EXAMPLES[type], session_id, step_number: step }
      : { ...GUIDE_EXAMPLES[type], session_id },
});

async function publish(events: unknown[], key = `key_${org}`): Promise<string[]> {
  const res = await t.call('POST', '/api/v1/events', { key, body: { events } });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.data.map((e: { id: string }) => e.id);
}

async function finished(id: string) {
  return eventually(
    async () => {
      const res = await t.call('GET', `/api/v1/events/replay/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(res.body.status) ? res.body : undefined;
    },
    { timeoutMs: 90_000, what: `replay ${id} to finish` },
  );
}

beforeAll(async () => {
  t = await startTestApi({ organizations: [org, otherOrg], env: FAST });
  worker = await startWorker();
  receiver = await startReceiver();
});
afterAll(async () => {
  await worker?.stop();
  openSender.close();
  strictSender.close();
  await receiver?.close();
  await t?.stop();
});

describe('replay', () => {
  let window2: string[] = [];
  let since = '';
  let until = '';

  it('re-delivers exactly the matching events of a time window, signed, in order per session', async () => {
    await publish([
      session('sess_w1'),
      session('sess_w1', 'session.completed'),
      { type: 'agent.created', data: GUIDE_EXAMPLES['agent.created'] },
    ]);
    await sleep(1100);
    since = new Date().toISOString();
    window2 = await publish(
      [1, 2, 3]
        .map((n) => session('sess_w2a', 'session.step.completed', n))
        .concat([session('sess_w2b', 'session.started'), session('sess_w2a', 'session.completed')]),
    );
    await publish([{ type: 'agent.deleted', data: GUIDE_EXAMPLES['agent.deleted'] }]);
    await publish([session('sess_w2a')], `key_${otherOrg}`);
    await sleep(1100);
    until = new Date().toISOString();
    await publish([session('sess_w3'), session('sess_w3', 'session.failed')]);

    const res = await t.call('POST', '/api/v1/events/replay', {
      body: { since, until, types: ['session.*'], webhook_url: receiver.url, secret: SECRET },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.id).toMatch(/^rpl_/);
    expect(res.body.event_count).toBe(5);

    const done = await finished(res.body.id);
    expect(done).toMatchObject({ status: 'completed', delivered: 5, failed: 0, total: 5 });
    const mine = receiver.received.filter((r) => r.headers['rg-replay-id'] === res.body.id);
    const ids = mine.map((r) => r.headers['webhook-id']);
    expect(new Set(ids)).toEqual(new Set(window2));
    expect(ids).toHaveLength(5);
    // In order within the session's partition.
    const sessionA = [window2[0], window2[1], window2[2], window2[4]];
    expect(ids.filter((id) => sessionA.includes(id as string))).toEqual(sessionA);
    for (const request of mine) {
      const event = await verifyWebhook<{ id: string; metadata: { organization_id: string } }>(
        request.body,
        request.headers as Record<string, string>,
        SECRET,
      );
      expect(event.metadata.organization_id).toBe(org);
    }
  });

  it('filters by resource', async () => {
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: { since, until, session_id: 'sess_w2b', webhook_url: receiver.url, secret: SECRET },
    });
    expect(res.status).toBe(202);
    expect(res.body.event_count).toBe(1);
    expect(await finished(res.body.id)).toMatchObject({ status: 'completed', delivered: 1 });
  });

  it('delivers everything to a receiver that fails for a while', async () => {
    let failures = 0;
    receiver.respond = () => (failures++ < 4 ? { status: 503 } : { status: 200 });
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: { since, until, types: ['session.*'], webhook_url: receiver.url, secret: SECRET },
    });
    const done = await finished(res.body.id);
    receiver.respond = () => ({ status: 200 });
    expect(done).toMatchObject({ status: 'completed', delivered: 5, failed: 0 });
    const ids = new Set(
      receiver.received.filter((r) => r.headers['rg-replay-id'] === res.body.id).map((r) => r.headers['webhook-id']),
    );
    expect(ids).toEqual(new Set(window2));
  });

  it('stops as failed, saying why, when the URL rules refuse its target', async () => {
    const before = receiver.received.length;
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: {
        since,
        until,
        types: ['session.*'],
        webhook_url: receiver.url.replace('127.0.0.1', 'localhost'),
        secret: SECRET,
      },
    });
    expect(res.status).toBe(202);
    const done = await finished(res.body.id);
    // Refused without a retry, and the replay stops: only the events already in flight (one per
    // partition at most) count as failed, not all five.
    expect(done).toMatchObject({ status: 'failed', delivered: 0, total: 5 });
    expect(done.failed).toBeGreaterThanOrEqual(1);
    expect(done.failed).toBeLessThanOrEqual(2);
    expect(done.error).toBe(
      'the target URL was refused at delivery (refused: webhook URLs must be https); the replay stopped',
    );
    expect(receiver.received.length).toBe(before);
  });

  it('stops when cancelled', async () => {
    const many = await publish(
      Array.from({ length: 40 }, (_, n) => session('sess_cancel', 'session.step.completed', n + 1)),
    );
    const from = new Date(Date.now() - 5000).toISOString();
    const to = new Date(Date.now() + 1000).toISOString();
    receiver.respond = () => ({ status: 200, delayMs: 150 });
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: { since: from, until: to, session_id: 'sess_cancel', webhook_url: receiver.url, secret: SECRET },
    });
    expect(res.body.event_count).toBe(many.length);
    await eventually(() =>
      receiver.received.filter((r) => r.headers['rg-replay-id'] === res.body.id).length >= 3 ? true : undefined,
    );
    const cancel = await t.call('POST', `/api/v1/events/replay/${res.body.id}/cancel`);
    expect(cancel.status).toBe(202);
    const done = await finished(res.body.id);
    receiver.respond = () => ({ status: 200 });
    expect(done.status).toBe('cancelled');
    expect(done.delivered).toBeLessThan(many.length);
  });

  it('resumes after the worker is killed, without re-sending what was acknowledged before the last checkpoint', async () => {
    await worker!.stop();
    worker = undefined;
    const ids = await publish(
      Array.from({ length: 30 }, (_, n) => session('sess_kill', 'session.step.completed', n + 1)),
    );
    const from = new Date(Date.now() - 5000).toISOString();
    const to = new Date(Date.now() + 1000).toISOString();
    receiver.respond = () => ({ status: 200, delayMs: 100 });
    const env = {
      ...process.env,
      ...FAST,
      RG_API_KEYS: apiKeysFor([org]),
      RG_LOG_LEVEL: 'warn',
      RG_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    const spawnWorker = (): ChildProcess =>
      spawn(process.execPath, ['--import', 'tsx', projectPath('services', 'replayer', 'main.ts')], {
        env,
        cwd: projectPath(),
        stdio: process.env.RG_DEBUG_CHILD ? 'inherit' : 'ignore',
      });

    let child = spawnWorker();
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: { since: from, until: to, session_id: 'sess_kill', webhook_url: receiver.url, secret: SECRET },
    });
    expect(res.body.event_count).toBe(30);
    const mine = () => receiver.received.filter((r) => r.headers['rg-replay-id'] === res.body.id);
    await eventually(() => (mine().length >= 10 ? true : undefined), { timeoutMs: 60_000 });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const beforeRestart = mine().length;

    child = spawnWorker();
    try {
      const done = await finished(res.body.id);
      expect(done).toMatchObject({ status: 'completed', total: 30, failed: 0 });
      const received = mine().map((r) => r.headers['webhook-id']);
      expect(new Set(received)).toEqual(new Set(ids));
      // Re-sent at most what was delivered after the last checkpoint (50 ms ≈ one in-flight delivery).
      expect(received.length - 30).toBeLessThanOrEqual(2);
      expect(beforeRestart).toBeGreaterThanOrEqual(10);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      receiver.respond = () => ({ status: 200 });
      worker = await startWorker();
    }
  }, 300_000);
});

describe('replay with bad input', () => {
  const now = Date.now();
  const valid = {
    since: new Date(now - 3_600_000).toISOString(),
    until: new Date(now).toISOString(),
    webhook_url: 'http://127.0.0.1:9/hook',
    secret: SECRET,
  };
  it.each([
    ['since after until', { ...valid, since: valid.until, until: valid.since }, 'invalid_request', 'until'],
    [
      'a range wholly outside retention',
      { ...valid, since: '2001-01-01T00:00:00Z', until: '2001-01-02T00:00:00Z' },
      'invalid_request',
      'until',
    ],
    ['an unparsable time', { ...valid, since: 'last tuesday' }, 'invalid_request', 'since'],
    ['unknown types', { ...valid, types: ['session.exploded'] }, 'unknown_event_type', 'types'],
    ['a bad URL', { ...valid, webhook_url: 'not a url' }, 'invalid_request', 'webhook_url'],
    [
      'a URL with credentials',
      { ...valid, webhook_url: 'https://user:pass@example.com/hook' },
      'invalid_request',
      'webhook_url',
    ],
    ['no secret for a foreign URL', { ...valid, secret: undefined }, 'invalid_request', 'secret'],
    ['an unknown field', { ...valid, speed: 'fast' }, 'invalid_request', 'speed'],
  ])('refuses %s', async (_name, body, code, field) => {
    const res = await t.call('POST', '/api/v1/events/replay', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it("answers 404 for another organization's replay, as for a missing one", async () => {
    // A short window of one category: the count scans every organization's records in range.
    const res = await t.call('POST', '/api/v1/events/replay', {
      body: {
        ...valid,
        types: ['session.*'],
        since: new Date(Date.now() - 5000).toISOString(),
        until: new Date().toISOString(),
      },
    });
    expect(res.status).toBe(202);
    expect((await t.call('GET', `/api/v1/events/replay/${res.body.id}`, { key: `key_${otherOrg}` })).status).toBe(404);
    expect((await t.call('GET', '/api/v1/events/replay/rpl_missing', { key: `key_${otherOrg}` })).status).toBe(404);
    const list = await t.call('GET', '/api/v1/events/replay', { key: `key_${otherOrg}` });
    expect(list.body.data.map((r: { id: string }) => r.id)).not.toContain(res.body.id);
    // Its target does not exist: do not leave it retrying for the next test files.
    // (409 when it had already finished: the window may hold no session events at all.)
    expect([202, 409]).toContain((await t.call('POST', `/api/v1/events/replay/${res.body.id}/cancel`)).status);
    expect(['cancelled', 'completed']).toContain((await finished(res.body.id)).status);
  });
});
