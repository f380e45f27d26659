import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/log/logger.js';
import { createHttpSender } from '../../core/webhooks/sender.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { createWebhookStore, type WebhookStore } from '../../core/webhooks/store.js';
import { TEST_ADMIN_KEY, startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_wh');
const otherOrg = uniqueOrganization('org_wh_other');
const limitOrg = uniqueOrganization('org_wh_limit');
const GIVEN_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let t: TestApi;
let receiver: Receiver;
let secondStore: WebhookStore;

beforeAll(async () => {
  t = await startTestApi({
    organizations: [org, otherOrg, limitOrg],
    env: { RG_WEBHOOK_SECRET_GRACE: '1h', RG_WEBHOOK_MAX_PER_ORGANIZATION: '3' },
  });
  receiver = await startReceiver();
  // Another process's view (a dispatcher's): its own consumer of the subscriptions topic.
  secondStore = createWebhookStore({
    kafka: t.platform.kafka,
    logger: createLogger({ level: 'warn' }),
    groupIdPrefix: 'test-webhooks-second',
    kafkaConfig: t.platform.config.kafka,
  });
  await secondStore.start();
});
afterAll(async () => {
  // Leave no subscription behind for the next runs' stores to hold.
  for (const organization of [org, otherOrg, limitOrg]) {
    for (const webhook of secondStore?.list(organization) ?? []) await secondStore.delete(webhook.id);
  }
  await secondStore?.stop();
  await receiver?.close();
  await t?.stop();
});

const create = (body: Record<string, unknown>, key = `key_${org}`) => t.call('POST', '/api/v1/webhooks', { key, body });

describe('webhook subscriptions', () => {
  it('creates, lists, gets, updates and deletes; the secret appears only on creation', async () => {
    const created = await create({ url: receiver.url, events: ['session.*', 'agent.created'], description: 'CI hook' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      url: receiver.url,
      events: ['session.*', 'agent.created'],
      description: 'CI hook',
      enabled: true,
      disabled_reason: null,
    });
    expect(created.body.id).toMatch(/^wh_[0-9A-Z]{26}$/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.headers.get('location')).toBe(`/api/v1/webhooks/${created.body.id}`);
    const id: string = created.body.id;

    const listed = await t.call('GET', '/api/v1/webhooks');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ has_more: false, next_cursor: null });
    const entry = listed.body.data.find((w: { id: string }) => w.id === id);
    expect(entry).toMatchObject({ url: receiver.url, enabled: true });
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const got = await t.call('GET', `/api/v1/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(got.body.created_at).toBe(created.body.created_at);

    const patched = await t.call('PATCH', `/api/v1/webhooks/${id}`, {
      body: { events: ['billing.*'], description: null, enabled: false },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({
      id,
      url: receiver.url,
      events: ['billing.*'],
      description: null,
      enabled: false,
    });
    expect((await t.call('GET', `/api/v1/webhooks/${id}`)).body).toMatchObject({
      events: ['billing.*'],
      enabled: false,
    });

    // The dispatcher's store sees every change, and matches types against the patterns.
    await eventually(() => (secondStore.get(id)?.enabled === false ? true : undefined), {
      timeoutMs: 5000,
      what: 'the update in the second store',
    });
    expect(secondStore.matching(org, 'billing.invoice.created')).toEqual([]);
    await t.call('PATCH', `/api/v1/webhooks/${id}`, { body: { enabled: true } });
    await eventually(
      () => (secondStore.matching(org, 'billing.invoice.created').some((w) => w.id === id) ? true : undefined),
      { timeoutMs: 5000, what: 'the re-enabled webhook to match' },
    );
    expect(secondStore.matching(org, 'session.completed').some((w) => w.id === id)).toBe(false);
    expect(secondStore.matching(otherOrg, 'billing.invoice.created')).toEqual([]);

    expect((await t.call('DELETE', `/api/v1/webhooks/${id}`)).status).toBe(204);
    expect((await t.call('GET', `/api/v1/webhooks/${id}`)).status).toBe(404);
    expect((await t.call('GET', '/api/v1/webhooks')).body.data.some((w: { id: string }) => w.id === id)).toBe(false);
    await eventually(() => (secondStore.get(id) === undefined ? true : undefined), {
      timeoutMs: 5000,
      what: 'the delete in the second store',
    });
  });

  it('shows a change to another store instance promptly (within a second when the machine is not loaded)', async () => {
    let seenAt: number | undefined;
    const stop = secondStore.onChange((_id, subscription) => {
      if (subscription?.description === 'propagation probe') seenAt ??= Date.now();
    });
    const started = Date.now();
    const created = await create({ url: receiver.url, events: ['*'], description: 'propagation probe' });
    expect(created.status).toBe(201);
    await eventually(() => seenAt, { timeoutMs: 5000, what: 'the second store to see the new webhook' });
    stop();
    expect(secondStore.get(created.body.id)).toMatchObject({ organization_id: org, url: receiver.url, events: ['*'] });
    expect(secondStore.matching(org, 'user.login').some((w) => w.id === created.body.id)).toBe(true);
    // Logged, not asserted: timings on a shared 2-core machine are no test.
    console.info(`webhook change seen by a second store ${seenAt! - started} ms after the create request started`);
    await t.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });

  it('sends a signed test delivery and reports the attempt', async () => {
    const created = await create({ url: receiver.url, events: ['session.completed'], secret: GIVEN_SECRET });
    expect(created.body.secret).toBe(GIVEN_SECRET);
    const before = receiver.received.length;
    const test = await t.call('POST', `/api/v1/webhooks/${created.body.id}/test`);
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body).toMatchObject({ delivered: true, status_code: 200, error: null });
    expect(test.body.duration_ms).toBeGreaterThanOrEqual(0);
    const request = receiver.received[before]!;
    expect(verifySignature(GIVEN_SECRET, request.headers, request.body)).toMatchObject({
      ok: true,
      id: test.body.event_id,
    });
    expect(JSON.parse(request.body)).toMatchObject({
      id: test.body.event_id,
      type: 'webhook.test',
      data: { webhook_id: created.body.id, url: receiver.url },
      metadata: { organization_id: org },
    });

    receiver.respond = () => ({ status: 503 });
    const failed = await t.call('POST', `/api/v1/webhooks/${created.body.id}/test`);
    receiver.respond = () => ({ status: 200 });
    expect(failed.body).toMatchObject({ delivered: false, status_code: 503, error: 'HTTP 503' });
    await t.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });

  it('rotates the secret: the new one shown once, both signing during the grace period', async () => {
    const created = await create({ url: receiver.url, events: ['agent.*'] });
    const oldSecret: string = created.body.secret;
    const rotated = await t.call('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const expiresMs = Date.parse(rotated.body.previous_secret_expires_at);
    expect(Math.abs(expiresMs - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    expect((await t.call('GET', `/api/v1/webhooks/${created.body.id}`)).body.secret).toBeUndefined();

    const before = receiver.received.length;
    expect((await t.call('POST', `/api/v1/webhooks/${created.body.id}/test`)).body.delivered).toBe(true);
    const request = receiver.received[before]!;
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifySignature(newSecret, request.headers, request.body).ok).toBe(true);
    expect(verifySignature(oldSecret, request.headers, request.body).ok).toBe(true);

    // A chosen secret is accepted; a short one is refused.
    const chosen = await t.call('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, {
      body: { secret: 'a-chosen-secret-of-more-than-24-chars' },
    });
    expect(chosen.body.secret).toBe('a-chosen-secret-of-more-than-24-chars');
    const short = await t.call('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, {
      body: { secret: 'short' },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0].field).toBe('secret');
    await t.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });

  it.each([
    ['an invalid URL', { url: 'not a url', events: ['*'] }, 'invalid_request', 'url'],
    ['a URL with credentials', { url: 'https://user:pw@example.com/hook', events: ['*'] }, 'invalid_request', 'url'],
    ['a missing URL', { events: ['*'] }, 'invalid_request', 'url'],
    [
      'an unknown event type',
      { url: 'https://example.com/hook', events: ['session.exploded'] },
      'unknown_event_type',
      'events',
    ],
    [
      'an unknown category wildcard',
      { url: 'https://example.com/hook', events: ['agent.created', 'weather.*'] },
      'unknown_event_type',
      'events[1]',
    ],
    [
      'a malformed pattern',
      { url: 'https://example.com/hook', events: ['Session Completed'] },
      'invalid_request',
      'events',
    ],
    ['an empty events list', { url: 'https://example.com/hook', events: [] }, 'invalid_request', 'events'],
    [
      'events that are not a list',
      { url: 'https://example.com/hook', events: 'session.*' },
      'invalid_request',
      'events',
    ],
    [
      "a short secret (the guide's placeholder)",
      { url: 'https://example.com/hook', events: ['*'], secret: 'your_webhook_secret' },
      'invalid_request',
      'secret',
    ],
    [
      'a whsec_ secret of too few bytes',
      { url: 'https://example.com/hook', events: ['*'], secret: 'whsec_c2hvcnQ=' },
      'invalid_request',
      'secret',
    ],
    [
      'an unknown field',
      { url: 'https://example.com/hook', events: ['*'], colour: 'red' },
      'invalid_request',
      'colour',
    ],
    [
      'a description that is not text',
      { url: 'https://example.com/hook', events: ['*'], description: 42 },
      'invalid_request',
      'description',
    ],
  ])('refuses %s with a 400 naming the field', async (_name, body, code, field) => {
    const res = await create(body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses bad updates, a non-JSON body and unknown ids', async () => {
    const created = await create({ url: receiver.url, events: ['*'] });
    const id: string = created.body.id;
    const badPatch = await t.call('PATCH', `/api/v1/webhooks/${id}`, {
      body: { events: [], enabled: 'yes', secret: 'x' },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'enabled',
      'events',
      'secret',
    ]);
    const text = await t.call('POST', '/api/v1/webhooks', {
      rawBody: 'url=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/test'],
    ] as const) {
      const res = await t.call(
        method,
        `/api/v1/webhooks/wh_01NOSUCHWEBHOOK0000000000${path}`,
        method === 'PATCH' ? { body: { enabled: false } } : {},
      );
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'not_found', details: [{ field: 'webhook_id' }] });
    }
    await t.call('DELETE', `/api/v1/webhooks/${id}`);
  });

  it("answers 404 for another organization's webhook, exactly as for a missing one", async () => {
    const created = await create({ url: receiver.url, events: ['*'] });
    const id: string = created.body.id;
    const otherKey = `key_${otherOrg}`;
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['POST', '/test'],
    ] as const) {
      const res = await t.call(method, `/api/v1/webhooks/${id}${path}`, {
        key: otherKey,
        ...(method === 'PATCH' ? { body: { enabled: false } } : {}),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await t.call('GET', '/api/v1/webhooks', { key: otherKey })).body.data).toEqual([]);
    // Untouched by those attempts; an admin key acting for the organization sees it.
    const asAdmin = await t.call('GET', `/api/v1/webhooks/${id}`, {
      key: TEST_ADMIN_KEY,
      headers: { 'RG-Organization-Id': org },
    });
    expect(asAdmin.body).toMatchObject({ id, enabled: true });
    await t.call('DELETE', `/api/v1/webhooks/${id}`);
  });

  it('caps the webhooks of an organization', async () => {
    const key = `key_${limitOrg}`;
    for (let i = 0; i < 3; i += 1) expect((await create({ url: receiver.url, events: ['*'] }, key)).status).toBe(201);
    const over = await create({ url: receiver.url, events: ['*'] }, key);
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('limit_reached');
  });

  it('leaves GET /webhooks/{id}/deliveries to its own route, and the OpenAPI document lists the routes', async () => {
    const created = await create({ url: receiver.url, events: ['*'] });
    const deliveries = await t.call('GET', `/api/v1/webhooks/${created.body.id}/deliveries`);
    expect(String(deliveries.body?.error?.message ?? '')).not.toMatch(/No route/);
    const doc = await t.call('GET', '/api/v1/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/webhooks',
        '/webhooks/{webhook_id}',
        '/webhooks/{webhook_id}/rotate-secret',
        '/webhooks/{webhook_id}/test',
      ]),
    );
    await t.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });

  it("lets a replay target a webhook by id or URL, with the webhook's own secrets, and never another organization's", async () => {
    const created = await create({ url: receiver.url, events: ['*'] });
    // A millisecond six days ago: no records, so the replay completes at once and delivers nothing.
    const since = new Date(Date.now() - 6 * 86_400_000).toISOString();
    const until = new Date(Date.parse(since) + 1).toISOString();
    const byId = await t.call('POST', '/api/v1/events/replay', {
      body: { since, until, types: ['user.*'], webhook_id: created.body.id },
    });
    expect(byId.status, JSON.stringify(byId.body)).toBe(202);
    expect(byId.body).toMatchObject({ webhook_id: created.body.id, webhook_url: receiver.url });
    const byUrl = await t.call('POST', '/api/v1/events/replay', {
      body: { since, until, types: ['user.*'], webhook_url: receiver.url },
    });
    expect(byUrl.status, JSON.stringify(byUrl.body)).toBe(202);
    expect(byUrl.body.webhook_id).toMatch(/^wh_/);
    const foreign = await t.call('POST', '/api/v1/events/replay', {
      key: `key_${otherOrg}`,
      body: { since, until, webhook_id: created.body.id },
    });
    expect(foreign.status).toBe(404);
    await t.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });
});

describe('URL rules when private targets are not allowed', () => {
  let strict: TestApi;
  beforeAll(async () => {
    strict = await startTestApi({ organizations: [org], env: { RG_WEBHOOK_ALLOW_PRIVATE: 'false' } });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it.each([
    ['http://example.com/hook', /https/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://localhost./hook', /localhost/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://[::ffff:10.0.0.1]/hook', /private/],
  ])('refuses %s on create, update and replay', async (url, message) => {
    const created = await strict.call('POST', '/api/v1/webhooks', { body: { url, events: ['*'] } });
    expect(created.status).toBe(400);
    expect(created.body.error.details).toEqual([{ field: 'url', message: expect.stringMatching(message) }]);
    const replay = await strict.call('POST', '/api/v1/events/replay', {
      body: {
        since: new Date(Date.now() - 60_000).toISOString(),
        until: new Date().toISOString(),
        webhook_url: url,
        secret: GIVEN_SECRET,
      },
    });
    expect(replay.status).toBe(400);
    expect(replay.body.error.details.map((d: { field: string }) => d.field)).toContain('webhook_url');
  });

  it('refuses on update too', async () => {
    const created = await strict.call('POST', '/api/v1/webhooks', {
      body: { url: 'https://example.com/hook', events: ['*'] },
    });
    expect(created.status).toBe(201);
    const patched = await strict.call('PATCH', `/api/v1/webhooks/${created.body.id}`, {
      body: { url: 'https://10.1.2.3/hook' },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details[0]).toMatchObject({ field: 'url', message: expect.stringMatching(/private/) });
    await strict.call('DELETE', `/api/v1/webhooks/${created.body.id}`);
  });

  it('the sender refuses a host name that resolves to a loopback address, on the address it would connect to', async () => {
    // A public-looking name, pointed at the local receiver by the resolver: the URL passes the
    // syntax rules; only the address check at connect time can catch it.
    const resolve = ((
      hostname: string,
      options: { all?: boolean },
      callback: (error: Error | null, address: unknown, family?: number) => void,
    ) => {
      if (hostname !== 'hooks.customer.example') return callback(new Error(`ENOTFOUND ${hostname}`), '');
      if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as never;
    const port = new URL(receiver.url).port;
    const before = receiver.received.length;
    const send = createHttpSender({ timeoutMs: 5000, allowPrivate: false, resolve });
    try {
      const refused = await send(
        { url: `https://hooks.customer.example:${port}/hook`, body: '{}', headers: {} },
        new AbortController().signal,
      );
      expect(refused).toMatchObject({
        ok: false,
        error: expect.stringMatching(
          /^refused: hooks\.customer\.example resolves to 127\.0\.0\.1 is a loopback address/,
        ),
      });
      const literal = await send(
        { url: `https://127.0.0.1:${port}/hook`, body: '{}', headers: {} },
        new AbortController().signal,
      );
      expect(literal).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/),
      });
      expect(receiver.received.length).toBe(before);
    } finally {
      send.close();
    }
  });
});
